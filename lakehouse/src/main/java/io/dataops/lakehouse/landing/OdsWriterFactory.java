package io.dataops.lakehouse.landing;

import io.dataops.lakehouse.parquet.FlatWriterFactory;
import java.time.OffsetDateTime;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;

/**
 * The ods data files of one landing, written with {@link OdsRowWriter}: the table's schema, properties (codec,
 * row group size, dictionary) and metrics configuration, as Iceberg's generic writer factory would use them, but
 * a faster zstd level. Landing only appends, so it makes no delete files.
 */
final class OdsWriterFactory extends FlatWriterFactory<OdsRowWriter.Row> {
  OdsWriterFactory(Table table, int[] sources, String feedId, String sourceFile, OffsetDateTime landedAt) {
    super(table, table.schema(), type -> OdsRowWriter.create(type, sources, feedId, sourceFile, landedAt),
        fastZstd(table.properties()) ? Map.of(TableProperties.PARQUET_COMPRESSION_LEVEL, "1") : Map.of());
  }

  /**
   * zstd at level 1 rather than Parquet's default 3, unless the table asks for a level: on landed citizen rows it
   * compresses twice as fast (350 against 180 MB/s), about 5% of a landing's CPU, for files 2.6% larger.
   */
  static boolean fastZstd(Map<String, String> properties) {
    return "zstd".equalsIgnoreCase(properties.get(TableProperties.PARQUET_COMPRESSION))
        && !properties.containsKey(TableProperties.PARQUET_COMPRESSION_LEVEL);
  }
}
