package io.dataops.quality.expect;

import io.dataops.quality.engine.ComplianceAnalyzer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

  static Double percent(long part, long whole) {
    return whole == 0 ? null : 100.0 * part / whole;
  }

  /** Great Expectations' "mostly": the share of considered rows that passed must reach it. */
  static boolean mostlySuccess(long considered, long unexpected, double mostly) {
    if (considered == 0) {
      return true;
    }
    double ok = (considered - unexpected) / (double) considered;
    return ok >= mostly - 1e-12;
  }

  /** The result of a map expectation (element_count, missing_count, unexpected_count, the percents, samples). */
  static Map<String, Object> map(long rows, long missing, long unexpected, List<ComplianceAnalyzer.Sample> samples) {
    long considered = rows - missing;
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("element_count", rows);
    r.put("missing_count", missing);
    r.put("missing_percent", percent(missing, rows));
    r.put("unexpected_count", unexpected);
    r.put("unexpected_percent", percent(unexpected, considered));
    r.put("unexpected_percent_total", percent(unexpected, rows));
    r.put("unexpected_percent_nonmissing", percent(unexpected, considered));
    List<Object> values = new ArrayList<>();
    List<Object> where = new ArrayList<>();
    for (ComplianceAnalyzer.Sample s : samples) {
      values.add(s.value());
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
    r.put("partial_unexpected_list", values);
    r.put("partial_unexpected_index_list", where);
    return r;
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
