package io.dataops.quality.expect;

import io.dataops.quality.engine.ComplianceAnalyzer;
import io.dataops.quality.engine.TextOrder;
import io.dataops.quality.result.PythonFloat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.types.Type;

/** Builds the {@code result} objects of Great Expectations' validation results. */
final class Results {
  private Results() {}

  /** A number as JSON shows it: whole numbers without ".0", NaN and infinities as null. */
  static Object number(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return null;
    }
    if (d == Math.rint(d) && Math.abs(d) < 9.007199254740992E15) {
      return (long) d;
    }
    return d;
  }

  /**
   * A number GX's pandas computes as a float (a median, mean or standard deviation, any statistic of a floating
   * column): JSON shows it as Python's json writes numpy's float64, with its ".0" (a median of whole numbers is 50.0)
   * and Python's exponent (1e+22).
   */
  static PythonFloat floating(double d) {
    return Double.isNaN(d) || Double.isInfinite(d) ? null : new PythonFloat(d);
  }

  static Double percent(long part, long whole) {
    return whole == 0 ? null : 100.0 * part / whole;
  }

  /** Great Expectations' "mostly": the share of considered rows that passed must reach it. */
  static boolean mostlySuccess(long considered, long unexpected, double mostly) {
    if (considered == 0) {
      return true;
    }
    // exactly GX's _mostly_success: no tolerance (found by a probe: mostly 0.9000000000005 passed 9 of 10)
    double ok = ((double) considered - (double) unexpected) / (double) considered;
    return ok >= mostly;
  }

  /**
   * The result of a map expectation as GX's {@code _format_map_output} shapes it for the result format: counts and
   * percents (unexpected_percent over the non-missing rows), then the kept samples (earliest rows first) as values in
   * the column's type ({@code typed}), their counts and where they are (key, feed, row number).
   */
  static Map<String, Object> map(ResultFormat f, long rows, long missing, long unexpected,
      List<ComplianceAnalyzer.Sample> samples, java.util.function.Function<String, Object> typed) {
    return map(f, rows, missing, unexpected, samples, typed, true);
  }

  /**
   * {@code withMissing} false: GX's null expectations (not_be_null, be_null) know no missing rows: their percent is
   * over all rows and the missing fields are left out.
   */
  static Map<String, Object> map(ResultFormat f, long rows, long missing, long unexpected,
      List<ComplianceAnalyzer.Sample> samples, java.util.function.Function<String, Object> typed, boolean withMissing) {
    Map<String, Object> r = new LinkedHashMap<>();
    if (f.level() == ResultFormat.Level.BOOLEAN_ONLY) {
      return r;
    }
    long considered = rows - missing;
    int partial = Math.min(f.partialCount(), samples.size());
    List<Object> values = new ArrayList<>();
    List<Object> where = new ArrayList<>();
    for (ComplianceAnalyzer.Sample s : samples) {
      values.add(s.value() == null ? null : typed.apply(s.value()));
      Map<String, Object> w = new LinkedHashMap<>();
      if (s.rowKey() != null) {
        w.put("key", s.rowKey());
      }
      if (s.feedId() != null) {
        w.put("feed_id", s.feedId());
      }
      if (s.rowNumber() >= 0) {
        w.put("row_number", s.rowNumber());
      }
      where.add(w);
    }
    r.put("element_count", rows);
    r.put("unexpected_count", unexpected);
    r.put("unexpected_percent", percent(unexpected, withMissing ? considered : rows));
    if (!f.excludeUnexpectedValues()) {
      r.put("partial_unexpected_list", new ArrayList<>(values.subList(0, partial)));
    }
    if (f.indexColumns() != null) {
      r.put("unexpected_index_column_names", f.indexColumns());
    }
    if (withMissing) {
      r.put("missing_count", missing);
      r.put("missing_percent", percent(missing, rows));
      r.put("unexpected_percent_total", percent(unexpected, rows));
      r.put("unexpected_percent_nonmissing", percent(unexpected, considered));
    }
    if (f.includeUnexpectedRows()) {
      r.put("unexpected_rows", new ArrayList<>(where.subList(0, partial)));
    }
    if (!f.atLeast(ResultFormat.Level.SUMMARY)) {
      return r;
    }
    if (f.partialCount() > 0) { // GX leaves both out when partial_unexpected_count is 0
      if (!f.excludeUnexpectedValues()) {
        r.put("partial_unexpected_counts", counts(values.subList(0, partial), f.partialCount()));
      }
      r.put("partial_unexpected_index_list", new ArrayList<>(where.subList(0, partial)));
    }
    if (!f.atLeast(ResultFormat.Level.COMPLETE)) {
      return r;
    }
    if (!f.excludeUnexpectedValues()) {
      r.put("unexpected_list", values);
    }
    r.put("unexpected_index_list", where);
    if (unexpected > samples.size()) {
      r.put("unexpected_list_truncated_at", samples.size()); // bounded memory: the rest is in quality.row_failures
    }
    return r;
  }

  /** GX's partial_unexpected_counts: the most common values first, ties by value. */
  private static List<Object> counts(List<Object> values, int limit) {
    Map<Object, Long> counted = new LinkedHashMap<>();
    values.forEach(v -> counted.merge(v == null ? NULL : v, 1L, Long::sum));
    List<Map.Entry<Object, Long>> entries = new ArrayList<>(counted.entrySet());
    entries.sort((a, b) -> a.getValue().equals(b.getValue())
        ? compareValues(a.getKey(), b.getKey()) : Long.compare(b.getValue(), a.getValue()));
    List<Object> out = new ArrayList<>();
    for (Map.Entry<Object, Long> e : entries.subList(0, Math.min(limit, entries.size()))) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("value", e.getKey() == NULL ? null : e.getKey());
      m.put("count", e.getValue());
      out.add(m);
    }
    return out;
  }

  private static final Object NULL = new Object();

  private static int compareValues(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return Double.compare(x.doubleValue(), y.doubleValue());
    }
    return TextOrder.compareText(a, b);
  }

  /** Text as reports show it: at most 200 characters. */
  static String shortened(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }

  /**
   * A value of a column of {@code type} (typed: {@link ExpectationCatalog#typedKey}) as a result shows it: a floating
   * column's as the Python float pandas holds (1.0, not 1); else as {@link #shown(Object, String)}.
   */
  static Object shown(Object value, Type type, String personalKind) {
    return ExpectationCatalog.isFloating(type) && value instanceof Number n ? new PythonFloat(n.doubleValue())
        : shown(value, personalKind);
  }

  /** A typed value as a result shows it: numbers as JSON numbers, personal text masked. */
  static Object shown(Object value, String personalKind) {
    if (value instanceof java.math.BigDecimal d) {
      return d.scale() <= 0 && d.abs().compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) < 0
          ? (Object) d.longValue() : number(d.doubleValue());
    }
    if (value instanceof String s && personalKind != null) {
      return io.dataops.lakehouse.table.PreviewMask.mask(io.dataops.lakehouse.contract.PersonalData.parse(personalKind), s);
    }
    return value;
  }

  static Map<String, Object> observed(Object value) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("observed_value", value);
    return r;
  }
}
