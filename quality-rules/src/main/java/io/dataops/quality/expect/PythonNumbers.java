package io.dataops.quality.expect;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Python's exact comparisons of a whole-number (int64) value with a suite's numbers: an int compares with an int
 * exactly, and with a float by the float's exact value (123456789012345678 == 1.2345678901234568e17 is False, the
 * float being 123456789012345680). Through a double, values past 2^53 compared as their neighbours (found by a probe).
 */
final class PythonNumbers {
  private PythonNumbers() {}

  /**
   * A suite's number as Python holds it, exactly: an int (Long, BigInteger) as written, a float (Double, or the
   * BigDecimal of a written float) as its double's exact value. Null for NaN and the infinities.
   */
  static BigDecimal exact(Number n) {
    if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
      return BigDecimal.valueOf(n.longValue());
    }
    if (n instanceof BigInteger i) {
      return new BigDecimal(i);
    }
    double d = n.doubleValue();
    return Double.isFinite(d) ? new BigDecimal(d) : null;
  }

  /**
   * The least long at or above (strict: above) the bound; Long.MIN_VALUE for -inf; null when no long is (+inf, or a
   * bound past Long.MAX_VALUE).
   */
  static Long lowestAbove(Number bound, boolean strict) {
    BigDecimal b = exact(bound);
    if (b == null) {
      return bound.doubleValue() < 0 ? Long.MIN_VALUE : null;
    }
    BigInteger w = strict ? b.setScale(0, RoundingMode.FLOOR).toBigInteger().add(BigInteger.ONE)
        : b.setScale(0, RoundingMode.CEILING).toBigInteger();
    return w.bitLength() < 64 ? (Long) w.longValue() : w.signum() < 0 ? (Long) Long.MIN_VALUE : null;
  }

  /** The greatest long at or below (strict: below) the bound; Long.MAX_VALUE for +inf; null when no long is. */
  static Long highestBelow(Number bound, boolean strict) {
    BigDecimal b = exact(bound);
    if (b == null) {
      return bound.doubleValue() > 0 ? Long.MAX_VALUE : null;
    }
    BigInteger w = strict ? b.setScale(0, RoundingMode.CEILING).toBigInteger().subtract(BigInteger.ONE)
        : b.setScale(0, RoundingMode.FLOOR).toBigInteger();
    return w.bitLength() < 64 ? (Long) w.longValue() : w.signum() > 0 ? (Long) Long.MAX_VALUE : null;
  }

  /** The set member as a long when a whole-number value can equal it (Python's ==), else null. */
  static Long asLong(Number n) {
    BigDecimal b = exact(n);
    if (b == null || b.signum() != 0 && b.stripTrailingZeros().scale() > 0) {
      return null;
    }
    BigInteger w = b.toBigIntegerExact();
    return w.bitLength() < 64 ? w.longValue() : null;
  }

  /**
   * The set member as a double when a float value can equal it: an int only if the double holds it exactly
   * (2**53 + 1 == float(2**53 + 1) is False). Null when none can.
   */
  static Double asDouble(Number n) {
    double d = n.doubleValue();
    if (n instanceof Long || n instanceof BigInteger) {
      return Double.isFinite(d) && new BigDecimal(d).compareTo(exact(n)) == 0 ? d : null;
    }
    return d;
  }

  /** Long against double exactly, as Python compares an int with a float; NaN as {@link Double#compare} orders it. */
  static int compare(long l, double d) {
    if (Double.isNaN(d)) {
      return -1;
    }
    if (d >= 0x1p63) {
      return -1;
    }
    if (d < -0x1p63) {
      return 1;
    }
    long t = (long) d; // |d| < 2^63: the whole part, exactly
    if (l != t) {
      return Long.compare(l, t);
    }
    double fraction = d - t; // exact
    return fraction > 0 ? -1 : fraction < 0 ? 1 : 0;
  }
}
