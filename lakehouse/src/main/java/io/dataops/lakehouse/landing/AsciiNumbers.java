package io.dataops.lakehouse.landing;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * Parsers for the common spellings of numbers and dates, straight from ASCII bytes. Each returns null when the
 * text is not in the form it handles; the caller then takes the general path, which also names the problem.
 */
final class AsciiNumbers {
  private AsciiNumbers() {}

  private static final long[] POW10 = new long[19];

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
  }

  static Long parseLong(byte[] b, int from, int to) {
    long v = digits(b, from, to, 18);
    return v < 0 ? null : Long.valueOf(sign(b, from) ? -v : v);
  }

  static Integer parseInt(byte[] b, int from, int to) {
    long v = digits(b, from, to, 9);
    return v < 0 ? null : Integer.valueOf((int) (sign(b, from) ? -v : v));
  }

  private static boolean sign(byte[] b, int from) {
    return b[from] == '-';
  }

  /** An optionally signed run of at most maxDigits digits, as a non-negative value; -1 otherwise. */
  private static long digits(byte[] b, int from, int to, int maxDigits) {
    if (from < to && (b[from] == '-' || b[from] == '+')) {
      from++;
    }
    int n = to - from;
    if (n <= 0 || n > maxDigits) {
      return -1;
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  /**
   * [-+]digits[.digits] with at most 18 significant digits and no more fraction digits than the scale (trailing
   * zeros aside), fitting the precision: the value at exactly {@code scale}.
   */
  static BigDecimal parseDecimal(byte[] b, int from, int to, int precision, int scale) {
    boolean negative = false;
    if (from < to && (b[from] == '-' || b[from] == '+')) {
      negative = b[from] == '-';
      from++;
    }
    if (from >= to) {
      return null;
    }
    long unscaled = 0;
    int intDigits = 0;
    int fracDigits = 0;
    boolean dot = false;
    int significant = 0;
    int trailingZeros = 0;
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c == '.') {
        if (dot) {
          return null;
        }
        dot = true;
        continue;
      }
      int d = c - '0';
      if (d < 0 || d > 9) {
        return null;
      }
      if (dot) {
        fracDigits++;
        trailingZeros = d == 0 ? trailingZeros + 1 : 0;
      } else {
        intDigits++;
      }
      if (significant > 0 || d != 0) {
        significant++;
      }
      if (significant > 18) {
        return null;
      }
      unscaled = unscaled * 10 + d;
    }
    if (intDigits == 0 && fracDigits == 0) {
      return null;
    }
    // Drop trailing zeros beyond the scale (1.500 in decimal(p,2) is 1.50).
    while (fracDigits > scale && trailingZeros > 0) {
      unscaled /= 10;
      fracDigits--;
      trailingZeros--;
    }
    if (fracDigits > scale) {
      return null;
    }
    int grow = scale - fracDigits;
    if (significantDigits(unscaled) + grow > 18) {
      return null;
    }
    unscaled *= POW10[grow];
    if (significantDigits(unscaled) > precision) {
      return null;
    }
    return BigDecimal.valueOf(negative ? -unscaled : unscaled, scale);
  }

  private static int significantDigits(long v) {
    int n = 1;
    while (n < 19 && v >= POW10[n]) {
      n++;
    }
    return n;
  }

  /** yyyy-MM-dd */
  static LocalDate parseIsoDate(byte[] b, int from, int to) {
    if (to - from != 10 || b[from + 4] != '-' || b[from + 7] != '-') {
      return null;
    }
    return date(num(b, from, 4), num(b, from + 5, 2), num(b, from + 8, 2));
  }

  /** yyyyMMdd */
  static LocalDate parseBasicDate(byte[] b, int from, int to) {
    if (to - from != 8) {
      return null;
    }
    return date(num(b, from, 4), num(b, from + 4, 2), num(b, from + 6, 2));
  }

  /** yyyy-MM-dd HH:mm:ss */
  static LocalDateTime parseIsoTimestamp(byte[] b, int from, int to) {
    if (to - from != 19 || b[from + 10] != ' ' || b[from + 13] != ':' || b[from + 16] != ':') {
      return null;
    }
    LocalDate d = parseIsoDate(b, from, from + 10);
    int h = num(b, from + 11, 2);
    int m = num(b, from + 14, 2);
    int s = num(b, from + 17, 2);
    if (d == null || h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 59) {
      return null;
    }
    return LocalDateTime.of(d.getYear(), d.getMonthValue(), d.getDayOfMonth(), h, m, s);
  }

  private static LocalDate date(int y, int m, int d) {
    if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31) {
      return null;
    }
    try {
      return LocalDate.of(y, m, d);
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static int num(byte[] b, int from, int n) {
    int v = 0;
    for (int i = from; i < from + n; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }
}
