package io.dataops.lakehouse.parquet;

import org.apache.iceberg.parquet.ParquetValueWriters;
import org.apache.parquet.schema.MessageType;

/**
 * Writes a row held as an array of values (typed as Iceberg's generic records hold them: String or {@link Utf8Slice},
 * Integer, Long, Double, BigDecimal, LocalDate, LocalDateTime, OffsetDateTime, Boolean) to a flat table's Parquet
 * file, column {@code i} of the file from {@code row[sources[i]]}, or null where {@code sources[i]} is negative.
 */
public final class ArrayRowWriter extends ParquetValueWriters.StructWriter<Object[]> {
  private final int[] sources;

  private ArrayRowWriter(MessageType type, int[] sources) {
    super(FlatColumnWriters.of(type));
    if (sources.length != type.getFieldCount()) {
      throw new IllegalArgumentException("the file has " + type.getFieldCount() + " columns, the row mapping "
          + sources.length);
    }
    this.sources = sources.clone();
  }

  public static ArrayRowWriter create(MessageType type, int[] sources) {
    return new ArrayRowWriter(type, sources);
  }

  @Override
  protected Object get(Object[] row, int index) {
    int source = sources[index];
    return source < 0 ? null : row[source];
  }
}
