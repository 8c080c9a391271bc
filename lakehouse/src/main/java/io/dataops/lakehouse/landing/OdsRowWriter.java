package io.dataops.lakehouse.landing;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.util.Utf8;
import org.apache.iceberg.parquet.ParquetValueWriter;
import org.apache.iceberg.parquet.ParquetValueWriters;
import org.apache.iceberg.parquet.ParquetValueWriters.PrimitiveWriter;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DateLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.StringLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Writes an ods row to Parquet straight from a worker's converted values, without a GenericRecord in between. The
 * leaf writers are Iceberg's own (so Parquet statistics, and the metrics Iceberg reads from them, are as before)
 * except for dates and timestamps, whose values are turned into days and microseconds directly rather than through
 * {@code ChronoUnit.between}. The lineage columns are the same in every row of a landing: their text is encoded to
 * UTF-8 once and their timestamp converted once.
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

  private static final long MICROS_PER_DAY = 86_400_000_000L;
  private static final long NANOS_PER_DAY = 86_400_000_000_000L;

  private final int[] sources;
  private final Utf8 feedId;
  private final Utf8 sourceFile;
  private final OffsetDateTime landedAt;

  private OdsRowWriter(List<ParquetValueWriter<?>> writers, int[] sources, String feedId, String sourceFile,
      OffsetDateTime landedAt) {
    super(writers);
    this.sources = sources;
    this.feedId = new Utf8(feedId);
    this.sourceFile = new Utf8(sourceFile);
    this.landedAt = landedAt;
  }

  /** The writer of the ods table's (flat) Parquet type, column {@code i} filled from {@code sources[i]}. */
  static OdsRowWriter create(MessageType type, int[] sources, String feedId, String sourceFile,
      OffsetDateTime landedAt) {
    List<ParquetValueWriter<?>> writers = new ArrayList<>();
    for (int i = 0; i < type.getFieldCount(); i++) {
      Type field = type.getType(i);
      ColumnDescriptor desc = type.getColumnDescription(new String[] {field.getName()});
      // As Iceberg's own generic writer does: optional columns record their nulls in the definition level.
      writers.add(ParquetValueWriters.option(field, type.getMaxDefinitionLevel(field.getName()), leaf(desc)));
    }
    return new OdsRowWriter(writers, sources, feedId, sourceFile, landedAt);
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

  /** The writer Iceberg's generic Parquet writer picks for a primitive column, with faster dates and timestamps. */
  private static ParquetValueWriter<?> leaf(ColumnDescriptor desc) {
    LogicalTypeAnnotation logical = desc.getPrimitiveType().getLogicalTypeAnnotation();
    if (logical instanceof StringLogicalTypeAnnotation) {
      return new StringWriter(desc);
    }
    if (logical instanceof DecimalLogicalTypeAnnotation d) {
      return switch (desc.getPrimitiveType().getPrimitiveTypeName()) {
        case INT32 -> ParquetValueWriters.decimalAsInteger(desc, d.getPrecision(), d.getScale());
        case INT64 -> ParquetValueWriters.decimalAsLong(desc, d.getPrecision(), d.getScale());
        default -> ParquetValueWriters.decimalAsFixed(desc, d.getPrecision(), d.getScale());
      };
    }
    if (logical instanceof DateLogicalTypeAnnotation) {
      return new DateWriter(desc);
    }
    if (logical instanceof TimestampLogicalTypeAnnotation t) {
      if (t.getUnit() != LogicalTypeAnnotation.TimeUnit.MICROS) {
        throw new IllegalStateException("landing writes timestamps in microseconds, not " + t.getUnit());
      }
      return t.isAdjustedToUTC() ? new TimestamptzWriter(desc) : new TimestampWriter(desc);
    }
    return switch (desc.getPrimitiveType().getPrimitiveTypeName()) {
      case BOOLEAN -> ParquetValueWriters.booleans(desc);
      case INT32 -> ParquetValueWriters.ints(desc);
      case INT64 -> ParquetValueWriters.longs(desc);
      case FLOAT -> ParquetValueWriters.floats(desc);
      case DOUBLE -> ParquetValueWriters.doubles(desc);
      case BINARY -> ParquetValueWriters.byteBuffers(desc);
      default -> throw new IllegalStateException("landing has no writer for " + desc.getPrimitiveType());
    };
  }

  /**
   * Microseconds since 1970-01-01T00:00, exactly as {@code ChronoUnit.MICROS.between(EPOCH, t)} counts them
   * (sub-microsecond parts are cut toward zero), without its general-purpose arithmetic.
   */
  static long micros(LocalDateTime t) {
    long days = t.toLocalDate().toEpochDay();
    long nanos = t.toLocalTime().toNanoOfDay();
    if (days < 0 && nanos > 0) {
      days++;
      nanos -= NANOS_PER_DAY;
    }
    return Math.addExact(Math.multiplyExact(days, MICROS_PER_DAY), nanos / 1000);
  }

  /**
   * Text as the converter hands it over: a field's own UTF-8 bytes (written without a copy; Parquet copies what it
   * keeps), UTF-8 already encoded (the lineage text), or a String decoded from another charset.
   */
  private static final class StringWriter extends PrimitiveWriter<Object> {
    StringWriter(ColumnDescriptor desc) {
      super(desc);
    }

    @Override
    public void write(int repetitionLevel, Object value) {
      if (value instanceof FieldBytes f) {
        column.writeBinary(repetitionLevel, Binary.fromReusedByteArray(f.bytes, f.off, f.len));
      } else if (value instanceof Utf8 u) {
        column.writeBinary(repetitionLevel, Binary.fromReusedByteArray(u.getBytes(), 0, u.getByteLength()));
      } else {
        column.writeBinary(repetitionLevel, Binary.fromString(value.toString()));
      }
    }
  }

  private static final class DateWriter extends PrimitiveWriter<LocalDate> {
    DateWriter(ColumnDescriptor desc) {
      super(desc);
    }

    @Override
    public void write(int repetitionLevel, LocalDate value) {
      column.writeInteger(repetitionLevel, (int) value.toEpochDay());
    }
  }

  private static final class TimestampWriter extends PrimitiveWriter<LocalDateTime> {
    TimestampWriter(ColumnDescriptor desc) {
      super(desc);
    }

    @Override
    public void write(int repetitionLevel, LocalDateTime value) {
      column.writeLong(repetitionLevel, micros(value));
    }
  }

  /** landed_at: the same instant in every row, converted once. */
  private static final class TimestamptzWriter extends PrimitiveWriter<OffsetDateTime> {
    private OffsetDateTime last;
    private long lastMicros;

    TimestamptzWriter(ColumnDescriptor desc) {
      super(desc);
    }

    @Override
    public void write(int repetitionLevel, OffsetDateTime value) {
      if (value != last) {
        lastMicros = micros(value.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
        last = value;
      }
      column.writeLong(repetitionLevel, lastMicros);
    }
  }
}
