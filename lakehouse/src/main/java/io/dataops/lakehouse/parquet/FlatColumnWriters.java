package io.dataops.lakehouse.parquet;

import java.nio.charset.StandardCharsets;
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
 * The column writers of a flat (primitive columns only) Iceberg table's Parquet file, for row writers that hand
 * over their values without a GenericRecord in between. The leaf writers are Iceberg's own (so Parquet statistics,
 * and the metrics Iceberg reads from them, are those of its generic writer) except for text, which may also come as
 * UTF-8 bytes ({@link Utf8Slice}, Avro's {@link Utf8}), and dates and timestamps, whose values are turned into days
 * and microseconds directly rather than through {@code ChronoUnit.between}.
 */
public final class FlatColumnWriters {
  private static final long MICROS_PER_DAY = 86_400_000_000L;
  private static final long NANOS_PER_DAY = 86_400_000_000_000L;

  private FlatColumnWriters() {}

  /** One writer per column of {@code type}, in its order; optional columns record their nulls, as Iceberg's do. */
  public static List<ParquetValueWriter<?>> of(MessageType type) {
    List<ParquetValueWriter<?>> writers = new ArrayList<>();
    for (int i = 0; i < type.getFieldCount(); i++) {
      Type field = type.getType(i);
      if (!field.isPrimitive()) {
        throw new IllegalStateException("a flat row writer has no writer for the nested column " + field.getName());
      }
      ColumnDescriptor desc = type.getColumnDescription(new String[] {field.getName()});
      writers.add(ParquetValueWriters.option(field, type.getMaxDefinitionLevel(field.getName()), leaf(desc)));
    }
    return writers;
  }

  /** The writer Iceberg's generic Parquet writer picks for a primitive column, with faster text, dates and times. */
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
        throw new IllegalStateException("tables hold timestamps in microseconds, not " + t.getUnit());
      }
      return t.isAdjustedToUTC() ? new TimestamptzWriter(desc) : new TimestampWriter(desc);
    }
    if (logical != null) {
      throw new IllegalStateException("a flat row writer has no writer for " + desc.getPrimitiveType());
    }
    return switch (desc.getPrimitiveType().getPrimitiveTypeName()) {
      case BOOLEAN -> ParquetValueWriters.booleans(desc);
      case INT32 -> ParquetValueWriters.ints(desc);
      case INT64 -> ParquetValueWriters.longs(desc);
      case FLOAT -> ParquetValueWriters.floats(desc);
      case DOUBLE -> ParquetValueWriters.doubles(desc);
      case BINARY -> ParquetValueWriters.byteBuffers(desc);
      default -> throw new IllegalStateException("a flat row writer has no writer for " + desc.getPrimitiveType());
    };
  }

  /**
   * Microseconds since 1970-01-01T00:00, exactly as {@code ChronoUnit.MICROS.between(EPOCH, t)} counts them
   * (sub-microsecond parts are cut toward zero), without its general-purpose arithmetic.
   */
  public static long micros(LocalDateTime t) {
    long days = t.toLocalDate().toEpochDay();
    long nanos = t.toLocalTime().toNanoOfDay();
    if (days < 0 && nanos > 0) {
      days++;
      nanos -= NANOS_PER_DAY;
    }
    return Math.addExact(Math.multiplyExact(days, MICROS_PER_DAY), nanos / 1000);
  }

  /**
   * Text as UTF-8 bytes already encoded ({@link Utf8Slice}, Avro's {@link Utf8}, or a {@link Binary} passed as it is:
   * a constant one, the same object in every row, costs no copy and its dictionary lookup compares no bytes), a String
   * (the common case, tested first) or any other CharSequence.
   */
  private static final class StringWriter extends PrimitiveWriter<Object> {
    StringWriter(ColumnDescriptor desc) {
      super(desc);
    }

    @Override
    public void write(int repetitionLevel, Object value) {
      if (value instanceof String s) {
        // Backed by an array, not by a ByteBuffer as Binary.fromString's: the dictionary's hashing and the statistics'
        // comparisons read it directly. The same bytes (String.getBytes in both).
        column.writeBinary(repetitionLevel, Binary.fromConstantByteArray(s.getBytes(StandardCharsets.UTF_8)));
      } else if (value instanceof Utf8Slice s) {
        column.writeBinary(repetitionLevel, Binary.fromReusedByteArray(s.utf8(), s.offset(), s.length()));
      } else if (value instanceof Binary b) {
        column.writeBinary(repetitionLevel, b);
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

  /** An instant; the same object in consecutive rows (a landing's landed_at) is converted once. */
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
