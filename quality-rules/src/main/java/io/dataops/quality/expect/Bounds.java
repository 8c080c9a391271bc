package io.dataops.quality.expect;

import io.dataops.lakehouse.arrow.ArrowValues;
import io.dataops.quality.engine.ColumnView;
import io.dataops.quality.engine.TextOrder;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * A {@code min_value}/{@code max_value} range with {@code strict_min}/{@code strict_max}. Numbers for numeric
 * columns; ISO dates and timestamps for date and timestamp columns (compared as days and microseconds); text for
 * text columns (compared as strings, like Python).
 */
final class Bounds {
  private final Double min;
  private final Double max;
  private final String minText;
  private final String maxText;
  private final boolean strictMin;
  private final boolean strictMax;
  final boolean text;
  private final Type.TypeID temporal;
  /**
   * The range for whole-number values, exactly (Python compares int with int and float exactly): the least and the
   * greatest long inside it, wholeMin > wholeMax when none is.
   */
  private final long wholeMin;
  private final long wholeMax;
  /** min_value > max_value as Python compares the numbers given (exactly: two ints past 2^53 are one double). */
  private final boolean numbersInverted;
  /** The numeric bounds' exact values, as Python compares a Decimal with them; null when none or infinite. */
  private final BigDecimal exactMin;
  private final BigDecimal exactMax;
  /** A timestamp with zone (an instant): shown with its offset (UTC), and a bound may give one. */
  private final boolean zoned;
  /** The numbers given, as written: an int past 2^53 is shown as itself, not as its double. */
  private final Number minGiven;
  private final Number maxGiven;

  private Bounds(Double min, Double max, String minText, String maxText, boolean strictMin, boolean strictMax,
      boolean text, Type.TypeID temporal, boolean zoned, long wholeMin, long wholeMax, boolean numbersInverted,
      BigDecimal exactMin, BigDecimal exactMax, Number minGiven, Number maxGiven) {
    this.min = min;
    this.max = max;
    this.minText = minText;
    this.maxText = maxText;
    this.strictMin = strictMin;
    this.strictMax = strictMax;
    this.text = text;
    this.temporal = temporal;
    this.zoned = zoned;
    this.wholeMin = wholeMin;
    this.wholeMax = wholeMax;
    this.numbersInverted = numbersInverted;
    this.exactMin = exactMin;
    this.exactMax = exactMax;
    this.minGiven = minGiven;
    this.maxGiven = maxGiven;
  }

  /** Ends with an offset: Z, +08:00 or -05:30. */
  private static final Pattern OFFSET = Pattern.compile("(Z|[+-]\\d{2}:\\d{2})$");

  static final String MIXED_TYPES = "Column values, min_value, and max_value must either be None or of the same type.";

  /** A range where at least one bound is given (map expectations: GX refuses both missing). */
  static Bounds of(Args a, Type columnType, String minKey, String maxKey) {
    Bounds b = read(a, columnType, minKey, maxKey);
    if (b.unbounded()) {
      throw a.fail(null, "give " + minKey + ", " + maxKey + " or both");
    }
    return b;
  }

  /** A range of a metric: both bounds missing or null is vacuously true, as in GX. */
  static Bounds orAnything(Args a, Type columnType, String minKey, String maxKey) {
    return read(a, columnType, minKey, maxKey);
  }

  /** GX raises when the range is empty (values between, row and column counts). */
  Bounds rejectInverted(Args a) {
    boolean inverted = text ? minText != null && maxText != null && TextOrder.compare(minText, maxText) > 0
        : temporal != null ? min != null && max != null && min > max : numbersInverted;
    if (inverted) {
      throw a.error("min_value", "min_value cannot be greater than max_value");
    }
    return this;
  }

  boolean unbounded() {
    return min == null && max == null && minText == null && maxText == null;
  }

  private static Bounds read(Args a, Type columnType, String minKey, String maxKey) {
    boolean strictMin = a.bool("strict_min", false);
    boolean strictMax = a.bool("strict_max", false);
    a.allow(minKey, maxKey);
    Object lo = a.kwargs().get(minKey);
    Object hi = a.kwargs().get(maxKey);
    Type.TypeID id = columnType == null ? null : columnType.typeId();
    if (id == Type.TypeID.STRING) {
      // Python compares text with text only: a number against a text column is GX's TypeError.
      if ((lo != null && !(lo instanceof String)) || (hi != null && !(hi instanceof String))) {
        throw a.error(lo != null && !(lo instanceof String) ? minKey : maxKey, MIXED_TYPES);
      }
      return new Bounds(null, null, (String) lo, (String) hi, strictMin, strictMax, true, null, false, 1, 0, false,
          null, null, null, null);
    }
    if (id == Type.TypeID.DATE || id == Type.TypeID.TIMESTAMP) {
      boolean zoned = columnType instanceof Types.TimestampType t && t.shouldAdjustToUTC();
      return new Bounds(temporal(a, minKey, lo, id, zoned), temporal(a, maxKey, hi, id, zoned), null, null, strictMin,
          strictMax, false, id, zoned, 1, 0, false, null, null, null, null);
    }
    Double min = number(a, minKey, lo, id != null);
    Double max = number(a, maxKey, hi, id != null);
    Long wholeMin = min == null ? (Long) Long.MIN_VALUE : PythonNumbers.lowestAbove((Number) lo, strictMin);
    Long wholeMax = max == null ? (Long) Long.MAX_VALUE : PythonNumbers.highestBelow((Number) hi, strictMax);
    boolean none = wholeMin == null || wholeMax == null;
    BigDecimal exactMin = min == null ? null : PythonNumbers.exact((Number) lo);
    BigDecimal exactMax = max == null ? null : PythonNumbers.exact((Number) hi);
    boolean inverted = exactMin != null && exactMax != null ? exactMin.compareTo(exactMax) > 0
        : min != null && max != null && min > max; // an infinity
    return new Bounds(min, max, null, null, strictMin, strictMax, false, null, false, none ? 1 : wholeMin,
        none ? 0 : wholeMax, inverted, exactMin, exactMax, (Number) lo, (Number) hi);
  }

  private static Double number(Args a, String key, Object v, boolean ofColumn) {
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n)) {
      if (ofColumn) {
        throw a.error(key, MIXED_TYPES);
      }
      throw a.fail(key, key + " must be a number");
    }
    if (Double.isNaN(n.doubleValue())) {
      // Every comparison with NaN is false: min_value .nan let every row pass, max_value .nan failed every row.
      throw a.fail(key, "argument '" + key + "' must be a number, not NaN");
    }
    return n instanceof BigDecimal d ? d.doubleValue() : n.doubleValue();
  }

  private static Double temporal(Args a, String key, Object v, Type.TypeID id, boolean zoned) {
    if (v == null) {
      return null;
    }
    if (!(v instanceof String)) {
      throw a.error(key, MIXED_TYPES);
    }
    String s = v.toString().strip().replace(' ', 'T');
    try {
      if (id == Type.TypeID.DATE) {
        return (double) LocalDate.parse(s.length() > 10 ? s.substring(0, 10) : s).toEpochDay();
      }
      if (zoned && s.length() > 10 && OFFSET.matcher(s).find()) {
        // An instant's bound may name its offset (2024-01-31T08:00:00+08:00); without one it is UTC, as shown.
        Instant t = OffsetDateTime.parse(s).toInstant();
        return (double) (t.getEpochSecond() * 1_000_000L + t.getNano() / 1000);
      }
      LocalDateTime t = s.length() == 10 ? LocalDate.parse(s).atStartOfDay() : LocalDateTime.parse(s);
      return (double) (t.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + t.getNano() / 1000);
    } catch (DateTimeParseException e) {
      throw a.fail(key, key + " must be an ISO date (2024-01-31) or timestamp (2024-01-31T08:00:00"
          + (zoned ? ", or with an offset: 2024-01-31T08:00:00+08:00 or ...Z" : "") + ")");
    }
  }

  boolean contains(double v) {
    if (min != null && (strictMin ? v <= min : v < min)) {
      return false;
    }
    return max == null || (strictMax ? v < max : v <= max);
  }

  /** A whole-number (int or long column) value, compared exactly: no allocation, two long comparisons. */
  boolean containsWhole(long v) {
    return v >= wholeMin && v <= wholeMax;
  }

  /**
   * A decimal column's value, compared exactly, as Python compares a Decimal with an int or a float (by the float's
   * exact value: Decimal('0.10') >= 0.1 is False, the float being 0.1000000000000000055...). Its double decides
   * where it differs from the bound's: both are correctly rounded, and rounding keeps their order. Only a tie reads
   * the value as a BigDecimal.
   */
  boolean containsDecimal(ColumnView c, int row) {
    double d = c.getDouble(row);
    if (min != null) {
      int cmp = d != min || exactMin == null ? Double.compare(d, min) : c.getDecimal(row).compareTo(exactMin);
      if (strictMin ? cmp <= 0 : cmp < 0) {
        return false;
      }
    }
    if (max == null) {
      return true;
    }
    int cmp = d != max || exactMax == null ? Double.compare(d, max) : c.getDecimal(row).compareTo(exactMax);
    return strictMax ? cmp < 0 : cmp <= 0;
  }

  /** A decimal, exactly: a min or max of a decimal column (Python's Decimal against int and float bounds). */
  boolean containsDecimal(BigDecimal v) {
    if (min != null) {
      int cmp = exactMin != null ? v.compareTo(exactMin) : min > 0 ? -1 : 1; // else an infinity
      if (strictMin ? cmp <= 0 : cmp < 0) {
        return false;
      }
    }
    if (max == null) {
      return true;
    }
    int cmp = exactMax != null ? v.compareTo(exactMax) : max > 0 ? -1 : 1;
    return strictMax ? cmp < 0 : cmp <= 0;
  }

  boolean containsText(String v) {
    if (minText != null && (strictMin ? TextOrder.compare(v, minText) <= 0 : TextOrder.compare(v, minText) < 0)) {
      return false;
    }
    return maxText == null || (strictMax ? TextOrder.compare(v, maxText) < 0 : TextOrder.compare(v, maxText) <= 0);
  }

  double valueOf(ColumnView c, int row) {
    return temporal != null ? c.getLong(row) : c.getDouble(row);
  }

  /** An observed value in the column's own terms. */
  Object render(double v) {
    if (Double.isNaN(v)) {
      return null;
    }
    if (temporal == Type.TypeID.DATE) {
      return ArrowValues.date((long) v).toString();
    }
    if (temporal == Type.TypeID.TIMESTAMP) {
      return zoned ? ArrowValues.timestampTz((long) v).toString() : ArrowValues.timestamp((long) v).toString();
    }
    return Results.number(v);
  }

  String describe() {
    Object lo = text ? minText : min == null ? null : shown(minGiven, min);
    Object hi = text ? maxText : max == null ? null : shown(maxGiven, max);
    return (lo == null ? "(-inf" : (strictMin ? "(" : "[") + lo) + ", " + (hi == null ? "+inf)" : hi + (strictMax ? ")" : "]"));
  }

  /** A bound as the failure's wording shows it: an int exactly, as it is compared (a double past 2^53 is not it). */
  private Object shown(Number given, double bound) {
    return given instanceof Long || given instanceof Integer || given instanceof BigInteger ? given : render(bound);
  }
}
