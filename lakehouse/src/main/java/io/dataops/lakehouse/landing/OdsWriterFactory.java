package io.dataops.lakehouse.landing;

import io.dataops.lakehouse.parquet.FlatWriterFactory;
import java.time.OffsetDateTime;
import org.apache.iceberg.Table;

/**
 * The ods data files of one landing, written with {@link OdsRowWriter}: the table's schema, properties (codec,
 * row group size, dictionary) and metrics configuration, as Iceberg's generic writer factory would use them, but
 * a faster zstd level ({@link FlatWriterFactory#fastZstd}). Landing only appends, so it makes no delete files.
 */
final class OdsWriterFactory extends FlatWriterFactory<OdsRowWriter.Row> {
  OdsWriterFactory(Table table, int[] sources, String feedId, String sourceFile, OffsetDateTime landedAt) {
    super(table, table.schema(), type -> OdsRowWriter.create(type, sources, feedId, sourceFile, landedAt),
        fastZstd(table.properties()));
  }
}
