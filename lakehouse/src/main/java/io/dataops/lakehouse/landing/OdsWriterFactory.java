package io.dataops.lakehouse.landing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.encryption.EncryptedOutputFile;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.FileWriterFactory;
import org.apache.iceberg.parquet.Parquet;

/**
 * The ods data files of one landing, written with {@link OdsRowWriter}: the table's schema, properties (codec,
 * row group size, dictionary) and metrics configuration, as Iceberg's generic writer factory would use them.
 * Landing only appends, so it makes no delete files.
 */
final class OdsWriterFactory implements FileWriterFactory<OdsRowWriter.Row> {
  private final Table table;
  private final int[] sources;
  private final String feedId;
  private final String sourceFile;
  private final OffsetDateTime landedAt;

  OdsWriterFactory(Table table, int[] sources, String feedId, String sourceFile, OffsetDateTime landedAt) {
    this.table = table;
    this.sources = sources;
    this.feedId = feedId;
    this.sourceFile = sourceFile;
    this.landedAt = landedAt;
  }

  @Override
  public DataWriter<OdsRowWriter.Row> newDataWriter(EncryptedOutputFile file, PartitionSpec spec,
      StructLike partition) {
    try {
      return Parquet.writeData(file)
          .forTable(table)
          .withSpec(spec)
          .withPartition(partition)
          .withKeyMetadata(file.keyMetadata())
          .createWriterFunc(type -> OdsRowWriter.create(type, sources, feedId, sourceFile, landedAt))
          .overwrite()
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a data file of " + table.name(), e);
    }
  }

  @Override
  public EqualityDeleteWriter<OdsRowWriter.Row> newEqualityDeleteWriter(EncryptedOutputFile file,
      PartitionSpec spec, StructLike partition) {
    throw new UnsupportedOperationException("landing writes no delete files");
  }

  @Override
  public PositionDeleteWriter<OdsRowWriter.Row> newPositionDeleteWriter(EncryptedOutputFile file,
      PartitionSpec spec, StructLike partition) {
    throw new UnsupportedOperationException("landing writes no delete files");
  }
}
