package io.dataops.lakehouse.landing;

import io.dataops.lakehouse.parquet.FlatColumnWriters;
import java.time.OffsetDateTime;
import java.nio.charset.StandardCharsets;
import org.apache.iceberg.parquet.ParquetValueWriters;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;

/**
 * Writes an ods row to Parquet straight from a worker's converted values, without a GenericRecord in between, on
 * the shared flat column writers ({@link FlatColumnWriters}: Iceberg's own leaf writers, so the file's metrics are
 * as before). The lineage columns are the same in every row of a landing: their text is encoded to UTF-8 once, as
 * one constant Binary (Parquet's dictionary keeps that very object, so each row's lookup finds it without comparing
 * bytes), and their timestamp converted once.
 */
final class OdsRowWriter extends ParquetValueWriters.StructWriter<OdsRowWriter.Row> {
  /** One row as a worker holds it: the converted values in contract order, and the row's number in the file. */
  static final class Row {
    Object[] values;
    long rowNumber;
  }

  /** Where table column {@code i} comes from: a contract column (0..), a lineage value, or nothing (null). */
  static final int FEED_ID = -1;
  static final int SOURCE_FILE = -2;
  static final int ROW_NUMBER = -3;
  static final int LANDED_AT = -4;
  static final int NONE = -5;

  private final int[] sources;
  private final Binary feedId;
  private final Binary sourceFile;
  private final OffsetDateTime landedAt;

  private OdsRowWriter(MessageType type, int[] sources, String feedId, String sourceFile, OffsetDateTime landedAt) {
    super(FlatColumnWriters.of(type));
    this.sources = sources;
    this.feedId = Binary.fromConstantByteArray(feedId.getBytes(StandardCharsets.UTF_8));
    this.sourceFile = Binary.fromConstantByteArray(sourceFile.getBytes(StandardCharsets.UTF_8));
    this.landedAt = landedAt;
  }

  /** The writer of the ods table's (flat) Parquet type, column {@code i} filled from {@code sources[i]}. */
  static OdsRowWriter create(MessageType type, int[] sources, String feedId, String sourceFile,
      OffsetDateTime landedAt) {
    return new OdsRowWriter(type, sources, feedId, sourceFile, landedAt);
  }

  @Override
  protected Object get(Row row, int index) {
    int source = sources[index];
    return switch (source) {
      case FEED_ID -> feedId;
      case SOURCE_FILE -> sourceFile;
      case ROW_NUMBER -> row.rowNumber;
      case LANDED_AT -> landedAt;
      case NONE -> null;
      default -> row.values[source];
    };
  }
}
