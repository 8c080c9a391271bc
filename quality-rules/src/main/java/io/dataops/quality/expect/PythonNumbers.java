package io.dataops.quality.expect;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Python's exact comparisons of a whole-number (int64) or decimal value with a suite's numbers: an int compares with
 * an int exactly, and with a float by the float's exact value (123456789012345678 == 1.2345678901234568e17 is False,
 * the float being 123456789012345680; Decimal('0.10') == 0.1 is False, the float being 0.1000000000000000055...).
 * Through a double, values past 2^53 compared as their neighbours (found by a probe), and 0.10 as 0.1.
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

  /**
   * Python's {@code str()} of a {@code decimal.Decimal}: the General Decimal Arithmetic to-scientific-string, which
   * {@link BigDecimal#toString} implements to the letter: plain unless the exponent is positive or the adjusted
   * exponent below -6, else one digit, the rest after a point, and {@code E} with a signed exponent
   * ({@code Decimal('0.0000001')} is {@code 1E-7}, 0 at exponent -8 {@code 0E-8}, 0.00000010 {@code 1.0E-7}).
   * Python's negative zero ({@code -0.00}) is the one difference, and a decimal column holds none (its unscaled
   * values are two's complement).
   */
  static String decimalText(BigDecimal d) {
    return d.toString();
  }
}
