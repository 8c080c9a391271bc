package io.dataops.jobs.flink.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Flink engine's functions and casts give what DuckDB gives, value for value, DuckDB asked directly. */
class DuckSemanticsTest {
  private static Connection duck;

  @BeforeAll
  static void open() throws SQLException {
    duck = DriverManager.getConnection("jdbc:duckdb:");
  }

  @AfterAll
  static void close() throws SQLException {
    duck.close();
  }

  /** DuckDB's value of {@code sql} (one row, one column) with the parameters bound. */
  static Object duck(String sql, Object... params) {
    try (PreparedStatement p = duck.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        p.setObject(i + 1, params[i]);
      }
      try (ResultSet r = p.executeQuery()) {
        r.next();
        return r.getObject(1);
      }
    } catch (SQLException e) {
      return new Failed(e.getMessage().lines().findFirst().orElse(""));
    }
  }

  record Failed(String message) {}

  /** Ours, or Failed when ours refuses. */
  static Object ours(java.util.function.Supplier<Object> f) {
    try {
      return f.get();
    } catch (TransformDataException e) {
      return new Failed(e.getMessage());
    }
  }

  private static void same(List<String> mismatches, String what, Object duckValue, Object ourValue) {
    if (duckValue instanceof java.sql.Timestamp t) {
      duckValue = t.toLocalDateTime();
    }
    if (duckValue instanceof java.sql.Date d) {
      duckValue = d.toLocalDate();
    }
    boolean equal = duckValue instanceof Failed ? ourValue instanceof Failed
        : duckValue instanceof BigDecimal a && ourValue instanceof BigDecimal b ? a.compareTo(b) == 0
        : duckValue instanceof Number a && ourValue instanceof Number b && !(a instanceof BigDecimal)
            ? Double.compare(a.doubleValue(), b.doubleValue()) == 0 && a.longValue() == b.longValue()
        : Objects.equals(duckValue, ourValue);
    if (!equal) {
      mismatches.add(what + ": DuckDB " + duckValue + ", ours " + ourValue);
    }
  }

  static final List<String> TEXTS = List.of("", " ", "a", "hello", "  padded  ", "\ttab\t", "你好世界", "𠀀𠀁a",
      "e\u0301", "ß straße", "ǅǆǄ", "İı", "Ⱟⱟ", "ꟀꟁꟐꟑ", "𐕰𐖗", "ΣΑΣ σας", "aaa", "ab%_c", "a\\b");

  @Test
  void textFunctionsCountCharactersAndMapCaseAsDuckDbDoes() {
    List<String> bad = new ArrayList<>();
    for (String s : TEXTS) {
      same(bad, "upper(" + s + ")", duck("SELECT upper(?)", s), DuckSemantics.upper(s));
      same(bad, "lower(" + s + ")", duck("SELECT lower(?)", s), DuckSemantics.lower(s));
      same(bad, "length(" + s + ")", duck("SELECT length(?)", s), DuckSemantics.length(s));
      same(bad, "trim(" + s + ")", duck("SELECT trim(?)", s), DuckSemantics.trim(s, true, true));
      same(bad, "ltrim(" + s + ")", duck("SELECT ltrim(?)", s), DuckSemantics.trim(s, true, false));
      same(bad, "rtrim(" + s + ")", duck("SELECT rtrim(?)", s), DuckSemantics.trim(s, false, true));
      same(bad, "trim(" + s + ", 'a ')", duck("SELECT trim(?, 'a ')", s), DuckSemantics.trim(s, "a ", true, true));
      for (long start : new long[] {-10, -2, -1, 0, 1, 2, 3, 10}) {
        same(bad, "substring(" + s + ", " + start + ")", duck("SELECT substring(?, ?)", s, start),
            DuckSemantics.substring(s, start, null));
        for (long len : new long[] {-3, -1, 0, 1, 2, 5}) {
          same(bad, "substring(" + s + ", " + start + ", " + len + ")", duck("SELECT substring(?, ?, ?)", s, start,
              len), DuckSemantics.substring(s, start, len));
        }
      }
      for (String[] r : new String[][] {{"a", "b"}, {"aa", "b"}, {"", "x"}, {"世", "界界"}, {"𠀀", "?"}}) {
        same(bad, "replace(" + s + ")", duck("SELECT replace(?, ?, ?)", s, r[0], r[1]),
            DuckSemantics.replace(s, r[0], r[1]));
      }
      for (String p : List.of("%", "_", "__", "h%", "%l%", "%o", "h_llo", "%\\%", "a\\b", "%世%", "_a", "%%a",
          "ab%_c", "ab\\%_c", "")) {
        same(bad, s + " LIKE " + p, duck("SELECT ? LIKE ?", s, p), DuckSemantics.like(s, p));
      }
      same(bad, "concat(" + s + ", NULL, x)", duck("SELECT concat(?, NULL, 'x')", s),
          DuckSemantics.concat(s, null, "x"));
    }
    same(bad, "concat(NULL, NULL)", duck("SELECT concat(NULL, NULL)"), DuckSemantics.concat(null, null));
    assertThat(bad).isEmpty();
  }

  @Test
  void caseMappingAgreesOnEveryCodePoint() throws SQLException {
    List<String> bad = new ArrayList<>();
    try (var s = duck.createStatement(); ResultSet r = s.executeQuery("SELECT i, upper(chr(i::INTEGER)), "
        + "lower(chr(i::INTEGER)) FROM range(1, 1114112) t(i) WHERE i < 55296 OR i > 57343")) {
      while (r.next()) {
        String c = new String(Character.toChars(r.getInt(1)));
        if (!r.getString(2).equals(DuckSemantics.upper(c)) || !r.getString(3).equals(DuckSemantics.lower(c))) {
          bad.add(Integer.toHexString(r.getInt(1)));
        }
      }
    }
    assertThat(bad).isEmpty();
  }

  /** Characters around which trim's meaning could differ: spaces (Zs), other white space, invisible characters. */
  static final List<String> SPACES = List.of(" ", "\u00a0", "\u1680", "\u2000", "\u2001", "\u2002", "\u2003",
      "\u2004", "\u2005", "\u2006", "\u2007", "\u2008", "\u2009", "\u200a", "\u202f", "\u205f", "\u3000", "\t",
      "\n", "\r", "\u000b", "\u000c", "\u0085", "\u200b", "\u2028", "\u2029", "\ufeff", "\u180e", "\u001c",
      "a", "x", "世", "𠀀");

  /**
   * trim/ltrim/rtrim as the Flink engine runs them (the {@code dataops_*} functions) give what DuckDB gives: DuckDB's
   * one-argument forms strip every Unicode space separator (Zs), not only U+0020 and no other white space; the
   * two-argument forms strip exactly the code points given.
   */
  @Test
  void trimStripsWhatDuckDbStripsOnEveryCodePoint() throws SQLException {
    FlinkFunctions.Trim trim = new FlinkFunctions.Trim();
    FlinkFunctions.LTrim ltrim = new FlinkFunctions.LTrim();
    FlinkFunctions.RTrim rtrim = new FlinkFunctions.RTrim();
    List<String> bad = new ArrayList<>();
    try (var s = duck.createStatement(); ResultSet r = s.executeQuery("SELECT i, trim(v), ltrim(v), rtrim(v), "
        + "trim(c), ltrim(c), rtrim(c) FROM (SELECT i, chr(i::INTEGER) || 'a' || chr(i::INTEGER) AS v, "
        + "repeat(chr(i::INTEGER), 3) AS c FROM range(1, 1114112) t(i) WHERE i < 55296 OR i > 57343)")) {
      while (r.next()) {
        String c = new String(Character.toChars(r.getInt(1)));
        String v = c + "a" + c;
        String only = c.repeat(3);
        if (!r.getString(2).equals(trim.eval(v)) || !r.getString(3).equals(ltrim.eval(v))
            || !r.getString(4).equals(rtrim.eval(v)) || !r.getString(5).equals(trim.eval(only))
            || !r.getString(6).equals(ltrim.eval(only)) || !r.getString(7).equals(rtrim.eval(only))) {
          bad.add(String.format("U+%04X", r.getInt(1)));
        }
      }
    }
    List<String> texts = new ArrayList<>(List.of("", " a ", "\u3000a\u3000", "\u00a0a\u00a0", " \u3000 \u00a0 ",
        "\u2000\u200a\u202f\u205f\u1680", "\u3000 a b \u3000", "\u00a0\ta\t\u00a0", "\t \u3000a", "\u200b a \u200b",
        "\ufeff\u3000a", "\u3000𠀀 𠀀\u3000", " 你好 \u3000", "\u2028\u3000a\u3000\u2029"));
    for (String a : SPACES) {
      for (String b : SPACES) {
        texts.add(a + b + "a" + b + a);
      }
    }
    List<String> charSets = List.of(" ", "\u3000", " \u3000\u00a0", "\t", "a ", "𠀀", "\u00a0a", "");
    for (String t : texts) {
      same(bad, "trim(" + shown(t) + ")", duck("SELECT trim(?)", t), trim.eval(t));
      same(bad, "ltrim(" + shown(t) + ")", duck("SELECT ltrim(?)", t), ltrim.eval(t));
      same(bad, "rtrim(" + shown(t) + ")", duck("SELECT rtrim(?)", t), rtrim.eval(t));
      for (String chars : charSets) {
        same(bad, "trim(" + shown(t) + ", " + shown(chars) + ")", duck("SELECT trim(?, ?)", t, chars),
            trim.eval(t, chars));
        same(bad, "ltrim(" + shown(t) + ", " + shown(chars) + ")", duck("SELECT ltrim(?, ?)", t, chars),
            ltrim.eval(t, chars));
        same(bad, "rtrim(" + shown(t) + ", " + shown(chars) + ")", duck("SELECT rtrim(?, ?)", t, chars),
            rtrim.eval(t, chars));
      }
    }
    same(bad, "trim(NULL)", duck("SELECT trim(NULL::VARCHAR)"), trim.eval(null));
    same(bad, "trim(x, NULL)", duck("SELECT trim('\u3000a', NULL::VARCHAR)"), trim.eval("\u3000a", null));
    assertThat(bad).isEmpty();
  }

  /** A text with every character outside printable ASCII as \\uXXXX (or \\U+XXXXX), to read a mismatch. */
  static String shown(String s) {
    StringBuilder b = new StringBuilder("'");
    s.codePoints().forEach(cp -> b.append(cp > 0x20 && cp < 0x7f ? Character.toString(cp)
        : cp <= 0xFFFF ? String.format("\\u%04x", cp) : String.format("\\U+%X", cp)));
    return b.append("'").toString();
  }

  @Test
  void roundingOfDoublesIsDuckDbsBinaryScalingNotDecimalRounding() {
    List<String> bad = new ArrayList<>();
    Random random = new Random(7);
    List<Double> values = new ArrayList<>(List.of(2.675, 1.005, 0.285, 2.5, -2.5, 0.5, -0.5, 1.5, 0.49999999999999994,
        1e300, -1e-300, 123456.789, Double.MAX_VALUE, 4503599627370497.0, 0.0, -0.0));
    for (int i = 0; i < 2000; i++) {
      values.add(Math.round(random.nextGaussian() * 1e6) / 1000.0 + (random.nextBoolean() ? 0.0005 : 0));
    }
    for (double x : values) {
      same(bad, "round(" + x + ")", duck("SELECT round(?::DOUBLE)", x), DuckSemantics.round(x));
      for (int n : new int[] {-3, -1, 0, 1, 2, 3}) {
        same(bad, "round(" + x + ", " + n + ")", duck("SELECT round(?::DOUBLE, ?)", x, n), DuckSemantics.round(x, n));
      }
      same(bad, x + " % 3.5", duck("SELECT ?::DOUBLE % 3.5::DOUBLE", x), DuckSemantics.fmod(x, 3.5));
    }
    assertThat(bad).isEmpty();
  }

  @Test
  void castsRoundAndRefuseAsDuckDbDoes() {
    List<String> bad = new ArrayList<>();
    Random random = new Random(11);
    List<Object> numbers = new ArrayList<>(List.of(2.5, -2.5, 3.5, 1.005, 2.675, 0.125, 1e10, 2147483647.5, -1e19,
        new BigDecimal("2.55"), new BigDecimal("-2.50"), new BigDecimal("2147483647.49"), new BigDecimal("0.005"),
        new BigDecimal("-0.005"), 7, -7, Integer.MIN_VALUE, Long.MAX_VALUE, true, false));
    for (int i = 0; i < 500; i++) {
      numbers.add(random.nextGaussian() * Math.pow(10, random.nextInt(8)));
      numbers.add(BigDecimal.valueOf(random.nextLong() % 10_000_000_000L, random.nextInt(6)));
    }
    for (Object x : numbers) {
      String t = x instanceof Double ? "DOUBLE" : x instanceof BigDecimal d ? "DECIMAL(18," + d.scale() + ")"
          : x instanceof Long ? "BIGINT" : x instanceof Boolean ? "BOOLEAN" : "INTEGER";
      same(bad, "CAST(" + x + " AS INTEGER)", duck("SELECT CAST(?::" + t + " AS INTEGER)", x),
          ours(() -> DuckSemantics.toInt(x)));
      same(bad, "CAST(" + x + " AS BIGINT)", duck("SELECT CAST(?::" + t + " AS BIGINT)", x),
          ours(() -> DuckSemantics.toBigint(x)));
      same(bad, "CAST(" + x + " AS DOUBLE)", duck("SELECT CAST(?::" + t + " AS DOUBLE)", x),
          ours(() -> DuckSemantics.toDouble(x, 18)));
      for (int[] ps : new int[][] {{10, 2}, {18, 4}, {5, 0}, {38, 10}, {4, 3}}) {
        Object d = duck("SELECT CAST(CAST(?::" + t + " AS DECIMAL(" + ps[0] + "," + ps[1] + ")) AS VARCHAR)", x);
        same(bad, "CAST(" + x + " AS DECIMAL(" + ps[0] + "," + ps[1] + "))", d,
            ours(() -> DuckSemantics.toDecimalText(x, ps[0], ps[1])));
      }
      if (!(x instanceof Double)) {
        same(bad, "CAST(" + x + " AS VARCHAR)", duck("SELECT CAST(?::" + t + " AS VARCHAR)", x),
            DuckSemantics.toVarchar(x));
      }
    }
    // Texts: the plain forms give DuckDB's value; others may be refused (a data error), never read differently.
    List<String> refused = new ArrayList<>();
    for (String s : List.of("12", " 12 ", "+3", "-0", "1.5", "2.5", "-2.5", "1.", "007", "99999999999",
        "1.25", "0.125", ".5", "1e3", "1.5e1", "abc", "", "0x10", "1_000")) {
      sameOrRefused(bad, refused, "CAST('" + s + "' AS INTEGER)", duck("SELECT CAST(? AS INTEGER)", s),
          ours(() -> DuckSemantics.toInt(s)));
      sameOrRefused(bad, refused, "CAST('" + s + "' AS BIGINT)", duck("SELECT CAST(? AS BIGINT)", s),
          ours(() -> DuckSemantics.toBigint(s)));
      sameOrRefused(bad, refused, "CAST('" + s + "' AS DECIMAL(10,1))",
          duck("SELECT CAST(CAST(? AS DECIMAL(10,1)) AS VARCHAR)", s), ours(() -> DuckSemantics.toDecimalText(s, 10, 1)));
      sameOrRefused(bad, refused, "CAST('" + s + "' AS DOUBLE)", duck("SELECT CAST(? AS DOUBLE)", s),
          ours(() -> DuckSemantics.toDouble(s, 0)));
    }
    for (String s : List.of("2020-01-31", " 2020-1-5 ", "2020-02-30", "2020-13-01", "20200101", "2020-01-31 10:00",
        "2020-01-31T10:20:30.5", "2020-01-31 10:20:30.123456", "2020-01-31 10:20", " 2020-01-05", "2020-01-05 ",
        "2020-01-05 1:02:03")) {
      sameOrRefused(bad, refused, "CAST('" + s + "' AS DATE)", duck("SELECT CAST(? AS DATE)", s),
          ours(() -> DuckSemantics.toDate(s)));
      sameOrRefused(bad, refused, "CAST('" + s + "' AS TIMESTAMP)", duck("SELECT CAST(? AS TIMESTAMP)", s),
          ours(() -> DuckSemantics.toTimestamp(s)));
    }
    for (String s : List.of("true", "FALSE", "t", "f", " T ", " true", "yes", "1", "maybe")) {
      sameOrRefused(bad, refused, "CAST('" + s + "' AS BOOLEAN)", duck("SELECT CAST(? AS BOOLEAN)", s),
          ours(() -> DuckSemantics.toBoolean(s)));
    }
    assertThat(refused).as("plain forms are read").doesNotContain("CAST('12' AS INTEGER)", "CAST('2.5' AS INTEGER)",
        "CAST('1e3' AS DOUBLE)", "CAST('2020-01-31' AS DATE)", "CAST('2020-01-31 10:20:30.123456' AS TIMESTAMP)",
        "CAST('true' AS BOOLEAN)", "CAST('f' AS BOOLEAN)", "CAST(' 12 ' AS DECIMAL(10,1))");
    for (LocalDateTime t : List.of(LocalDateTime.of(2020, 1, 1, 10, 0), LocalDateTime.of(2020, 1, 1, 10, 0, 0, 500_000_000),
        LocalDateTime.of(1969, 12, 31, 23, 59, 59, 123_000), LocalDateTime.of(2, 3, 4, 5, 6, 7, 1000))) {
      same(bad, "CAST(" + t + " AS VARCHAR)", duck("SELECT CAST(?::TIMESTAMP AS VARCHAR)", t.toString()),
          DuckSemantics.toVarchar(t));
    }
    assertThat(bad).isEmpty();
  }

  /** Equal, or refused by us (texts in forms we do not read) while DuckDB reads or refuses them. */
  private static void sameOrRefused(List<String> bad, List<String> refused, String what, Object duckValue,
      Object ourValue) {
    if (ourValue instanceof Failed) {
      refused.add(what);
    } else {
      same(bad, what, duckValue, ourValue);
    }
  }

  @Test
  void largeDecimalsBecomeTheDoublesDuckDbMakes() {
    List<String> bad = new ArrayList<>();
    Random random = new Random(5);
    for (int i = 0; i < 3000; i++) {
      BigDecimal d = new BigDecimal(new BigInteger(40 + random.nextInt(86), random).multiply(
          BigInteger.valueOf(random.nextBoolean() ? 1 : -1)), random.nextInt(10));
      if (d.precision() > 38) {
        continue;
      }
      same(bad, "CAST(" + d + " AS DOUBLE)", duck("SELECT CAST(?::DECIMAL(38," + d.scale() + ") AS DOUBLE)",
          d.toPlainString()), DuckSemantics.decimalToDouble(d, 38));
      if (d.precision() <= 18) { // stored in 64 bits by DuckDB
        same(bad, "CAST(" + d + " AS DECIMAL(18))", duck("SELECT CAST(?::DECIMAL(18," + d.scale() + ") AS DOUBLE)",
            d.toPlainString()), DuckSemantics.decimalToDouble(d, 18));
      }
    }
    assertThat(bad).isEmpty();
  }

  @Test
  void averagesOfDecimalsAreDuckDbsLongDoubleQuotients() {
    List<String> bad = new ArrayList<>();
    Random random = new Random(3);
    for (int i = 0; i < 300; i++) {
      int n = 1 + random.nextInt(40);
      int scale = random.nextInt(5);
      int precision = List.of(4, 9, 18).get(random.nextInt(3));
      List<BigDecimal> values = new ArrayList<>();
      BigInteger sum = BigInteger.ZERO;
      for (int j = 0; j < n; j++) {
        BigDecimal v = BigDecimal.valueOf(random.nextLong() % (precision == 4 ? 10_000L : precision == 9
            ? 100_000_000L : 100_000_000_000_000L), Math.min(scale, precision - 1));
        values.add(v);
        sum = sum.add(v.unscaledValue());
      }
      int s = Math.min(scale, precision - 1);
      String list = String.join(",", values.stream().map(v -> "(" + v.toPlainString() + "::DECIMAL(" + precision
          + "," + s + "))").toList());
      same(bad, "avg of " + n + " DECIMAL(" + precision + "," + s + ")", duck("SELECT avg(x) FROM (VALUES " + list
          + ") t(x)"), DuckSemantics.avgDecimal(sum, n, s, precision));
    }
    assertThat(bad).isEmpty();
  }

  @Test
  void overflowFailsInsteadOfWrapping() {
    assertThatThrownBy(() -> DuckSemantics.addInt(Integer.MAX_VALUE, 1)).isInstanceOf(TransformDataException.class)
        .hasMessageContaining("Overflow in addition of INTEGER");
    assertThat(duck("SELECT 2147483647::INTEGER + 1")).isInstanceOf(Failed.class);
    assertThatThrownBy(() -> DuckSemantics.multiplyBigint(Long.MAX_VALUE, 2L))
        .isInstanceOf(TransformDataException.class);
    assertThat(DuckSemantics.addBigint(1L, 2L)).isEqualTo(3L);
    assertThat(duck("SELECT abs(-2147483648::INTEGER)")).isInstanceOf(Failed.class);
    assertThatThrownBy(() -> DuckSemantics.absInt(Integer.MIN_VALUE)).isInstanceOf(TransformDataException.class);
  }

  static final String MAX38 = "999999999999999999999999999999999999.99";

  /**
   * Decimal +, - and * fail exactly where DuckDB's do ("Out of Range Error: Overflow in addition of DECIMAL(38)"...,
   * or a Conversion Error for an operand made the result's type), and otherwise give DuckDB's exact value in DuckDB's
   * result type — Flink's own operators give NULL on overflow, and round products of wide types to fewer places.
   */
  @Test
  void decimalArithmeticOverflowsWhereDuckDbsDoesAndIsExactElsewhere() {
    List<String> bad = new ArrayList<>();
    Random random = new Random(13);
    List<String[]> operands = new ArrayList<>(); // {value, DuckDB type}
    for (String v : List.of(MAX38, "-" + MAX38, "0.01", "-0.01", "1", "0", "500000000000000000000000000000000000.00",
        "85070591730234615865843651857942052.86", "99999999999999999999999999999999999.99", "12345.67")) {
      operands.add(new String[] {v, "DECIMAL(38,2)"});
    }
    for (String v : List.of("9999999999999999999999999999999999999.9", "1.0", "-3.5")) {
      operands.add(new String[] {v, "DECIMAL(38,1)"});
    }
    for (String v : List.of("1.0000000001", "-99999999.9999999999", "0.0000000001")) {
      operands.add(new String[] {v, "DECIMAL(18,10)"});
      operands.add(new String[] {v, "DECIMAL(20,10)"});
      operands.add(new String[] {v, "DECIMAL(38,10)"});
    }
    for (String v : List.of("999.99", "-0.5", "12.34")) {
      operands.add(new String[] {v, "DECIMAL(5,2)"});
    }
    operands.add(new String[] {"10", "INTEGER"});
    operands.add(new String[] {"-2147483648", "INTEGER"});
    operands.add(new String[] {"9223372036854775807", "BIGINT"});
    operands.add(new String[] {"99999999999999999999999999999999999999", "HUGEINT"});
    for (int i = 0; i < 60; i++) {
      int p = 1 + random.nextInt(38);
      int sc = random.nextInt(Math.min(p, 12) + 1);
      BigDecimal v = new BigDecimal(new BigInteger(Math.max(1, (int) (p * 3.32) - random.nextInt(8)), random), sc);
      if (v.precision() <= p) {
        operands.add(new String[] {(random.nextBoolean() ? "" : "-") + v.toPlainString(), "DECIMAL(" + p + "," + sc
            + ")"});
      }
    }
    int failures = 0;
    int checked = 0;
    for (String[] a : operands) {
      for (String[] b : operands) {
        if (!a[1].startsWith("DECIMAL") && !b[1].startsWith("DECIMAL")) {
          continue;
        }
        for (String op : List.of("+", "-", "*")) {
          String e = "(?::" + a[1] + " " + op + " ?::" + b[1] + ")";
          Object type = duck("SELECT typeof(" + e + ")", a[0], b[0]);
          if (type instanceof Failed || !String.valueOf(type).startsWith("DECIMAL")) {
            continue; // not typed by DuckDB (a scale over 38): refused when the transform is bound
          }
          DType t = DType.parse(String.valueOf(type));
          Object duckValue = duck("SELECT " + e, a[0], b[0]);
          Object ours = ours(() -> {
            String text = DuckSemantics.decimalArithmetic(op, value(a), value(b), t.precision(), t.scale());
            assertThat(new BigDecimal(text).scale()).isEqualTo(t.scale());
            return new BigDecimal(text);
          });
          if (duckValue instanceof Failed) {
            failures++;
          }
          checked++;
          same(bad, a[0] + "::" + a[1] + " " + op + " " + b[0] + "::" + b[1], duckValue, ours);
        }
      }
    }
    assertThat(bad).isEmpty();
    assertThat(failures).as("overflows checked").isGreaterThan(50);
    assertThat(checked - failures).as("exact results checked").isGreaterThan(1000);
    assertThatThrownBy(() -> DuckSemantics.decimalArithmetic("+", new BigDecimal(MAX38), new BigDecimal(MAX38), 38, 2))
        .isInstanceOf(TransformDataException.class).hasMessageContaining("Out of Range Error: Overflow in addition of "
            + "DECIMAL(38)");
    assertThatThrownBy(() -> DuckSemantics.decimalArithmetic("*", new BigDecimal(MAX38), 10, 38, 2))
        .isInstanceOf(TransformDataException.class).hasMessageContaining("Out of Range Error: Overflow in "
            + "multiplication of DECIMAL(38)");
  }

  /** An operand as the Flink engine gives it to the function: INTEGER as Integer, BIGINT as Long, else BigDecimal. */
  private static Object value(String[] operand) {
    return switch (operand[1]) {
      case "INTEGER" -> Integer.valueOf(operand[0]);
      case "BIGINT" -> Long.valueOf(operand[0]);
      default -> new BigDecimal(operand[0]).setScale(operand[1].equals("HUGEINT") ? 0
          : DType.parse(operand[1]).scale());
    };
  }

  /** sum(x) as the Flink engine's {@code dataops_sum_exact} gives it, or Failed. */
  private static Object sumExact(List<BigDecimal> values, int scale, boolean split) {
    FlinkFunctions.SumExact f = new FlinkFunctions.SumExact();
    try {
      FlinkFunctions.SumExact.Sums acc = f.createAccumulator();
      FlinkFunctions.SumExact.Sums other = f.createAccumulator();
      for (int i = 0; i < values.size(); i++) {
        f.accumulate(split && i % 2 == 1 ? other : acc, values.get(i), scale);
      }
      f.merge(acc, List.of(other));
      String v = f.getValue(acc);
      return v == null ? null : new BigDecimal(v);
    } catch (TransformDataException e) {
      return new Failed(e.getMessage());
    }
  }

  /**
   * sum of DECIMAL(38, s) fails where DuckDB's 128-bit sum overflows ("Overflow in HUGEINT addition"), instead of
   * Flink's NULL; DuckDB's own failure depends on the order it adds in, so the Flink engine refuses whenever an order
   * could overflow, and a sum beyond 38 digits (DuckDB gives a DECIMAL(38, s) that does not hold it). Elsewhere exact.
   */
  @Test
  void decimalSumsFailWhereDuckDbsCouldOverflowAndAreExactElsewhere() {
    List<String> bad = new ArrayList<>();
    BigDecimal max = new BigDecimal(MAX38);
    // DuckDB fails: both fail
    for (List<BigDecimal> values : List.of(List.of(max, max), List.of(max.negate(), max.negate()),
        List.of(max, max, max.negate()), List.of(max, max, BigDecimal.ONE.setScale(2)))) {
      Object d = duck("SELECT CAST(sum(x) AS VARCHAR) FROM (VALUES " + String.join(", ", values.stream()
          .map(v -> "(" + v.toPlainString() + "::DECIMAL(38,2))").toList()) + ") t(x)");
      assertThat(d).as("DuckDB: sum of " + values).isInstanceOf(Failed.class);
      for (boolean split : new boolean[] {false, true}) {
        assertThat(sumExact(values, 2, split)).as("ours: sum of " + values).isInstanceOf(Failed.class)
            .asString().contains("Out of Range Error: Overflow in HUGEINT addition");
      }
    }
    // DuckDB gives a sum of 39 digits as a DECIMAL(38,2), which no DECIMAL(38,2) holds: refused
    Object d = duck("SELECT CAST(sum(x) AS VARCHAR) FROM (VALUES (" + MAX38 + "::DECIMAL(38,2)), (0.01::DECIMAL(38,2)))"
        + " t(x)");
    assertThat(d).isEqualTo("1000000000000000000000000000000000000.00");
    assertThat(sumExact(List.of(max, new BigDecimal("0.01")), 2, false)).isInstanceOf(Failed.class);
    // in this order DuckDB does not overflow, in another it does (above): refused, never a differing value
    assertThat(duck("SELECT CAST(sum(x) AS VARCHAR) FROM (VALUES (" + MAX38 + "::DECIMAL(38,2)), (-" + MAX38
        + "::DECIMAL(38,2)), (" + MAX38 + "::DECIMAL(38,2))) t(x)")).isEqualTo(MAX38);
    assertThat(sumExact(List.of(max, max.negate(), max), 2, false)).isInstanceOf(Failed.class);
    // what fits is exact, and the same as DuckDB's
    Random random = new Random(17);
    for (int i = 0; i < 200; i++) {
      int n = 1 + random.nextInt(12);
      int scale = random.nextInt(6);
      List<BigDecimal> values = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        values.add(new BigDecimal(new BigInteger(1 + random.nextInt(124), random).multiply(BigInteger.valueOf(
            random.nextBoolean() ? 1 : -1)), scale));
      }
      if (values.stream().anyMatch(v -> v.precision() > 38)) {
        continue;
      }
      Object duckValue = duck("SELECT sum(x) FROM (VALUES " + String.join(", ", values.stream().map(v -> "("
          + v.toPlainString() + "::DECIMAL(38," + scale + "))").toList()) + ") t(x)");
      BigDecimal exact = values.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
      for (boolean split : new boolean[] {false, true}) {
        Object ourValue = sumExact(values, scale, split);
        if (ourValue instanceof Failed) { // only where some order overflows DuckDB's 128 bits, or beyond 38 digits
          BigInteger pos = values.stream().filter(v -> v.signum() > 0).map(BigDecimal::unscaledValue)
              .reduce(BigInteger.ZERO, BigInteger::add);
          BigInteger neg = values.stream().filter(v -> v.signum() < 0).map(BigDecimal::unscaledValue)
              .reduce(BigInteger.ZERO, BigInteger::add);
          if (pos.bitLength() < 127 && neg.negate().bitLength() < 127 && exact.precision() - exact.scale() <= 38
              - scale) {
            bad.add("refused " + values);
          }
        } else {
          same(bad, "sum of " + values, duckValue, ourValue);
        }
      }
    }
    assertThat(bad).isEmpty();
    assertThat(sumExact(List.of(), 2, true)).isNull();
  }

  static final List<Double> DOUBLES = java.util.Arrays.asList(Double.NaN, -Double.NaN,
      Double.longBitsToDouble(0x7ff8000000000001L), Double.NEGATIVE_INFINITY, -1.5, -Double.MIN_VALUE, -0.0, 0.0,
      1e-320, 1.0, Double.MAX_VALUE, Double.POSITIVE_INFINITY, null);

  /**
   * Comparisons of DOUBLEs follow DuckDB's order: NaN equals NaN and is above every value (infinity too), -0.0 equals
   * 0.0 — Java's operators (Flink's) say NaN is neither.
   */
  @Test
  void doubleComparisonsFollowDuckDbsOrder() {
    List<String> bad = new ArrayList<>();
    for (Double a : DOUBLES) {
      for (Double b : DOUBLES) {
        for (String op : List.of("=", "<>", "<", ">", "<=", ">=")) {
          Integer c = DuckSemantics.compareDouble(a, b);
          Boolean ours = c == null ? null : switch (op) {
            case "=" -> c == 0;
            case "<>" -> c != 0;
            case "<" -> c < 0;
            case ">" -> c > 0;
            case "<=" -> c <= 0;
            default -> c >= 0;
          };
          same(bad, a + " " + op + " " + b, duck("SELECT ?::DOUBLE " + op + " ?::DOUBLE", a, b), ours);
        }
        same(bad, a + " IS NOT DISTINCT FROM " + b, duck("SELECT ?::DOUBLE IS NOT DISTINCT FROM ?::DOUBLE", a, b),
            DuckSemantics.notDistinctDouble(a, b));
      }
    }
    assertThat(bad).isEmpty();
    assertThat(DuckSemantics.compareDouble(Double.NaN, Double.POSITIVE_INFINITY)).isEqualTo(1);
  }

  /**
   * min/max, count(DISTINCT) and grouping of DOUBLEs take -0.0 and 0.0 (and every NaN) as one value, as DuckDB does;
   * of values it takes as one DuckDB gives the first it met (an order of rows and threads), the Flink engine 0.0 when
   * any was 0.0 — so always -0.0 when all were, as DuckDB. Plain values keep their sign on both.
   */
  @Test
  void minMaxDistinctAndGroupsOfDoublesTakeNegativeZeroAsZeroAsDuckDbDoes() throws SQLException {
    List<String> bad = new ArrayList<>();
    List<List<Double>> sets = List.of(List.of(0.0, -0.0, -0.0), List.of(-0.0, -0.0), List.of(0.0, -0.0),
        List.of(1.0, Double.NaN, -0.0), List.of(Double.NaN, Double.NEGATIVE_INFINITY, 0.0),
        List.of(Double.POSITIVE_INFINITY, Double.NaN, -Double.NaN), List.of(-1.0, -0.0, 0.0, 2.0), List.of(5.0));
    for (List<Double> set : sets) {
      String values = String.join(", ", set.stream().map(v -> "('" + v + "'::DOUBLE)").toList());
      FlinkFunctions.MinDouble min = new FlinkFunctions.MinDouble();
      FlinkFunctions.MaxDouble max = new FlinkFunctions.MaxDouble();
      var minAcc = min.createAccumulator();
      var maxAcc = max.createAccumulator();
      java.util.Set<Double> keys = new java.util.HashSet<>();
      for (Double v : set) {
        min.accumulate(minAcc, v);
        max.accumulate(maxAcc, v);
        keys.add(DuckSemantics.doubleKey(v));
      }
      same(bad, "min of " + set, duck("SELECT min(d) FROM (VALUES " + values + ") t(d)"), min.getValue(minAcc));
      same(bad, "max of " + set, duck("SELECT max(d) FROM (VALUES " + values + ") t(d)"), max.getValue(maxAcc));
      sameSign(bad, "min of " + set, duck("SELECT 1 / min(d) FROM (VALUES " + values + ") t(d)"),
          1 / min.getValue(minAcc));
      sameSign(bad, "max of " + set, duck("SELECT 1 / max(d) FROM (VALUES " + values + ") t(d)"),
          1 / max.getValue(maxAcc));
      same(bad, "count(DISTINCT) of " + set, duck("SELECT count(DISTINCT d) FROM (VALUES " + values + ") t(d)"),
          (long) keys.size());
      same(bad, "groups of " + set, duck("SELECT count(*) FROM (SELECT d FROM (VALUES " + values + ") t(d) GROUP BY "
          + "d)"), (long) keys.size());
    }
    // a plain value keeps its sign on both; equal to 0
    assertThat(duck("SELECT CAST(-0.0::DOUBLE AS VARCHAR)")).isEqualTo("-0.0");
    assertThat(duck("SELECT -0.0::DOUBLE = 0")).isEqualTo(true);
    // sum of DOUBLEs starts from 0.0 in DuckDB: never -0.0
    assertThat(duck("SELECT 1 / sum(d) FROM (VALUES (-0.0::DOUBLE), (-0.0::DOUBLE)) t(d)"))
        .isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(bad).isEmpty();
  }

  /** Infinities tell the sign of a zero apart (1 / -0.0 is -Infinity). */
  private static void sameSign(List<String> bad, String what, Object duckValue, double ours) {
    if (!(duckValue instanceof Double d) || Double.compare(d, ours) != 0) {
      bad.add(what + " (sign of zero): DuckDB 1/x " + duckValue + ", ours " + ours);
    }
  }
}
