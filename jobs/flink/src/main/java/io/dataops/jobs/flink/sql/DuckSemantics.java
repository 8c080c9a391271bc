package io.dataops.jobs.flink.sql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DuckDB's meaning of the functions and casts of the SQL subset, in Java, for the Flink engine: the Spring Batch
 * engine runs a transform on DuckDB itself, so wherever Flink's own function would give another value (strings
 * counted in UTF-16 units instead of characters, ROUND through a decimal, casts that truncate instead of round,
 * integer overflow that wraps instead of failing, CONCAT that turns NULL into NULL...) the Flink transform calls
 * these instead. Each one is checked against DuckDB by {@code DuckSemanticsTest}. Where DuckDB's rule is not
 * reproduced (a text it would parse in a form that is not the plain one), the value is refused with a
 * {@link TransformDataException}: the engines never silently differ. Messages never carry the value.
 */
public final class DuckSemantics {
  private DuckSemantics() {}

  // ---------------------------------------------------------------- text

  /** Upper case per code point, as DuckDB maps it (a newer Unicode than Java 17's, and ß to ẞ). */
  public static String upper(String s) {
    if (s == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> out.appendCodePoint(upperCodePoint(cp)));
    return out.toString();
  }

  public static String lower(String s) {
    if (s == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(s.length());
    s.codePoints().forEach(cp -> out.appendCodePoint(lowerCodePoint(cp)));
    return out.toString();
  }

  static int upperCodePoint(int cp) {
    switch (cp) {
      case 0xDF:
        return 0x1E9E;
      case 0x2C5F:
        return 0x2C2F;
      case 0xA7C1:
      case 0xA7D1:
      case 0xA7D7:
      case 0xA7D9:
        return cp - 1;
      default:
        break;
    }
    if (cp >= 0x10597 && cp <= 0x105BC && cp != 0x105A2 && cp != 0x105B2 && cp != 0x105BA) {
      return cp - 0x27; // Vithkuqi (Unicode 14)
    }
    return Character.toUpperCase(cp);
  }

  static int lowerCodePoint(int cp) {
    switch (cp) {
      case 0x2C2F:
        return 0x2C5F;
      case 0xA7C0:
      case 0xA7D0:
      case 0xA7D6:
      case 0xA7D8:
        return cp + 1;
      default:
        break;
    }
    if (cp >= 0x10570 && cp <= 0x10595 && cp != 0x1057B && cp != 0x1058B && cp != 0x10593) {
      return cp + 0x27;
    }
    return Character.toLowerCase(cp);
  }

  /** Characters (code points), not UTF-16 units: a rare CJK character outside the BMP is one. */
  public static Long length(String s) {
    return s == null ? null : (long) s.codePointCount(0, s.length());
  }

  /**
   * trim/ltrim/rtrim(s) with one argument: strips every Unicode space separator (general category Zs: U+0020, U+00A0,
   * U+1680, U+2000..U+200A, U+202F, U+205F, U+3000), as DuckDB does — not tabs, line breaks or other white space
   * (U+0009..U+000D, U+0085, U+2028, U+2029), nor zero-width characters (U+200B, U+FEFF).
   */
  public static String trim(String s, boolean left, boolean right) {
    if (s == null) {
      return null;
    }
    int from = 0;
    int to = s.length();
    while (left && from < to) {
      int cp = s.codePointAt(from);
      if (!isSpaceSeparator(cp)) {
        break;
      }
      from += Character.charCount(cp);
    }
    while (right && to > from) {
      int cp = s.codePointBefore(to);
      if (!isSpaceSeparator(cp)) {
        break;
      }
      to -= Character.charCount(cp);
    }
    return s.substring(from, to);
  }

  /** What DuckDB's one-argument trim strips: Unicode general category Zs (checked on every code point). */
  static boolean isSpaceSeparator(int cp) {
    return Character.getType(cp) == Character.SPACE_SEPARATOR;
  }

  /** trim/ltrim/rtrim(s, chars): strips exactly the code points of {@code chars}, NULL when either is. */
  public static String trim(String s, String chars, boolean left, boolean right) {
    if (s == null || chars == null) {
      return null;
    }
    int[] cps = s.codePoints().toArray();
    int[] set = chars.codePoints().toArray();
    int from = 0;
    int to = cps.length;
    while (left && from < to && contains(set, cps[from])) {
      from++;
    }
    while (right && to > from && contains(set, cps[to - 1])) {
      to--;
    }
    return new String(cps, from, to - from);
  }

  private static boolean contains(int[] set, int cp) {
    for (int c : set) {
      if (c == cp) {
        return true;
      }
    }
    return false;
  }

  /**
   * substring(s, start[, length]) in characters, 1-based, as a window clipped to the text: a start of 0 is one
   * character before the first, a negative start counts from the end, a negative length takes the characters before
   * the start.
   */
  public static String substring(String s, Long offset, Long length) {
    if (s == null || offset == null) {
      return null;
    }
    int[] cps = s.codePoints().toArray();
    long size = cps.length;
    long first = offset > 0 ? offset - 1 : offset < 0 ? size + offset : -1;
    long from;
    long to;
    if (length == null) {
      from = first;
      to = size;
    } else if (length >= 0) {
      from = first;
      to = first + length;
    } else {
      from = first + length;
      to = first;
    }
    from = Math.max(0, Math.min(size, from));
    to = Math.max(0, Math.min(size, to));
    return from >= to ? "" : new String(cps, (int) from, (int) (to - from));
  }

  /** concat(...): NULL arguments are skipped (all NULL gives the empty text). */
  public static String concat(String... parts) {
    StringBuilder out = new StringBuilder();
    for (String p : parts) {
      if (p != null) {
        out.append(p);
      }
    }
    return out.toString();
  }

  /** replace(s, from, to): left to right, not overlapping; an empty {@code from} replaces nothing. */
  public static String replace(String s, String from, String to) {
    if (s == null || from == null || to == null) {
      return null;
    }
    return from.isEmpty() ? s : s.replace(from, to);
  }

  /** LIKE: '%' any characters, '_' exactly one character (code point), no escape character, case-sensitive. */
  public static Boolean like(String s, String pattern) {
    if (s == null || pattern == null) {
      return null;
    }
    return like(s.codePoints().toArray(), 0, pattern.codePoints().toArray(), 0);
  }

  private static boolean like(int[] s, int si, int[] p, int pi) {
    while (pi < p.length) {
      int c = p[pi];
      if (c == '%') {
        while (pi < p.length && p[pi] == '%') {
          pi++;
        }
        if (pi == p.length) {
          return true;
        }
        for (int k = si; k <= s.length; k++) {
          if (like(s, k, p, pi)) {
            return true;
          }
        }
        return false;
      }
      if (si >= s.length || c != '_' && c != s[si]) {
        return false;
      }
      si++;
      pi++;
    }
    return si == s.length;
  }

  // ---------------------------------------------------------------- numbers

  /** round(x): half away from zero (C's round); infinities and NaN stay. */
  public static Double round(Double x) {
    if (x == null) {
      return null;
    }
    double r = roundHalfAway(x);
    return Double.isInfinite(r) || Double.isNaN(r) ? x : r;
  }

  /** round(x, n) of a DOUBLE: scaled by a power of ten in binary, rounded half away, scaled back. */
  public static Double round(Double x, Integer n) {
    if (x == null || n == null) {
      return null;
    }
    double r;
    if (n < 0) {
      double modifier = Math.pow(10, -n);
      r = roundHalfAway(x / modifier) * modifier;
      if (Double.isInfinite(r) || Double.isNaN(r)) {
        return 0.0;
      }
    } else {
      double modifier = Math.pow(10, n);
      r = roundHalfAway(x * modifier) / modifier;
      if (Double.isInfinite(r) || Double.isNaN(r)) {
        return x;
      }
    }
    return r;
  }

  /** C's round(): the nearest integer, halves away from zero. */
  static double roundHalfAway(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x) || Math.abs(x) >= 0x1p52) {
      return x;
    }
    double t = Math.floor(Math.abs(x));
    if (Math.abs(x) - t >= 0.5) {
      t += 1;
    }
    return Math.copySign(t, x);
  }

  public static Integer addInt(Integer a, Integer b) {
    return a == null || b == null ? null : checked(() -> Math.addExact(a, b), "addition of INTEGER");
  }

  public static Integer subtractInt(Integer a, Integer b) {
    return a == null || b == null ? null : checked(() -> Math.subtractExact(a, b), "subtraction of INTEGER");
  }

  public static Integer multiplyInt(Integer a, Integer b) {
    return a == null || b == null ? null : checked(() -> Math.multiplyExact(a, b), "multiplication of INTEGER");
  }

  public static Integer negateInt(Integer a) {
    return a == null ? null : checked(() -> Math.negateExact(a), "negation of INTEGER");
  }

  public static Integer absInt(Integer a) {
    return a == null ? null : a < 0 ? negateInt(a) : a;
  }

  public static Long addBigint(Long a, Long b) {
    return a == null || b == null ? null : checked(() -> Math.addExact(a, b), "addition of BIGINT");
  }

  public static Long subtractBigint(Long a, Long b) {
    return a == null || b == null ? null : checked(() -> Math.subtractExact(a, b), "subtraction of BIGINT");
  }

  public static Long multiplyBigint(Long a, Long b) {
    return a == null || b == null ? null : checked(() -> Math.multiplyExact(a, b), "multiplication of BIGINT");
  }

  public static Long negateBigint(Long a) {
    return a == null ? null : checked(() -> Math.negateExact(a), "negation of BIGINT");
  }

  public static Long absBigint(Long a) {
    return a == null ? null : a < 0 ? negateBigint(a) : a;
  }

  /**
   * {@code a op b} ({@code +}, {@code -} or {@code *}) of exact numbers (DECIMAL, HUGEINT carried as a DECIMAL, or
   * integers) into DuckDB's DECIMAL(p, s) of the result, as its exact text. As DuckDB: for + and - each operand is first
   * made a DECIMAL(p, s) (refused when it does not fit), for * the unscaled values are multiplied (the scale is the sum
   * of the operands'); a result of more than p digits fails the run ("Overflow in addition of DECIMAL(38)", as DuckDB
   * says) instead of becoming NULL, as Flink's own decimal operators make it, and is never rounded to fewer places.
   */
  public static String decimalArithmetic(String op, Object a, Object b, int precision, int scale) {
    if (a == null || b == null) {
      return null;
    }
    BigDecimal x = exact(a, "DECIMAL");
    BigDecimal y = exact(b, "DECIMAL");
    String what;
    BigDecimal r;
    switch (op) {
      case "+" -> {
        what = "addition";
        r = decimalOperand(x, precision, scale).add(decimalOperand(y, precision, scale));
      }
      case "-" -> {
        what = "subtract";
        r = decimalOperand(x, precision, scale).subtract(decimalOperand(y, precision, scale));
      }
      case "*" -> {
        what = "multiplication";
        r = x.multiply(y);
      }
      default -> throw new IllegalArgumentException("not a decimal operator: " + op);
    }
    BigDecimal result;
    try {
      result = r.setScale(scale, RoundingMode.UNNECESSARY);
    } catch (ArithmeticException e) { // DuckDB's type always holds the exact result's places; never round silently
      throw new TransformDataException("Conversion Error: the result of a DECIMAL " + what + " has more places than "
          + "DECIMAL(" + precision + "," + scale + ")");
    }
    if (!fitsDigits(result.unscaledValue(), precision)) {
      throw new TransformDataException("Out of Range Error: Overflow in " + what + " of DECIMAL(" + precision + ")");
    }
    return result.toPlainString();
  }

  /** An operand of a DECIMAL + or - made the result's DECIMAL(p, s), as DuckDB casts it (refused when too large). */
  private static BigDecimal decimalOperand(BigDecimal x, int precision, int scale) {
    BigDecimal v;
    try {
      v = x.setScale(scale, RoundingMode.UNNECESSARY);
    } catch (ArithmeticException e) {
      throw new TransformDataException("Conversion Error: an operand has more places than DECIMAL(" + precision + ","
          + scale + ")");
    }
    if (!fitsDigits(v.unscaledValue(), precision)) {
      throw new TransformDataException("Conversion Error: a value does not fit DECIMAL(" + precision + "," + scale
          + ")");
    }
    return v;
  }

  /** |unscaled| &lt; 10^digits. */
  static boolean fitsDigits(BigInteger unscaled, int digits) {
    return unscaled.abs().compareTo(BigInteger.TEN.pow(digits)) < 0;
  }

  /**
   * The exact sum of DECIMAL (or integer) unscaled values as DuckDB's sum gives it, DECIMAL(38, s) (or a HUGEINT),
   * as its text at {@code scale}; DuckDB adds in 128-bit integers and fails the run on an overflow ("Overflow in
   * HUGEINT addition"), where Flink's SUM gives NULL (and then restarts from the next value). Which partial sums
   * DuckDB forms depends on its threads, so the run is refused whenever some order could overflow: when the positive
   * values or the negative ones alone leave the 128-bit range ({@code overflow}); and when the sum is more than 38
   * digits, which neither engine's DECIMAL(38, s) holds.
   */
  public static String decimalSum(BigInteger sum, boolean overflow, int scale) {
    if (overflow || !fitsDigits(sum, 38)) {
      throw new TransformDataException("Out of Range Error: Overflow in HUGEINT addition (a sum of DECIMAL or "
          + "integer values leaves DECIMAL(38," + scale + "))");
    }
    return new BigDecimal(sum, scale).toPlainString();
  }

  // ---------------------------------------------------------------- doubles: DuckDB's order

  /**
   * DuckDB's comparison of DOUBLEs, or null when one is NULL: -0.0 and 0.0 are one value, NaN is one value (every NaN
   * equal to every other) above every other value, infinity included. Java's (and Flink's) operators say NaN is
   * neither equal to nor greater or less than anything.
   */
  public static Integer compareDouble(Double a, Double b) {
    if (a == null || b == null) {
      return null;
    }
    return compareDoubles(a, b);
  }

  static int compareDoubles(double a, double b) {
    if (Double.isNaN(a)) {
      return Double.isNaN(b) ? 0 : 1;
    }
    if (Double.isNaN(b)) {
      return -1;
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /** {@code a IS NOT DISTINCT FROM b} of DOUBLEs, DuckDB's way (see {@link #compareDouble}). */
  public static boolean notDistinctDouble(Double a, Double b) {
    return a == null || b == null ? a == null && b == null : compareDoubles(a, b) == 0;
  }

  /**
   * A DOUBLE as a key of grouping or DISTINCT: the value DuckDB takes it as, -0.0 as 0.0 and every NaN as the one
   * NaN; Flink tells keys apart by their bits.
   */
  public static Double doubleKey(Double d) {
    return d == null ? null : d == 0.0 ? 0.0 : Double.isNaN(d) ? Double.NaN : d;
  }

  /**
   * Of two DOUBLEs DuckDB takes as one value (-0.0 and 0.0, or NaNs), the one both engines give: DuckDB gives the
   * first it met, which depends on the order of rows and threads; 0.0 when either is 0.0 (so -0.0 only when all
   * were), the one NaN.
   */
  static double tie(double a, double b) {
    if (Double.isNaN(a)) {
      return Double.NaN;
    }
    return Double.doubleToRawLongBits(a) == 0L || Double.doubleToRawLongBits(b) == 0L ? 0.0 : a;
  }

  /** x % y of DOUBLEs: C's fmod (NaN for a zero divisor). */
  public static Double fmod(Double a, Double b) {
    return a == null || b == null ? null : a % b;
  }

  private static <T> T checked(java.util.function.Supplier<T> op, String what) {
    try {
      return op.get();
    } catch (ArithmeticException e) {
      throw new TransformDataException("Out of Range Error: Overflow in " + what);
    }
  }

  // ---------------------------------------------------------------- casts

  private static final Pattern NUMBER_TEXT = Pattern.compile("\\s*[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?\\s*");
  private static final Pattern DATE_TEXT = Pattern.compile("\\s*(\\d{4})-(\\d{1,2})-(\\d{1,2})\\s*");
  private static final Pattern TIMESTAMP_TEXT = Pattern.compile(
      "(\\d{4})-(\\d{1,2})-(\\d{1,2})(?:[ T](\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,6}))?)?)?");

  /** CAST(x AS BIGINT). */
  public static Long toBigint(Object x) {
    if (x == null) {
      return null;
    }
    if (x instanceof Double d) { // DuckDB checks the range before it rounds (half to even)
      if (!(d >= -0x1p63 && d < 0x1p63)) {
        throw new TransformDataException("Conversion Error: a value is out of range for BIGINT");
      }
      return (long) Math.rint(d);
    }
    BigInteger i = exact(x, "BIGINT").setScale(0, RoundingMode.HALF_UP).toBigIntegerExact();
    if (i.bitLength() > 63) {
      throw new TransformDataException("Conversion Error: a value is out of range for BIGINT");
    }
    return i.longValue();
  }

  /** CAST(x AS INTEGER). */
  public static Integer toInt(Object x) {
    if (x == null) {
      return null;
    }
    if (x instanceof Double d) { // DuckDB checks the range before it rounds (half to even): 2147483647.5 wraps
      if (!(d >= -0x1p31 && d < 0x1p31)) {
        throw new TransformDataException("Conversion Error: a value is out of range for INTEGER");
      }
      return (int) (long) Math.rint(d);
    }
    BigInteger i = exact(x, "INTEGER").setScale(0, RoundingMode.HALF_UP).toBigIntegerExact();
    if (i.bitLength() > 31) {
      throw new TransformDataException("Conversion Error: a value is out of range for INTEGER");
    }
    return i.intValue();
  }

  /** A number (or a number's text, or a boolean) as an exact decimal; doubles as the binary value they are. */
  private static BigDecimal exact(Object x, String target) {
    if (x instanceof Integer || x instanceof Long) {
      return BigDecimal.valueOf(((Number) x).longValue());
    }
    if (x instanceof BigDecimal d) {
      return d;
    }
    if (x instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        throw new TransformDataException("Conversion Error: a non-finite DOUBLE cannot be cast to " + target);
      }
      return new BigDecimal(d);
    }
    if (x instanceof Boolean b) {
      return b ? BigDecimal.ONE : BigDecimal.ZERO;
    }
    if (x instanceof String s) {
      if (NUMBER_TEXT.matcher(s).matches()) {
        return new BigDecimal(s.strip());
      }
      throw new TransformDataException("Conversion Error: a text is not a plain number to cast to " + target);
    }
    throw new TransformDataException("Conversion Error: cannot cast a " + x.getClass().getSimpleName() + " to "
        + target);
  }

  /** CAST(x AS DOUBLE); {@code precision}: of a DECIMAL's type (DuckDB converts by its storage width). */
  public static Double toDouble(Object x, int precision) {
    if (x == null) {
      return null;
    }
    if (x instanceof Double d) {
      return d;
    }
    if (x instanceof Integer || x instanceof Long) {
      return (double) ((Number) x).longValue();
    }
    if (x instanceof BigDecimal d) {
      return decimalToDouble(d, precision);
    }
    if (x instanceof Boolean b) {
      return b ? 1.0 : 0.0;
    }
    if (x instanceof String s) {
      if (NUMBER_TEXT.matcher(s).matches()) {
        return Double.parseDouble(s.strip());
      }
      throw new TransformDataException("Conversion Error: a text is not a plain number to cast to DOUBLE");
    }
    throw new TransformDataException("Conversion Error: cannot cast a " + x.getClass().getSimpleName()
        + " to DOUBLE");
  }

  /**
   * A DECIMAL(p, s) as DuckDB makes it a DOUBLE: its integer part and its fraction (the unscaled value divided and
   * taken modulo 10^s, truncating) each converted to a double — as a 64-bit integer for p up to 18, else by DuckDB's
   * 128-bit formula — then added, the fraction divided by 10^s first.
   */
  public static double decimalToDouble(BigDecimal d, int precision) {
    BigInteger[] qr = d.unscaledValue().divideAndRemainder(BigInteger.TEN.pow(d.scale()));
    return integerToDouble(qr[0], precision) + integerToDouble(qr[1], precision) / Math.pow(10, d.scale());
  }

  private static double integerToDouble(BigInteger v, int precision) {
    if (precision <= 18) {
      return (double) v.longValueExact();
    }
    long lower = v.longValue();
    long upper = v.shiftRight(64).longValue();
    if (upper == -1) { // DuckDB's special case for small negative numbers
      return -unsignedToDouble(-1L - lower) - 1.0;
    }
    return unsignedToDouble(lower) + (double) upper * 0x1p64;
  }

  /** An unsigned 64-bit integer as the nearest double. */
  private static double unsignedToDouble(long u) {
    if (u >= 0) {
      return (double) u;
    }
    double half = (double) ((u >>> 1) | (u & 1)); // keeps the sticky bit, so one rounding
    return half * 2.0;
  }

  /**
   * CAST(x AS DECIMAL(p, s)), as its exact text: rounded half away from zero, refused when it needs more than
   * {@code p} digits. A DOUBLE is scaled by the power of ten in binary first, then rounded.
   */
  public static String toDecimalText(Object x, int precision, int scale) {
    if (x == null) {
      return null;
    }
    BigDecimal v;
    if (x instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        throw new TransformDataException("Conversion Error: a non-finite DOUBLE cannot be cast to DECIMAL");
      }
      v = new BigDecimal(d * Math.pow(10, scale)).setScale(0, RoundingMode.HALF_UP).movePointLeft(scale);
    } else if (x instanceof String s) {
      if (!NUMBER_TEXT.matcher(s).matches()) {
        throw new TransformDataException("Conversion Error: a text is not a plain number to cast to DECIMAL");
      }
      v = new BigDecimal(s.strip());
    } else {
      v = exact(x, "DECIMAL");
    }
    BigDecimal r = v.setScale(scale, RoundingMode.HALF_UP);
    if (r.precision() - r.scale() > precision - scale && r.signum() != 0) {
      throw new TransformDataException("Conversion Error: a value does not fit DECIMAL(" + precision + "," + scale
          + ")");
    }
    return r.toPlainString();
  }

  /** CAST(x AS VARCHAR) of what the subset lets the Flink engine cast (not DOUBLE, not TIMESTAMP WITH TIME ZONE). */
  public static String toVarchar(Object x) {
    if (x == null) {
      return null;
    }
    if (x instanceof String s) {
      return s;
    }
    if (x instanceof Integer || x instanceof Long || x instanceof Boolean) {
      return x.toString();
    }
    if (x instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (x instanceof LocalDate d) {
      return date(d);
    }
    if (x instanceof LocalDateTime t) {
      StringBuilder s = new StringBuilder(date(t.toLocalDate())).append(' ')
          .append(String.format("%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond()));
      int micros = t.getNano() / 1000;
      if (micros != 0) {
        String frac = String.format("%06d", micros);
        s.append('.').append(frac.replaceFirst("0+$", ""));
      }
      return s.toString();
    }
    throw new TransformDataException("Conversion Error: cannot cast a " + x.getClass().getSimpleName()
        + " to VARCHAR on both engines alike");
  }

  private static String date(LocalDate d) {
    if (d.getYear() < 1 || d.getYear() > 9999) {
      throw new TransformDataException("Conversion Error: a date outside the years 1 to 9999 is written differently");
    }
    return d.toString();
  }

  /** CAST(x AS DATE) of a text: the plain form YYYY-MM-DD. */
  public static LocalDate toDate(Object x) {
    if (x == null) {
      return null;
    }
    if (x instanceof LocalDate d) {
      return d;
    }
    if (x instanceof LocalDateTime t) {
      return t.toLocalDate();
    }
    if (x instanceof String s) {
      Matcher m = DATE_TEXT.matcher(s);
      if (m.matches()) {
        try {
          return LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)));
        } catch (DateTimeException e) {
          throw new TransformDataException("Conversion Error: date field value out of range");
        }
      }
      throw new TransformDataException("Conversion Error: a text is not a plain date (YYYY-MM-DD) to cast to DATE");
    }
    throw new TransformDataException("Conversion Error: cannot cast a " + x.getClass().getSimpleName() + " to DATE");
  }

  /** CAST(x AS TIMESTAMP) of a text: YYYY-MM-DD[ HH:MM[:SS[.ffffff]]]. */
  public static LocalDateTime toTimestamp(Object x) {
    if (x == null) {
      return null;
    }
    if (x instanceof LocalDateTime t) {
      return t;
    }
    if (x instanceof LocalDate d) {
      return d.atStartOfDay();
    }
    if (x instanceof String s) {
      Matcher m = TIMESTAMP_TEXT.matcher(s);
      if (m.matches()) {
        try {
          int nanos = m.group(7) == null ? 0 : Integer.parseInt((m.group(7) + "00000").substring(0, 6)) * 1000;
          return LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)), m.group(4) == null ? 0 : Integer.parseInt(m.group(4)),
              m.group(5) == null ? 0 : Integer.parseInt(m.group(5)),
              m.group(6) == null ? 0 : Integer.parseInt(m.group(6)), nanos);
        } catch (DateTimeException e) {
          throw new TransformDataException("Conversion Error: timestamp field value out of range");
        }
      }
      throw new TransformDataException("Conversion Error: a text is not a plain timestamp to cast to TIMESTAMP");
    }
    throw new TransformDataException("Conversion Error: cannot cast a " + x.getClass().getSimpleName()
        + " to TIMESTAMP");
  }

  /** CAST(x AS BOOLEAN): numbers are true when not zero; texts true/false/t/f in any case, nothing around them. */
  public static Boolean toBoolean(Object x) {
    if (x == null) {
      return null;
    }
    if (x instanceof Boolean b) {
      return b;
    }
    if (x instanceof Integer || x instanceof Long) {
      return ((Number) x).longValue() != 0;
    }
    if (x instanceof BigDecimal d) {
      return d.signum() != 0;
    }
    if (x instanceof String s) {
      switch (s.toLowerCase(java.util.Locale.ROOT)) {
        case "true", "t":
          return true;
        case "false", "f":
          return false;
        default:
          throw new TransformDataException("Conversion Error: a text is not true or false to cast to BOOLEAN");
      }
    }
    throw new TransformDataException("Conversion Error: cannot cast a " + x.getClass().getSimpleName()
        + " to BOOLEAN");
  }

  // ---------------------------------------------------------------- aggregates

  /** Bits of the mantissa of C's long double on this machine's architecture (x86-64: 80-bit extended). */
  static final int LONG_DOUBLE_BITS = System.getProperty("os.arch", "").matches("aarch64|arm64") ? 113 : 64;

  /**
   * avg(x) of a DECIMAL(p, s), as DuckDB finishes it: the exact sum of the unscaled values divided by the count times
   * 10^s — in double arithmetic for p up to 4, else in long doubles (the operands and the quotient each rounded to a
   * long double, the quotient then to a double).
   */
  public static double avgDecimal(BigInteger sum, long count, int scale, int precision) {
    if (precision <= 4) {
      return sum.doubleValue() / ((double) count * Math.pow(10, scale));
    }
    return longDoubleQuotient(sum, BigInteger.valueOf(count).multiply(BigInteger.TEN.pow(scale)));
  }

  /** (long double) a / (long double) b, rounded to a double, for integers a and b &gt; 0. */
  static double longDoubleQuotient(BigInteger a, BigInteger b) {
    if (a.signum() == 0) {
      return 0.0;
    }
    BigInteger[] x = extended(a.abs(), BigInteger.ONE);
    BigInteger[] y = extended(b, BigInteger.ONE);
    BigInteger num = x[0];
    BigInteger den = y[0];
    int exp = x[1].intValue() - y[1].intValue();
    if (exp >= 0) {
      num = num.shiftLeft(exp);
    } else {
      den = den.shiftLeft(-exp);
    }
    BigInteger[] q = extended(num, den);
    double d = toDouble(q[0], q[1].intValue());
    return a.signum() < 0 ? -d : d;
  }

  /**
   * The positive rational num/den rounded to a long double: {m, e} with m of {@link #LONG_DOUBLE_BITS} bits (half to
   * even) and value m * 2^e.
   */
  static BigInteger[] extended(BigInteger num, BigInteger den) {
    if (num.signum() == 0) {
      return new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO};
    }
    int e = num.bitLength() - den.bitLength() - LONG_DOUBLE_BITS;
    BigInteger m = roundedQuotient(num, den, e);
    if (m.bitLength() < LONG_DOUBLE_BITS) {
      e--;
      m = roundedQuotient(num, den, e);
    }
    if (m.bitLength() > LONG_DOUBLE_BITS) {
      e++;
      m = roundedQuotient(num, den, e);
    }
    return new BigInteger[] {m, BigInteger.valueOf(e)};
  }

  /** round_half_even(num / (den * 2^e)). */
  private static BigInteger roundedQuotient(BigInteger num, BigInteger den, int e) {
    BigInteger n = e < 0 ? num.shiftLeft(-e) : num;
    BigInteger d = e > 0 ? den.shiftLeft(e) : den;
    BigInteger[] qr = n.divideAndRemainder(d);
    int c = qr[1].shiftLeft(1).compareTo(d);
    if (c > 0 || c == 0 && qr[0].testBit(0)) {
      return qr[0].add(BigInteger.ONE);
    }
    return qr[0];
  }

  /** m * 2^e (m positive) rounded to the nearest double, half to even. */
  private static double toDouble(BigInteger m, int e) {
    int drop = Math.max(0, m.bitLength() - 53);
    BigInteger kept = m.shiftRight(drop);
    if (drop > 0) {
      BigInteger rest = m.subtract(kept.shiftLeft(drop));
      int c = rest.shiftLeft(1).compareTo(BigInteger.ONE.shiftLeft(drop));
      if (c > 0 || c == 0 && kept.testBit(0)) {
        kept = kept.add(BigInteger.ONE);
      }
    }
    return Math.scalb(kept.doubleValue(), e + drop);
  }
}
