package io.dataops.lakehouse.landing;

import io.dataops.lakehouse.contract.ColumnSpec;
import io.dataops.lakehouse.contract.FeedContract;
import io.dataops.lakehouse.contract.FeedSchedule;
import io.dataops.lakehouse.contract.PersonalData;
import io.dataops.lakehouse.types.ValueType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.time.temporal.TemporalAccessor;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Converts the raw values of one row (strings from text formats, typed values from Parquet and Excel) into the
 * contract's types, collecting every problem. Stateless after construction, so workers share one instance.
 */
final class ValueConverter {
  private final FeedContract contract;
  private final Column[] columns;
  private final Set<String> nullTokens;

  ValueConverter(FeedContract contract) {
    this.contract = contract;
    this.nullTokens = new HashSet<>(contract.nullValues());
    List<ColumnSpec> specs = contract.columns();
    this.columns = new Column[specs.size()];
    for (int i = 0; i < specs.size(); i++) {
      columns[i] = new Column(specs.get(i), contract.formatOf(specs.get(i)));
    }
  }

  /**
   * Converts {@code values} in place. A slot that is {@link #ABSENT} means the source had no such field (a
   * header without an optional column); it becomes null.
   */
  boolean convert(Object[] values, List<Problem> problems, Scratch scratch) {
    int before = problems.size();
    scratch.utf8Used = 0; // the previous row's transcoded text has been written
    for (int i = 0; i < columns.length; i++) {
      Column c = columns[i];
      Object raw = values[i];
      if (raw == ABSENT) {
        raw = null;
      }
      if (raw instanceof Unread u) {
        // reported in its column's place, as a CSV field's undecodable bytes are, the other columns still checked
        problems.add(u.problem(c.spec.name()));
        values[i] = null;
        continue;
      }
      if (raw instanceof String s && nullTokens.contains(s)) {
        raw = null;
      }
      if (raw == null) {
        if (c.spec.required()) {
          problems.add(new Problem(Problem.MISSING_REQUIRED, c.spec.name(),
              "column " + c.spec.name() + ": required value is missing"));
        }
        values[i] = null;
        continue;
      }
      try {
        values[i] = raw instanceof FieldBytes f ? c.fromBytes(f, scratch) : c.convert(raw);
      } catch (BadValue e) {
        problems.add(new Problem(e.rule, c.spec.name(), "column " + c.spec.name() + ": " + e.getMessage()));
        values[i] = null;
      }
    }
    return problems.size() == before;
  }

  /** The longest number written out as text: the parser's own limit on a number's digits (1,000). */
  static final int MAX_NUMBER_DIGITS = 1000;

  static final String NUL_HELD = "a NUL character (U+0000)";
  static final String BOM_HELD = "a byte-order mark character (U+FEFF)";

  /**
   * A character no department means to send that a text value holds, named for a reason, or null: a NUL (a C
   * program's end of text, which cuts a cell short in some readers) or U+FEFF (two files joined, each with its mark).
   */
  static String invisibleIn(String text) {
    return text.indexOf(0) >= 0 ? NUL_HELD : text.indexOf(0xFEFF) >= 0 ? BOM_HELD : null;
  }

  /**
   * Whether a column holds IDs, bank cards or mobiles: a number there (an Excel number cell, a JSON number) is an
   * identifier typed as a number, which the producer may have changed (Excel keeps 15 digits, JavaScript about 16).
   */
  static boolean holdsIdentifiers(ColumnSpec spec) {
    PersonalData kind = spec.personal();
    return kind == PersonalData.ID_CARD || kind == PersonalData.BANK_CARD || kind == PersonalData.MOBILE;
  }

  /**
   * A number written in decimal (a CSV field, a JSON number's literal) as a double, its sign kept: -0.0 is a double
   * of its own, which the table holds. The JSON Lines reader reads a double column's numbers with it, not through a
   * BigDecimal, which has no -0 (found by a probe: -0.0 landed as 0.0).
   */
  static double parseDouble(String literal) throws BadValue {
    double v;
    try {
      v = Double.parseDouble(literal);
    } catch (NumberFormatException e) {
      throw new BadValue("not a number (double)");
    }
    return inDoubleRange(v, v == 0 && nonZeroDigit(literal)); // the literal is scanned only when it came out 0
  }

  /**
   * {@code v} unless the number it was read from is beyond a double: too large (1e400 became Infinity: found by a
   * probe), or, not zero itself, so close to zero that it became 0 (1e-400 landed as 0.0: found by a probe).
   */
  static double inDoubleRange(double v, boolean nonZero) throws BadValue {
    if (Double.isInfinite(v)) {
      throw new BadValue("out of the range of double");
    }
    if (v == 0 && nonZero) {
      throw new BadValue("out of the range of double (too close to zero: it would land as 0)");
    }
    return v;
  }

  /** Whether a decimal literal has a digit other than 0 before its exponent: a number that is not zero. */
  private static boolean nonZeroDigit(String literal) {
    for (int i = 0; i < literal.length(); i++) {
      char c = literal.charAt(i);
      if (c == 'e' || c == 'E') {
        return false;
      }
      if (c >= '1' && c <= '9') {
        return true;
      }
    }
    return false;
  }

  /**
   * A value a reader could not read, or will not hand on, as its column's: bytes of a Parquet text column that are not
   * UTF-8, an 8- or 16-bit integer stored beyond its width, a CSV field or JSON string holding a NUL or a byte-order
   * mark, a JSON number for an identifier, an Excel cell holding an error or an identifier typed as a number.
   * {@link #convert} reports it in its column's place, so a row's problems are all told, in column order, whichever
   * found them; {@code stored} is what the file holds, for the quarantine's raw row of a typed format (null when it is
   * not to be shown); {@code reason} never repeats the value. It is said of the column ("column NAME: " before it)
   * unless {@code namesCell}: an Excel reason names its cell, where a person finds it.
   */
  record Unread(Object stored, String rule, String reason, boolean namesCell) {
    Unread(Object stored, String rule, String reason) {
      this(stored, rule, reason, false);
    }

    /** An Excel cell's problem, {@code reason} beginning with the cell's reference. */
    static Unread inCell(String rule, String reason) {
      return new Unread(null, rule, reason, true);
    }

    Problem problem(String column) {
      return new Problem(rule, column, namesCell ? reason : "column " + column + ": " + reason);
    }
  }

  /**
   * Adds the problems of the {@link Unread} values among {@code values}, in column order: for a row a reader found a
   * problem of as a whole too (an undeclared JSON field, a damaged Excel row), which is not converted, so that its
   * columns' problems are still told. Runs only for such a row.
   */
  static void addUnread(Object[] values, List<String> columnNames, List<Problem> problems) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] instanceof Unread u) {
        problems.add(u.problem(columnNames.get(i)));
      }
    }
  }

  static final Object ABSENT = new Object() {
    @Override
    public String toString() {
      return "<absent>";
    }
  };

  /** A value that does not fit; the message describes the value's shape, never the value. */
  static final class BadValue extends Exception {
    final String rule;

    BadValue(String rule, String message) {
      super(message, null, false, false);
      this.rule = rule;
    }

    BadValue(String message) {
      this(Problem.BAD_VALUE, message);
    }
  }

  private static final class Column {
    final ColumnSpec spec;
    final ValueType base;
    final String pattern;
    final DateTimeFormatter formatter;
    final int fastDate; // 1: yyyy-MM-dd, 2: yyyyMMdd, 0: formatter
    final boolean fastTimestamp; // yyyy-MM-dd HH:mm:ss
    final int maxLength;
    final int precision;
    final int scale;

    Column(ColumnSpec spec, String pattern) {
      this.spec = spec;
      this.base = spec.type().type();
      this.pattern = pattern;
      this.maxLength = spec.maxLength() == null ? Integer.MAX_VALUE : spec.maxLength();
      this.precision = spec.type().precision();
      this.scale = spec.type().scale();
      boolean temporal = base == ValueType.DATE || base == ValueType.TIMESTAMP;
      // STRICT resolving rejects 2024-02-30; it needs 'u' (proleptic year) instead of 'y' (year of era).
      this.formatter = temporal
          ? DateTimeFormatter.ofPattern(pattern.replace('y', 'u')).withResolverStyle(ResolverStyle.STRICT)
          : null;
      this.fastDate = base != ValueType.DATE ? 0 : "yyyy-MM-dd".equals(pattern) ? 1 : "yyyyMMdd".equals(pattern) ? 2 : 0;
      this.fastTimestamp = base == ValueType.TIMESTAMP && "yyyy-MM-dd HH:mm:ss".equals(pattern);
    }

    /**
     * Converts a text field from its bytes. ASCII and valid UTF-8 text goes to the writer as the field itself (its
     * bytes are the UTF-8 the writer stores, valid until the next record); whole
     * numbers, decimals, dates and timestamps in their usual forms are parsed without building a String.
     */
    Object fromBytes(FieldBytes f, Scratch scratch) throws BadValue {
      if (!f.ascii) {
        if (base == ValueType.STRING && f.charset == java.nio.charset.StandardCharsets.UTF_8) {
          int chars = Utf8Text.codePoints(f.bytes, f.off, f.len);
          if (chars < 0) {
            throw new BadValue(Problem.UNDECODABLE, "bytes are not valid UTF-8");
          }
          if (chars > maxLength) {
            throw new BadValue(Problem.TOO_LONG, "length " + chars + " exceeds maxLength " + maxLength);
          }
          return f;
        }
        if (base == ValueType.STRING && GbkUtf8.isGbk(f.charset)) {
          FieldBytes utf8 = gbkToUtf8(f, scratch);
          if (utf8 != null) {
            return utf8;
          }
        }
        String text = f.decode(scratch);
        if (text == null) {
          throw new BadValue(Problem.UNDECODABLE, "bytes are not valid " + f.charset.name());
        }
        return convert(text);
      }
      byte[] b = f.bytes;
      int from = f.off;
      int to = f.off + f.len;
      switch (base) {
        case STRING -> {
          if (f.len > maxLength) {
            throw new BadValue(Problem.TOO_LONG, "length " + f.len + " exceeds maxLength " + maxLength);
          }
          return f;
        }
        case LONG, INT, DECIMAL, DATE, TIMESTAMP -> {
          while (from < to && b[from] == ' ') {
            from++;
          }
          while (to > from && b[to - 1] == ' ') {
            to--;
          }
          Object fast = base == ValueType.LONG ? AsciiNumbers.parseLong(b, from, to)
              : base == ValueType.INT ? AsciiNumbers.parseInt(b, from, to)
              : base == ValueType.DECIMAL ? AsciiNumbers.parseDecimal(b, from, to, precision, scale)
              : base == ValueType.DATE ? (fastDate == 1 ? AsciiNumbers.parseIsoDate(b, from, to)
                  : fastDate == 2 ? AsciiNumbers.parseBasicDate(b, from, to) : null)
              : fastTimestamp ? AsciiNumbers.parseIsoTimestamp(b, from, to) : null;
          if (fast != null) {
            return fast;
          }
          // Not in the common form: the general path gives the exact reason.
          return convert(new String(b, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        default -> {
          return convert(new String(b, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
      }
    }

    /**
     * A GBK text field as UTF-8 bytes in the row's scratch buffer ({@code f} now points there), or null when it holds a
     * code GBK does not define, for the JDK's decoder to report.
     */
    private FieldBytes gbkToUtf8(FieldBytes f, Scratch scratch) throws BadValue {
      byte[] dst = scratch.utf8Room(GbkUtf8.maxUtf8(f.len));
      int start = scratch.utf8Used;
      int end = GbkUtf8.transcode(f.bytes, f.off, f.len, dst, start);
      if (end < 0) {
        return null;
      }
      scratch.utf8Used = end;
      // UTF-8 is never shorter than its code points: count them only when the bytes exceed the limit.
      if (end - start > maxLength) {
        int chars = Utf8Text.codePoints(dst, start, end - start);
        if (chars > maxLength) {
          throw new BadValue(Problem.TOO_LONG, "length " + chars + " exceeds maxLength " + maxLength);
        }
      }
      return f.set(dst, start, end - start, false, java.nio.charset.StandardCharsets.UTF_8);
    }

    Object convert(Object raw) throws BadValue {
      return switch (base) {
        case STRING -> string(raw);
        case LONG -> toLong(raw);
        case INT -> toInt(raw);
        case DOUBLE -> toDouble(raw);
        case DECIMAL -> toDecimal(raw);
        case DATE -> toDate(raw);
        case TIMESTAMP -> toTimestamp(raw);
        case BOOLEAN -> toBoolean(raw);
        case TIMESTAMPTZ -> throw new IllegalStateException("a feed contract has no timestamptz column");
      };
    }

    private String string(Object raw) throws BadValue {
      String s;
      if (raw instanceof String str) {
        s = str;
      } else if (raw instanceof ByteBuffer || raw instanceof byte[]) {
        throw new BadValue("binary data where text was promised");
      } else if (raw instanceof BigDecimal d) {
        // Measured before it is written out: 1e999999999 would be a billion digits (found by a probe: a 32-byte JSON
        // line ran the landing out of memory, and 1e2147483647 failed it outright).
        long digits = plainDigits(d);
        long length = digits + (d.signum() < 0 ? 1 : 0) + (d.scale() > 0 ? 1 : 0);
        if (length > maxLength && spec.maxLength() != null) {
          throw new BadValue(Problem.TOO_LONG, "a number of length " + length + " exceeds maxLength " + maxLength);
        }
        if (digits > MAX_NUMBER_DIGITS) {
          throw new BadValue("a number of " + digits + " digits written out, out of range for text (at most "
              + MAX_NUMBER_DIGITS + ")");
        }
        s = d.toPlainString();
      } else {
        s = raw.toString();
      }
      if (s.length() > maxLength) {
        int length = s.codePointCount(0, s.length());
        if (length > maxLength) {
          throw new BadValue(Problem.TOO_LONG, "length " + length + " exceeds maxLength " + maxLength);
        }
      }
      return s;
    }

    /** The digits of {@code d} written out without an exponent, counted without building them. */
    private static long plainDigits(BigDecimal d) {
      long precision = d.precision();
      long scale = d.scale();
      return scale <= 0 ? precision - scale : precision > scale ? precision : scale + 1;
    }

    private long toLong(Object raw) throws BadValue {
      if (raw instanceof Long l) {
        return l;
      }
      if (raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
        return ((Number) raw).longValue();
      }
      if (raw instanceof BigDecimal || raw instanceof Double || raw instanceof Float || raw instanceof BigInteger) {
        BigDecimal d = decimalOf(raw);
        try {
          return d.longValueExact();
        } catch (ArithmeticException e) {
          throw new BadValue("not a whole number in the range of long");
        }
      }
      if (raw instanceof String s) {
        return parseLong(s.strip(), Long.MIN_VALUE, Long.MAX_VALUE, "long");
      }
      throw new BadValue(kind(raw) + ", not a whole number");
    }

    private int toInt(Object raw) throws BadValue {
      if (raw instanceof Integer i) {
        return i;
      }
      if (raw instanceof String s) {
        return (int) parseLong(s.strip(), Integer.MIN_VALUE, Integer.MAX_VALUE, "int");
      }
      long l = toLong(raw);
      if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
        throw new BadValue("out of the range of int");
      }
      return (int) l;
    }

    private static long parseLong(String s, long min, long max, String type) throws BadValue {
      int n = s.length();
      if (n == 0 || n > 20) {
        throw new BadValue(n == 0 ? "blank where " + type + " was promised" : "not a whole number (" + type + ")");
      }
      int i = 0;
      boolean negative = false;
      char first = s.charAt(0);
      if (first == '-' || first == '+') {
        negative = first == '-';
        i = 1;
        if (n == 1) {
          throw new BadValue("not a whole number (" + type + ")");
        }
      }
      long value = 0;
      for (; i < n; i++) {
        int d = s.charAt(i) - '0';
        if (d < 0 || d > 9) {
          throw new BadValue("not a whole number (" + type + ")");
        }
        if (value < (Long.MIN_VALUE + d) / 10) {
          throw new BadValue("out of the range of " + type);
        }
        value = value * 10 - d; // accumulate negatively: covers Long.MIN_VALUE
      }
      if (!negative) {
        if (value == Long.MIN_VALUE) {
          throw new BadValue("out of the range of " + type);
        }
        value = -value;
      }
      if (value < min || value > max) {
        throw new BadValue("out of the range of " + type);
      }
      return value;
    }

    private double toDouble(Object raw) throws BadValue {
      if (raw instanceof Number num && !(raw instanceof BigDecimal)) {
        double v = num.doubleValue();
        if (Double.isNaN(v) || Double.isInfinite(v)) {
          // as the text "NaN" or "Infinity" is (found by a probe: a Parquet feed landed them, and the two engines
          // compare NaN differently); a double's column holds numbers
          throw new BadValue("not a finite number (" + v + ")");
        }
        return v;
      }
      if (raw instanceof BigDecimal d) {
        return inDoubleRange(d.doubleValue(), d.signum() != 0);
      }
      if (raw instanceof String s) {
        String t = s.strip();
        if (t.isEmpty() || !looksNumeric(t)) {
          throw new BadValue("not a number (double)");
        }
        return parseDouble(t);
      }
      throw new BadValue(kind(raw) + ", not a number");
    }

    /** Rejects what Java parses but a department never means: hex, "NaN", "Infinity", a trailing 'd'. */
    private static boolean looksNumeric(String t) {
      for (int i = 0; i < t.length(); i++) {
        char c = t.charAt(i);
        if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
          return false;
        }
      }
      return true;
    }

    private BigDecimal toDecimal(Object raw) throws BadValue {
      BigDecimal d;
      if (raw instanceof String s) {
        String t = s.strip();
        if (t.isEmpty() || !looksNumeric(t)) {
          throw new BadValue("not a decimal number");
        }
        if (t.indexOf('e') >= 0 || t.indexOf('E') >= 0) {
          throw new BadValue("not a plain decimal number (digits and a decimal point, no exponent)");
        }
        try {
          d = new BigDecimal(t);
        } catch (NumberFormatException e) {
          throw new BadValue("not a decimal number");
        }
      } else if (raw instanceof Number) {
        d = decimalOf(raw);
      } else {
        throw new BadValue(kind(raw) + ", not a number");
      }
      if (d.scale() > scale) {
        BigDecimal stripped = d.stripTrailingZeros();
        if (stripped.scale() > scale) {
          throw new BadValue("has " + stripped.scale() + " decimal places, the contract allows " + scale);
        }
        d = stripped;
      }
      // Its digits at the contract's scale, counted without building it (1E+999999 would have a million).
      long digits = d.signum() == 0 ? 1 : (long) d.precision() - d.scale() + scale;
      if (digits > precision) {
        throw new BadValue("has " + digits + " digits, decimal(" + precision + "," + scale + ") allows " + precision);
      }
      return d.setScale(scale, RoundingMode.UNNECESSARY);
    }

    private static BigDecimal decimalOf(Object raw) throws BadValue {
      if (raw instanceof BigDecimal d) {
        return d;
      }
      if (raw instanceof BigInteger b) {
        return new BigDecimal(b);
      }
      if (raw instanceof Double || raw instanceof Float) {
        double v = ((Number) raw).doubleValue();
        if (Double.isNaN(v) || Double.isInfinite(v)) {
          throw new BadValue("not a finite number");
        }
        return BigDecimal.valueOf(v);
      }
      return BigDecimal.valueOf(((Number) raw).longValue());
    }

    private LocalDate toDate(Object raw) throws BadValue {
      if (raw instanceof LocalDate d) {
        return d;
      }
      if (raw instanceof LocalDateTime t) {
        if (!t.toLocalTime().equals(java.time.LocalTime.MIDNIGHT)) {
          throw new BadValue("a date with a time of day where a date was promised");
        }
        return t.toLocalDate();
      }
      if (raw instanceof OffsetDateTime || raw instanceof ZonedDateTime) {
        // An instant (a Parquet timestamp adjusted to UTC) is read in the district's time, as a timestamp column
        // reads it: a date written at midnight China Standard Time is stored as 16:00 UTC the day before, and was
        // quarantined; an instant at midnight UTC is 08:00 here, a timestamp (the reason below).
        LocalDateTime local = localTimestamp(raw);
        if (local.toLocalTime().equals(java.time.LocalTime.MIDNIGHT)) {
          return local.toLocalDate();
        }
      }
      if (raw instanceof String s) {
        String t = s.strip();
        if (fastDate == 1 && t.length() == 10 && t.charAt(4) == '-' && t.charAt(7) == '-') {
          return date(digits(t, 0, 4), digits(t, 5, 7), digits(t, 8, 10));
        }
        if (fastDate == 2 && t.length() == 8) {
          return date(digits(t, 0, 4), digits(t, 4, 6), digits(t, 6, 8));
        }
        try {
          return LocalDate.from(formatter.parse(t));
        } catch (DateTimeException e) {
          throw new BadValue("not a date in the format " + pattern);
        }
      }
      throw new BadValue(kind(raw) + ", not a date" + (raw instanceof Number ? " (format the cell as a date)" : ""));
    }

    private LocalDate date(int y, int m, int d) throws BadValue {
      if (y < 0 || m < 0 || d < 0) {
        throw new BadValue("not a date in the format " + pattern);
      }
      try {
        return LocalDate.of(y, m, d);
      } catch (DateTimeException e) {
        throw new BadValue("not a calendar date (format " + pattern + ")");
      }
    }

    /**
     * A timestamp as the table keeps it: the district's local time (an instant given with an offset or a zone is
     * converted to it; found by a probe: 00:00 at -05:00, at Z and at +08:00 all landed as one 00:00), to the
     * microsecond, the finer digits cut off (the table keeps microseconds; cut toward zero, 23:59:59.9999995 on the
     * last day of 1969 became 1970).
     */
    private LocalDateTime toTimestamp(Object raw) throws BadValue {
      LocalDateTime t = localTimestamp(raw);
      return t.getNano() % 1000 == 0 ? t : t.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    private LocalDateTime localTimestamp(Object raw) throws BadValue {
      if (raw instanceof LocalDateTime t) {
        return t;
      }
      if (raw instanceof LocalDate d) {
        return d.atStartOfDay();
      }
      if (raw instanceof OffsetDateTime o) {
        return o.atZoneSameInstant(FeedSchedule.ZONE).toLocalDateTime();
      }
      if (raw instanceof ZonedDateTime z) {
        return z.withZoneSameInstant(FeedSchedule.ZONE).toLocalDateTime();
      }
      if (raw instanceof String s) {
        String t = s.strip();
        if (fastTimestamp && t.length() == 19 && t.charAt(4) == '-' && t.charAt(7) == '-' && t.charAt(10) == ' '
            && t.charAt(13) == ':' && t.charAt(16) == ':') {
          int y = digits(t, 0, 4);
          if (y < 0) {
            throw notATimestamp();
          }
          try {
            return LocalDateTime.of(y, digits(t, 5, 7), digits(t, 8, 10), digits(t, 11, 13), digits(t, 14, 16),
                digits(t, 17, 19));
          } catch (DateTimeException e) { // a -1 from digits() is out of the other fields' ranges
            throw notATimestamp();
          }
        }
        try {
          TemporalAccessor parsed = formatter.parse(t);
          if (parsed.query(java.time.temporal.TemporalQueries.zone()) != null) {
            return ZonedDateTime.from(parsed).withZoneSameInstant(FeedSchedule.ZONE).toLocalDateTime();
          }
          return LocalDateTime.from(parsed);
        } catch (DateTimeException e) {
          throw notATimestamp();
        }
      }
      throw new BadValue(kind(raw) + ", not a timestamp" + (raw instanceof Number ? " (format the cell as a date)" : ""));
    }

    private BadValue notATimestamp() {
      return new BadValue("not a timestamp (format " + pattern + ")");
    }

    private static int digits(String s, int from, int to) {
      int v = 0;
      for (int i = from; i < to; i++) {
        int d = s.charAt(i) - '0';
        if (d < 0 || d > 9) {
          return -1;
        }
        v = v * 10 + d;
      }
      return v;
    }

    private static Boolean toBoolean(Object raw) throws BadValue {
      if (raw instanceof Boolean b) {
        return b;
      }
      if (raw instanceof BigDecimal || raw instanceof BigInteger) {
        // compared, not cut to a long: 1.5 is not true, nor 2^64 + 1
        BigDecimal d = decimalOf(raw);
        if (d.signum() == 0 || d.compareTo(BigDecimal.ONE) == 0) {
          return d.signum() != 0;
        }
        throw new BadValue("not a boolean (0 or 1)");
      }
      if (raw instanceof Number n && !(raw instanceof Double) && !(raw instanceof Float)) {
        long v = n.longValue();
        if (v == 0 || v == 1) {
          return v == 1;
        }
        throw new BadValue("not a boolean (0 or 1)");
      }
      if (raw instanceof String s) {
        switch (s.strip().toLowerCase(java.util.Locale.ROOT)) {
          case "true", "t", "yes", "y", "1", "是" -> {
            return Boolean.TRUE;
          }
          case "false", "f", "no", "n", "0", "否" -> {
            return Boolean.FALSE;
          }
          default -> throw new BadValue("not a boolean (true/false, yes/no, 1/0, 是/否)");
        }
      }
      throw new BadValue(kind(raw) + ", not true or false");
    }

    /** What a value is, in a clerk's words (a reason never names a Java class). */
    private static String kind(Object raw) {
      if (raw instanceof Number) {
        return "a number";
      }
      if (raw instanceof java.time.temporal.Temporal) {
        if (raw instanceof java.time.LocalTime || raw instanceof java.time.OffsetTime) {
          return "a time of day";
        }
        // A date-time at midnight is a date as a spreadsheet's date cell reads; one with a time, or with a zone or
        // an offset (a Parquet timestamp with zone), is a timestamp (found by a probe: "a date, not a date").
        return raw instanceof LocalDate || raw instanceof LocalDateTime t && t.toLocalTime().equals(
            java.time.LocalTime.MIDNIGHT) ? "a date" : "a timestamp";
      }
      if (raw instanceof Boolean) {
        return "a true/false value";
      }
      if (raw instanceof ByteBuffer || raw instanceof byte[]) {
        return "binary data";
      }
      return raw instanceof CharSequence ? "text" : "a value of another kind";
    }
  }

  FeedContract contract() {
    return contract;
  }
}
