package io.dataops.quality.expect;

import io.dataops.quality.suite.Expectation;
import io.dataops.quality.suite.SuiteException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An expectation's keyword arguments, checked against what the expectation takes and against the table. Every
 * problem names the suite file and the line of the argument.
 */
final class Args {
  /** Arguments every expectation may carry; they do not change what is checked. */
  static final Set<String> COMMON = Set.of("result_format", "catch_exceptions", "include_config", "meta", "notes",
      "batch_id", "description");

  private final Expectation e;
  private final String source;
  private final TableFacts table;
  private final Set<String> used = new HashSet<>();
  /** What registration should warn about though the expectation runs: each as its line and problem. */
  private final List<String> notices = new java.util.ArrayList<>();

  Args(Expectation e, String source, TableFacts table) {
    this.e = e;
    this.source = source;
    this.table = table;
  }

  Expectation expectation() {
    return e;
  }

  TableFacts table() {
    return table;
  }

  /** The suite's file, as its errors name it. */
  String source() {
    return source;
  }

  /** A warning for registration (the suite is taken and runs): said at the argument's line. */
  void notice(String kwarg, String problem) {
    notices.add(source + " line " + e.lineOf(kwarg) + ": " + e.type() + ": " + problem);
  }

  List<String> notices() {
    return List.copyOf(notices);
  }

  SuiteException fail(String kwarg, String problem) {
    return new SuiteException(source, kwarg == null ? e.line() : e.lineOf(kwarg), e.type() + ": " + problem);
  }

  /**
   * What Great Expectations raises while validating (not while reading the suite): the expectation fails with
   * {@code exception_info}, or, with {@code catch_exceptions: false}, the suite is refused at the argument's line.
   */
  Raised error(String kwarg, String message) {
    return new Raised(kwarg, message);
  }

  /** {@code catch_exceptions}: GX's default for a validation run is to catch and report. */
  boolean catchExceptions() {
    Object v = e.kwargs().get("catch_exceptions");
    return !(v instanceof Boolean b) || b;
  }

  /** An error Great Expectations reports in the result rather than refusing the suite. */
  static final class Raised extends RuntimeException {
    final String kwarg;

    Raised(String kwarg, String message) {
      super(message, null, false, false);
      this.kwarg = kwarg;
    }
  }

  /** After reading the arguments: anything left over is a mistake (a typo in a name, or an unsupported option). */
  void noOthers() {
    for (String k : e.kwargs().keySet()) {
      if (!used.contains(k) && !COMMON.contains(k)) {
        Set<String> known = new TreeSet<>(used);
        throw fail(k, "unknown argument '" + k + "'" + (known.isEmpty() ? "" : " (it takes: " + String.join(", ", known) + ")"));
      }
    }
    // Found by a probe: catch_exceptions: "yes" (text) was taken, and read as true.
    for (String flag : List.of("catch_exceptions", "include_config")) {
      Object v = e.kwargs().get(flag);
      if (v != null && !(v instanceof Boolean)) {
        String given = String.valueOf(v).length() <= 40 ? String.valueOf(v) : String.valueOf(v).substring(0, 40) + "…";
        throw fail(flag, flag + " is true or false, not " + (v instanceof String ? "the text \"" + given + "\""
            : given));
      }
    }
  }

  boolean has(String name) {
    used.add(name);
    return e.kwargs().get(name) != null;
  }

  void allow(String... names) {
    used.addAll(List.of(names));
  }

  String column(String name) {
    used.add(name);
    Object v = e.kwargs().get(name);
    if (v == null) {
      throw fail(null, "argument '" + name + "' is required");
    }
    if (!(v instanceof String s) || s.isBlank()) {
      throw fail(name, "argument '" + name + "' must name a column");
    }
    if (!table.hasColumn(s)) {
      throw fail(name, "column '" + s + "' does not exist in " + table.table() + " (columns: "
          + String.join(", ", table.businessColumns()) + ")");
    }
    return s;
  }

  List<String> columns(String name) {
    List<Object> list = list(name, true);
    List<String> out = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof String s) || !table.hasColumn(s)) {
        throw fail(name, "column '" + o + "' does not exist in " + table.table());
      }
      out.add(s);
    }
    if (out.isEmpty()) {
      throw fail(name, "argument '" + name + "' must list at least one column");
    }
    return out;
  }

  String string(String name, boolean required) {
    used.add(name);
    Object v = e.kwargs().get(name);
    if (v == null) {
      if (required) {
        throw fail(null, "argument '" + name + "' is required");
      }
      return null;
    }
    if (!(v instanceof String s)) {
      throw fail(name, "argument '" + name + "' must be text");
    }
    return s;
  }

  BigDecimal number(String name, boolean required) {
    used.add(name);
    Object v = e.kwargs().get(name);
    if (v == null) {
      if (required) {
        throw fail(null, "argument '" + name + "' is required");
      }
      return null;
    }
    if ((v instanceof Double || v instanceof Float) && !Double.isFinite(((Number) v).doubleValue())) {
      // YAML's .nan and .inf: no decimal holds them (NumberFormatException, an internal error, before).
      throw fail(name, "argument '" + name + "' must be a finite number, not " + v);
    }
    if (v instanceof Number n) {
      return n instanceof BigDecimal d ? d : new BigDecimal(n.toString());
    }
    throw fail(name, "argument '" + name + "' must be a number");
  }

  /**
   * A whole-number argument as GX takes it, a Python int: a float (2.5, and 2.0 too) is refused at its line rather
   * than cut, and a large one stays whole for the caller to compare exactly.
   */
  BigInteger integer(String name, boolean required) {
    BigDecimal v = number(name, required);
    if (v == null) {
      return null;
    }
    BigInteger i = whole(e.kwargs().get(name));
    if (i == null) {
      throw fail(name, "argument '" + name + "' must be a whole number, not " + e.kwargs().get(name));
    }
    return i;
  }

  /** {@code v} as a Python int, or null when it is not one (a float, text, or no number at all). */
  static BigInteger whole(Object v) {
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return BigInteger.valueOf(((Number) v).longValue());
    }
    return v instanceof BigInteger i ? i : null;
  }

  boolean bool(String name, boolean fallback) {
    used.add(name);
    Object v = e.kwargs().get(name);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Boolean b)) {
      throw fail(name, "argument '" + name + "' must be true or false");
    }
    return b;
  }

  @SuppressWarnings("unchecked")
  List<Object> list(String name, boolean required) {
    used.add(name);
    Object v = e.kwargs().get(name);
    if (v == null) {
      if (required) {
        throw fail(null, "argument '" + name + "' is required");
      }
      return null;
    }
    if (!(v instanceof List<?> l)) {
      throw fail(name, "argument '" + name + "' must be a list");
    }
    return (List<Object>) l;
  }

  /** {@code result_format}: a level's name, or an object with {@code result_format} and its options. */
  ResultFormat resultFormat() {
    Object v = e.kwargs().get("result_format");
    if (v == null) {
      return ResultFormat.BASIC;
    }
    Map<?, ?> m = v instanceof Map<?, ?> map ? map : Map.of("result_format", v);
    Object level = m.get("result_format");
    if (level == null) {
      throw fail("result_format", "If configuring result format with a dictionary, the key 'result_format' must be "
          + "present.");
    }
    ResultFormat.Level l;
    try {
      l = ResultFormat.Level.valueOf(String.valueOf(level).toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException ex) {
      throw fail("result_format", "unknown result_format '" + level + "' (expected BOOLEAN_ONLY, BASIC, SUMMARY or "
          + "COMPLETE)");
    }
    for (Object key : m.keySet()) {
      if (!Set.of("result_format", "partial_unexpected_count", "include_unexpected_rows", "exclude_unexpected_values",
          "unexpected_index_column_names", "return_unexpected_index_query").contains(key)) {
        throw fail("result_format", "result_format has no option '" + key + "'");
      }
    }
    Object count = m.get("partial_unexpected_count");
    // Compared whole: cut to an int, 4294967306 was taken as 10 and 2.5 as 2 (a list slice in GX takes only ints).
    BigInteger wholeCount = whole(count);
    if (count != null && (wholeCount == null || wholeCount.signum() < 0
        || wholeCount.compareTo(BigInteger.valueOf(ResultFormat.COMPLETE_LIMIT)) > 0)) {
      throw fail("result_format", "partial_unexpected_count must be a whole number from 0 to "
          + ResultFormat.COMPLETE_LIMIT);
    }
    List<String> index = null;
    if (m.get("unexpected_index_column_names") instanceof List<?> names) {
      index = names.stream().map(String::valueOf).toList();
      for (String c : index) {
        if (!table.hasColumn(c)) {
          throw fail("result_format", "unexpected_index_column_names: column '" + c + "' does not exist in "
              + table.table());
        }
      }
    }
    return new ResultFormat(l, count == null ? 20 : wholeCount.intValueExact(),
        Boolean.TRUE.equals(m.get("include_unexpected_rows")), Boolean.TRUE.equals(m.get("exclude_unexpected_values")),
        index);
  }

  /** {@code mostly}: the share of considered rows that must pass (default 1). */
  double mostly() {
    if (e.kwargs().get("mostly") instanceof Boolean b) {
      // GX's Mostly validator takes any Python Number, and bool is one: True is 1, False is 0.
      used.add("mostly");
      return b ? 1.0 : 0.0;
    }
    BigDecimal m = number("mostly", false);
    if (m == null && e.kwargs().containsKey("mostly")) {
      throw fail("mostly", "mostly must be a number between 0 and 1, not null"); // GX's Mostly is not optional
    }
    if (m == null) {
      return 1.0;
    }
    if (m.signum() < 0 || m.compareTo(BigDecimal.ONE) > 0) {
      throw fail("mostly", "mostly must be between 0 and 1");
    }
    return m.doubleValue();
  }

  Map<String, Object> kwargs() {
    return e.kwargs();
  }
}
