package io.dataops.quality.expect;

import io.dataops.quality.engine.ComplianceAnalyzer;
import io.dataops.quality.engine.DistinctSampleAnalyzer;
import io.dataops.quality.engine.NumericStatsAnalyzer;
import io.dataops.quality.engine.PairCountsAnalyzer;
import io.dataops.quality.result.ExpectationResult;
import io.dataops.quality.suite.Expectation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.statistics.inference.ChiSquareTest;
import org.apache.iceberg.types.Type;

/**
 * GX's categorical distribution expectations (as GX 0.18 defined them; GX 1.x has not migrated them and raises
 * NotImplementedError): the statistics come from Apache Commons Statistics, over value counts that merge across
 * threads and feeds (one pass, bounded to 10,000 categories).
 */
final class DistributionExpectations {
  private DistributionExpectations() {}

  static final int CATEGORIES = 10_000;

  static void register(Map<String, ExpectationCatalog.Factory> f) {
    f.put("expect_column_chisquare_test_p_value_to_be_greater_than", DistributionExpectations::chiSquare);
    f.put("expect_column_pair_cramers_phi_value_to_be_less_than", DistributionExpectations::cramersPhi);
    f.put("expect_column_value_z_scores_to_be_less_than", DistributionExpectations::zScores);
  }

  /**
   * Each value's z-score, (x - mean) / sample standard deviation, below {@code threshold} (its absolute value below
   * |threshold| when {@code double_sided}). Not one-pass: a row can be judged only once the mean and the standard
   * deviation of the whole column are known, so the rows are judged in a second scan of this column alone. A zero
   * deviation makes every z-score undefined (NaN), which is not below any threshold, as in pandas.
   */
  private static CompiledExpectation zScores(Args a, int index) {
    String column = a.column("column");
    if (!ExpectationCatalog.isNumeric(a.table().type(column))) {
      throw a.error("column", "Cannot complete Z-score calculations on a non-numerical column.");
    }
    double threshold = a.number("threshold", true).doubleValue();
    if (!a.has("double_sided")) {
      throw a.fail(null, "argument 'double_sided' is required");
    }
    boolean doubleSided = a.bool("double_sided", true);
    double mostly = a.mostly();
    ResultFormat format = a.resultFormat();
    java.util.function.Function<String, Object> typed = ExpectationCatalog.typer(a, List.of(column));
    NumericStatsAnalyzer stats = new NumericStatsAnalyzer(column);
    Expectation e = a.expectation();
    String rule = ExpectationCatalog.ruleKey(e);
    return new CompiledExpectation() {
      private ComplianceAnalyzer judged;

      @Override
      public Expectation config() {
        return e;
      }

      @Override
      public List<io.dataops.quality.engine.Analyzer<?>> analyzers() {
        return List.of(stats);
      }

      @Override
      public List<io.dataops.quality.engine.Analyzer<?>> secondPass(States first) {
        NumericStatsAnalyzer.State s = first.of(stats);
        double mean = s.mean;
        double sd = s.sampleStdDev();
        String reason = "its z-score is not below " + (doubleSided ? "|" + threshold + "|" : threshold);
        judged = new ComplianceAnalyzer(index, e.id(), rule, List.of(column), RowChecks.simple(column, reason, (c, r) -> {
          double z = (c.getDouble(r) - mean) / sd;
          return doubleSided ? Math.abs(z) < Math.abs(threshold) : z < threshold;
        }), format.samplesNeeded());
        return List.of(judged);
      }

      @Override
      public ExpectationResult evaluate(States states) {
        ComplianceAnalyzer.State s = states.of(judged);
        boolean ok = Results.mostlySuccess(s.considered(), s.unexpected, mostly);
        return ExpectationResult.of(e, ok, Results.map(format, s.rows, s.missing, s.unexpected, s.samples.list(),
            typed));
      }
    };
  }

  /**
   * Pearson's chi-square goodness of fit of the column's value counts against {@code partition_object}'s
   * {@code values} and {@code weights}; success when the p-value exceeds {@code p} (default 0.05). Values outside
   * the partition share {@code tail_weight_holdout} (default 0: any such value fails the test, p-value 0).
   */
  private static CompiledExpectation chiSquare(Args a, int index) {
    String column = a.column("column");
    Object spec = a.kwargs().get("partition_object");
    a.allow("partition_object");
    if (!(spec instanceof Map<?, ?> m) || !(m.get("values") instanceof List<?> values)
        || !(m.get("weights") instanceof List<?> weights) || values.size() != weights.size() || values.isEmpty()) {
      throw a.fail("partition_object", "partition_object needs 'values' and 'weights' lists of equal length (a "
          + "categorical partition; continuous 'bins' are not supported by this test)");
    }
    double p = orDefault(a, "p", 0.05);
    double holdout = orDefault(a, "tail_weight_holdout", 0.0);
    List<Object> keys = new ArrayList<>();
    double[] expected = new double[values.size() + (holdout > 0 ? 1 : 0)];
    for (int i = 0; i < values.size(); i++) {
      keys.add(ExpectationCatalog.typedKey(values.get(i)));
      if (!(weights.get(i) instanceof Number w) || w.doubleValue() < 0) {
        throw a.fail("partition_object", "weights are numbers of at least 0");
      }
      expected[i] = w.doubleValue() * (1 - holdout);
    }
    if (holdout > 0) {
      expected[values.size()] = holdout;
    }
    Type type = a.table().type(column);
    DistinctSampleAnalyzer counts = new DistinctSampleAnalyzer(column, CATEGORIES);
    Expectation e = a.expectation();
    return new ExpectationCatalog.Compiled(e, List.of(counts), states -> {
      DistinctSampleAnalyzer.State s = states.of(counts);
      if (s.overflowed) {
        return ExpectationResult.error(e, "the column has more than " + CATEGORIES + " distinct values; the chi-square "
            + "test is for categorical columns");
      }
      long[] observed = new long[expected.length];
      long outside = 0;
      long total = 0;
      for (Map.Entry<String, Long> c : s.counts.entrySet()) {
        int at = keys.indexOf(ExpectationCatalog.typedKey(ExpectationCatalog.typed(c.getKey(), type)));
        total += c.getValue();
        if (at >= 0) {
          observed[at] += c.getValue();
        } else {
          outside += c.getValue();
        }
      }
      if (holdout > 0) {
        observed[values.size()] = outside;
      }
      double pValue;
      if (total == 0) {
        return ExpectationResult.of(e, false, Results.observed(null));
      } else if (outside > 0 && holdout == 0) {
        pValue = 0; // values the partition gives no weight: impossible under it
      } else {
        pValue = ChiSquareTest.withDefaults().test(positive(expected, observed), observed).getPValue();
      }
      Map<String, Object> r = Results.observed(Results.number(pValue));
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("observed_counts", observedCounts(keys, observed, outside, holdout > 0));
      details.put("values_outside_partition", outside);
      r.put("details", details);
      r.put("element_count", total);
      return ExpectationResult.of(e, pValue > p, r);
    });
  }

  /** Categories expected with weight 0 are left out (the test needs positive expectations); observed 0 there. */
  private static double[] positive(double[] expected, long[] observed) {
    for (int i = 0; i < expected.length; i++) {
      if (expected[i] <= 0 && observed[i] == 0) {
        expected[i] = Double.MIN_NORMAL;
      }
    }
    return expected;
  }

  private static List<Object> observedCounts(List<Object> keys, long[] observed, long outside, boolean holdout) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      out.add(Map.of("value", Results.shown(keys.get(i), null), "count", observed[i]));
    }
    if (holdout) {
      out.add(Map.of("value", "(other values)", "count", outside));
    }
    return out;
  }

  /**
   * Cramér's phi (V) of two categorical columns, from the chi-square statistic of their crosstab (rows where both
   * are present), with Yates' continuity correction on a 2x2 table as scipy's chi2_contingency applies it, clamped
   * to [0, 1]; success when it is below {@code threshold} (default 0.1). GX's binning options are not supported.
   */
  private static CompiledExpectation cramersPhi(Args a, int index) {
    String ca = a.column("column_A");
    String cb = a.column("column_B");
    double threshold = orDefault(a, "threshold", 0.1);
    for (String binning : List.of("bins_A", "bins_B", "n_bins_A", "n_bins_B")) {
      if (a.kwargs().get(binning) != null) {
        throw a.fail(binning, binning + " is not supported: the columns' own values are the categories");
      }
      a.allow(binning);
    }
    PairCountsAnalyzer counts = new PairCountsAnalyzer(ca, cb, CATEGORIES);
    Expectation e = a.expectation();
    return new ExpectationCatalog.Compiled(e, List.of(counts), states -> {
      PairCountsAnalyzer.State s = states.of(counts);
      if (s.overflowed) {
        return ExpectationResult.error(e, "the columns have more than " + CATEGORIES + " value pairs; Cramér's phi is "
            + "for categorical columns");
      }
      Map<String, Integer> rows = new TreeMap<>();
      Map<String, Integer> cols = new TreeMap<>();
      s.counts.keySet().forEach(k -> {
        rows.putIfAbsent(k.get(0), 0);
        cols.putIfAbsent(k.get(1), 0);
      });
      if (rows.size() < 2 || cols.size() < 2) {
        return ExpectationResult.of(e, false, Results.observed(null));
      }
      int r = 0;
      for (Map.Entry<String, Integer> x : rows.entrySet()) {
        x.setValue(r++);
      }
      int c = 0;
      for (Map.Entry<String, Integer> x : cols.entrySet()) {
        x.setValue(c++);
      }
      long[][] table = new long[rows.size()][cols.size()];
      long n = 0;
      for (Map.Entry<List<String>, Long> x : s.counts.entrySet()) {
        table[rows.get(x.getKey().get(0))][cols.get(x.getKey().get(1))] += x.getValue();
        n += x.getValue();
      }
      double chi2 = rows.size() == 2 && cols.size() == 2 ? yates(table, n)
          : ChiSquareTest.withDefaults().statistic(table);
      double phi = Math.max(0, Math.min(1, Math.sqrt(chi2 / n / (Math.min(rows.size(), cols.size()) - 1))));
      Map<String, Object> result = Results.observed(Results.number(phi));
      result.put("details", Map.of("crosstab_rows", rows.size(), "crosstab_columns", cols.size(), "pairs", n));
      return ExpectationResult.of(e, new BigDecimal(phi).setScale(12, java.math.RoundingMode.HALF_EVEN).doubleValue()
          < threshold, result);
    });
  }

  /** The 2x2 chi-square statistic with Yates' correction: each |observed - expected| shrunk by 0.5 (not below 0). */
  private static double yates(long[][] t, long n) {
    double chi2 = 0;
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 2; j++) {
        double expected = (double) (t[i][0] + t[i][1]) * (t[0][j] + t[1][j]) / n;
        double d = Math.max(0, Math.abs(t[i][j] - expected) - 0.5);
        chi2 += expected == 0 ? 0 : d * d / expected;
      }
    }
    return chi2;
  }

  private static double orDefault(Args a, String name, double fallback) {
    BigDecimal v = a.number(name, false);
    return v == null ? fallback : v.doubleValue();
  }
}
