package io.dataops.lakehouse.arrow;

import io.dataops.lakehouse.types.ColumnType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Arrow's encodings of values turned into the platform's Java values ({@link io.dataops.lakehouse.types.ValueType}'s):
 * text as UTF-8 bytes in place, dates as epoch days, timestamps as micros (or another unit) with and without zone,
 * decimals as unscaled integers. The one copy of these conversions for every Arrow reader (DuckDB's export stream in
 * the Spring Batch executor, Iceberg's vectorized reader in the quality engine). Static methods on concrete vector
 * classes: no object or virtual call per value beyond what the value itself needs. Arguments are non-null values.
 */
public final class ArrowValues {
  private static final long MICROS_PER_SECOND = 1_000_000L;
  private static final int DECIMAL_BYTES = 16;
  /** The powers of ten a double holds exactly: dividing by one of them is one correctly rounded operation. */
  private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
      1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

  private ArrowValues() {}

  /**
   * Value {@code i} of {@code v} as the Java value of {@code type}, or null; narrower numbers widen (a SMALLINT for an
   * INT column, a FLOAT for a DOUBLE). {@code text} decodes strings without a byte array per value.
   */
  public static Object value(FieldVector v, int i, ColumnType type, Utf8Scratch text) {
    if (v.isNull(i)) {
      return null;
    }
    return switch (type.type()) {
      case STRING -> v instanceof VarCharVector s ? text.string(s, i) : String.valueOf(v.getObject(i));
      case INT -> v instanceof IntVector x ? x.get(i) : ((Number) number(v, i)).intValue();
      case LONG -> v instanceof BigIntVector x ? x.get(i)
          : number(v, i) instanceof BigDecimal d ? d.longValueExact() : ((Number) number(v, i)).longValue();
      case DOUBLE -> v instanceof Float8Vector x ? x.get(i) : ((Number) number(v, i)).doubleValue();
      case DECIMAL -> decimal((DecimalVector) v, i, type.scale());
      case DATE -> date(((DateDayVector) v).get(i));
      case TIMESTAMP -> timestamp(micros((TimeStampVector) v, i));
      case TIMESTAMPTZ -> timestampTz(micros((TimeStampVector) v, i));
      case BOOLEAN -> ((BitVector) v).get(i) != 0;
    };
  }

  /**
   * Values {@code 0..rows-1} of {@code v} into {@code out}, each what {@link #value} gives: a whole batch's column in
   * one loop (text through {@link Utf8Scratch#strings}: one copy of the batch's bytes).
   */
  public static void values(FieldVector v, int rows, ColumnType type, Utf8Scratch text, Object[] out) {
    if (type.type() == io.dataops.lakehouse.types.ValueType.STRING && v instanceof VarCharVector s) {
      text.strings(s, rows, out);
      return;
    }
    for (int i = 0; i < rows; i++) {
      out[i] = value(v, i, type, text);
    }
  }

  private static Object number(FieldVector v, int i) {
    if (v instanceof SmallIntVector x) {
      return (int) x.get(i);
    }
    if (v instanceof TinyIntVector x) {
      return (int) x.get(i);
    }
    if (v instanceof Float4Vector x) {
      return (double) x.get(i);
    }
    return v.getObject(i);
  }

  // Text

  /**
   * Copies text value {@code i}'s UTF-8 bytes into {@code to} at {@code at} when they fit, and returns their length:
   * a length beyond {@code to.length - at} means nothing was copied (make room and call again). One read of the
   * value's offsets either way, as this runs per value on the scans' hottest paths.
   */
  public static int copyUtf8(VarCharVector v, int i, byte[] to, int at) {
    long start = v.getStartOffset(i);
    int length = (int) (v.getEndOffset(i) - start);
    if (length <= to.length - at) {
      v.getDataBuffer().getBytes(start, to, at, length);
    }
    return length;
  }

  // Dates and timestamps

  public static LocalDate date(long epochDay) {
    return LocalDate.ofEpochDay(epochDay);
  }

  /** Local civil time from micros since 1970-01-01T00:00 (floor division: before 1970 too, the whole Java range). */
  public static LocalDateTime timestamp(long micros) {
    return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, MICROS_PER_SECOND),
        (int) Math.floorMod(micros, MICROS_PER_SECOND) * 1000, ZoneOffset.UTC);
  }

  /** An instant from micros since the epoch, at UTC. */
  public static OffsetDateTime timestampTz(long micros) {
    return OffsetDateTime.of(timestamp(micros), ZoneOffset.UTC);
  }

  /** Value {@code i} of a timestamp vector in micros, whatever its unit (DuckDB has seconds, millis and nanos too). */
  public static long micros(TimeStampVector v, int i) {
    long raw = v.get(i);
    return switch (((ArrowType.Timestamp) v.getField().getType()).getUnit()) {
      case SECOND -> raw * MICROS_PER_SECOND;
      case MILLISECOND -> raw * 1000;
      case MICROSECOND -> raw;
      case NANOSECOND -> Math.floorDiv(raw, 1000);
    };
  }

  // Decimals

  /**
   * Value {@code i} of a decimal vector at {@code scale} (which must hold it exactly). Read from its 16 little-endian
   * bytes: one BigDecimal, where the vector's own getter makes a byte array and a BigInteger first.
   */
  public static BigDecimal decimal(DecimalVector v, int i, int scale) {
    ArrowBuf data = v.getDataBuffer();
    long at = (long) i * DECIMAL_BYTES;
    long low = data.getLong(at);
    long high = data.getLong(at + 8);
    BigDecimal d = high == (low >> 63) ? BigDecimal.valueOf(low, v.getScale()) : v.getObject(i);
    return d.setScale(scale, RoundingMode.UNNECESSARY);
  }

  /** Value {@code i} of a decimal vector as a double: what {@link BigDecimal#doubleValue} gives, mostly without one. */
  public static double decimalAsDouble(DecimalVector v, int i) {
    ArrowBuf data = v.getDataBuffer();
    long at = (long) i * DECIMAL_BYTES;
    long low = data.getLong(at);
    long high = data.getLong(at + 8);
    return high == (low >> 63) ? unscaledAsDouble(low, v.getScale()) : v.getObject(i).doubleValue();
  }

  /**
   * A decimal given by its unscaled value (as Parquet INT64 decimals of precision up to 18 hold it) as a double: one
   * correctly rounded division when both operands are exact doubles, as {@link BigDecimal#doubleValue} computes it.
   */
  public static double unscaledAsDouble(long unscaled, int scale) {
    if (Math.abs(unscaled) < 1L << 52 && scale < POW10.length) {
      return unscaled / POW10[scale];
    }
    return BigDecimal.valueOf(unscaled, scale).doubleValue();
  }
}
