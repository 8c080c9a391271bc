package io.dataops.quality.expect;

import io.dataops.quality.engine.DistinctSampleAnalyzer;
import io.dataops.quality.engine.HistogramAnalyzer;
import io.dataops.quality.engine.NumericStatsAnalyzer;
import io.dataops.quality.engine.TextOrder;
import io.dataops.quality.engine.ValuesAnalyzer;
import io.dataops.quality.result.ExpectationResult;
import io.dataops.quality.suite.Expectation;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.apache.iceberg.types.Type;

/**
 * GX's divergence and Kolmogorov-Smirnov expectations: the KL divergence against a partition object (GX 1.2), and the
 * parameterized and bootstrapped KS tests (GX 0.18's pandas meaning; GX 1.x raises NotImplementedError for both).
 * Statistics from Apache Commons Statistics. The KL divergence is one-pass and mergeable (bin counts, or value counts
 * of a categorical column); the KS tests need the whole sample, so their state is every value, bounded by
 * {@link #SAMPLE_CAP}.
 */
final class DivergenceExpectations {
  private DivergenceExpectations() {}

  /** The most values a KS test holds (8 bytes each); a larger column fails with exception_info. */
  static final int SAMPLE_CAP = 4_000_000;

  /** The bootstraps' random draws are seeded, so a run can be repeated (GX draws from numpy's unseeded state). */
  static final long BOOTSTRAP_SEED = 20240101L;

  static void register(Map<String, ExpectationCatalog.Factory> f) {
    f.put("expect_column_kl_divergence_to_be_less_than", DivergenceExpectations::klDivergence);
    f.put("expect_column_parameterized_distribution_ks_test_p_value_to_be_greater_than",
        DivergenceExpectations::parameterizedKs);
    f.put("expect_column_bootstrapped_ks_test_p_value_to_be_greater_than", DivergenceExpectations::bootstrappedKs);
  }

  // ---- partition objects ----------------------------------------------------------------------------------------

  /** A partition object as GX's util reads it: categorical (values, weights) or continuous (bins, weights). */
  private record Partition(List<Object> values, double[] bins, double[] weights, double[] tailWeights) {
    boolean categorical() {
      return values != null;
    }
  }

  /** GX's is_valid_partition_object: equal lengths, increasing bins, weights (and tail weights) summing to 1. */
  private static Partition partition(Object spec) {
    if (!(spec instanceof Map<?, ?> m) || !(m.get("weights") instanceof List<?> w)) {
      return null;
    }
    double[] weights = numbers(w);
    if (weights == null) {
      return null;
    }
    if (m.get("bins") instanceof List<?> b) {
      double[] bins = numbers(b);
      double[] tails = null;
      double sum = Arrays.stream(weights).sum();
      if (m.containsKey("tail_weights")) {
        tails = m.get("tail_weights") instanceof List<?> t ? numbers(t) : null;
        if (tails == null || tails.length != 2) {
          return null;
        }
        sum += tails[0] + tails[1];
      }
      if (bins == null || bins.length != weights.length + 1 || !allClose(sum)) {
        return null;
      }
      for (int i = 1; i < bins.length; i++) {
        if (!(bins[i] > bins[i - 1])) {
          return null;
        }
      }
      return new Partition(null, bins, weights, tails);
    }
    if (m.get("values") instanceof List<?> v && v.size() == weights.length && allClose(Arrays.stream(weights).sum())) {
      List<Object> keys = new ArrayList<>();
      v.forEach(x -> keys.add(ExpectationCatalog.typedKey(x)));
      return new Partition(keys, null, weights, null);
    }
    return null;
  }

  /** numpy's allclose(sum, 1): within 1e-8 + 1e-5. */
  private static boolean allClose(double sum) {
    return Math.abs(sum - 1) <= 1e-8 + 1e-5;
  }

  private static double[] numbers(List<?> list) {
    double[] out = new double[list.size()];
    for (int i = 0; i < out.length; i++) {
      Object o = list.get(i);
      if (o instanceof Number n) {
        out[i] = n.doubleValue();
      } else if (o instanceof String s && s.matches("[-+]?(inf|Infinity|\\.inf)")) {
        out[i] = s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      } else {
        return null;
      }
    }
    return out;
  }

  private static List<Object> list(double[] xs) {
    List<Object> out = new ArrayList<>();
    for (double x : xs) {
      out.add(Results.number(x));
    }
    return out;
  }

  /** scipy.stats.entropy(pk, qk): both normalized, sum of pk log(pk / qk); infinite where qk is 0 and pk is not. */
  static double entropy(double[] pk, double[] qk) {
    double sp = Arrays.stream(pk).sum();
    double sq = Arrays.stream(qk).sum();
    double s = 0;
    for (int i = 0; i < pk.length; i++) {
      double p = pk[i] / sp;
      double q = qk[i] / sq;
      if (Double.isNaN(p) || Double.isNaN(q)) {
        return Double.NaN;
      }
      if (p > 0 && q > 0) {
        s += p * Math.log(p / q);
      } else if (p > 0 || q < 0) {
        return Double.POSITIVE_INFINITY;
      }
    }
    return s;
  }

  /**
   * A number of draws: GX's range() and numpy's size take only an int, so a float is its TypeError (it was cut,
   * 2.5 to 2), and one past an int cannot be drawn here (it was cut to 2147483647).
   */
  private static int count(Args a, String name, int fallback) {
    BigDecimal v = a.number(name, false);
    if (v == null) {
      return fallback;
    }
    BigInteger whole = Args.whole(a.kwargs().get(name));
    if (whole == null) {
      throw a.error(name, "'float' object cannot be interpreted as an integer");
    }
    if (whole.bitLength() > 31) {
      throw a.fail(name, name + " is at most " + Integer.MAX_VALUE + ", not " + whole);
    }
    return whole.intValue();
  }

  private static double orDefault(Args a, String name, double fallback) {
    BigDecimal v = a.number(name, false);
    return v == null ? fallback : v.doubleValue();
  }

  // ---- KL divergence --------------------------------------------------------------------------------------------

  /**
   * KL divergence (scipy's entropy) of the column's distribution from {@code partition_object}'s, binned by its
   * {@code bins} (numpy's histogram, values outside the bins in the tails) or counted by its {@code values};
   * {@code tail_weight_holdout} and {@code internal_weight_holdout} weaken it as GX does; success when it is at most
   * {@code threshold} (always with a null threshold). Infinite or undefined divergences are observed as null. With a
   * null partition object the column is compared with itself (GX's profiling mode): the divergence is 0.
   */
  private static CompiledExpectation klDivergence(Args a, int index) {
    String column = a.column("column");
    Object spec = a.kwargs().get("partition_object");
    a.allow("partition_object", "min_value", "max_value");
    BigDecimal thresholdArg = a.number("threshold", false);
    Double threshold = thresholdArg == null ? null : thresholdArg.doubleValue();
    double tail = orDefault(a, "tail_weight_holdout", 0);
    double internal = orDefault(a, "internal_weight_holdout", 0);
    boolean bucketize = a.bool("bucketize_data", true);
    Type type = a.table().type(column);
    Expectation e = a.expectation();
    if (threshold != null && threshold < 0) {
      throw a.error("threshold", "Threshold must be specified, greater than or equal to zero.");
    }
    if (tail < 0 || tail > 1) {
      throw a.error("tail_weight_holdout", "tail_weight_holdout must be between zero and one.");
    }
    if (internal < 0 || internal > 1) {
      throw a.error("internal_weight_holdout", "internal_weight_holdout must be between zero and one.");
    }
    if (spec == null) {
      return selfDivergence(a, column, bucketize, internal, threshold);
    }
    Partition p = partition(spec);
    if (p == null) {
      throw a.error("partition_object", "Invalid partition object.");
    }
    if (tail != 0 && p.tailWeights() != null) {
      throw a.error("tail_weight_holdout", "tail_weight_holdout must be 0 when using tail_weights in partition object");
    }
    if (p.categorical()) {
      if (internal > 0) {
        throw a.error("internal_weight_holdout", "Internal weight holdout cannot be used for discrete data.");
      }
      DistinctSampleAnalyzer counts = new DistinctSampleAnalyzer(column, DistributionExpectations.CATEGORIES);
      String personal = a.table().personal() == null ? null : a.table().personal().get(column);
      return new ExpectationCatalog.Compiled(e, List.of(counts), states -> {
        DistinctSampleAnalyzer.State s = states.of(counts);
        if (s.overflowed) {
          return ExpectationResult.error(e, "the column has more than " + DistributionExpectations.CATEGORIES
              + " distinct values; a categorical partition is for categorical columns");
        }
        return categoricalKl(e, type, personal, p, tail, threshold, s.counts);
      });
    }
    if (!bucketize) {
      throw a.error("bucketize_data", "KL Divergence cannot be computed with a continuous partition object and the "
          + "bucketize_data parameter set to false.");
    }
    if (!ExpectationCatalog.isNumeric(type)) {
      throw a.error("column", "the values of '" + column + "' (" + type + ") cannot be binned by a continuous "
          + "partition");
    }
    boolean lowInf = p.bins()[0] == Double.NEGATIVE_INFINITY;
    boolean highInf = p.bins()[p.bins().length - 1] == Double.POSITIVE_INFINITY;
    if (lowInf && highInf && tail > 0) {
      throw a.error("tail_weight_holdout", "tail_weight_holdout cannot be used for partitions with infinite "
          + "endpoints.");
    }
    if ((lowInf || highInf) && p.tailWeights() != null) {
      throw a.error("partition_object", "There can be no tail weights for partitions with one or both endpoints at "
          + "infinity");
    }
    HistogramAnalyzer hist = new HistogramAnalyzer(column, p.bins());
    return new ExpectationCatalog.Compiled(e, List.of(hist), states -> {
      HistogramAnalyzer.State s = states.of(hist);
      return continuousKl(e, p, s, tail, internal, lowInf, highInf, threshold);
    });
  }

  private static ExpectationResult continuousKl(Expectation e, Partition p, HistogramAnalyzer.State s, double tail,
      double internal, boolean lowInf, boolean highInf, Double threshold) {
    double n = s.nonNull;
    int k = s.bins.length;
    double[] observed = new double[k];
    for (int i = 0; i < k; i++) {
      observed[i] = s.bins[i] / n;
    }
    double[] expected = new double[k];
    int zeros = 0;
    for (int i = 0; i < k; i++) {
      expected[i] = p.weights()[i] * (1 - tail - internal);
      zeros += expected[i] == 0 ? 1 : 0;
    }
    if (internal > 0 && zeros > 0) {
      for (int i = 0; i < k; i++) {
        expected[i] = expected[i] == 0 ? internal / zeros : expected[i];
      }
    }
    double below = s.below / n;
    double above = s.above / n;
    double[] bins;
    double[] combExpected;
    double[] combObserved;
    double[] expectedTails;
    double[] observedTails;
    double[] expectedShown = expected;
    double[] observedShown = observed;
    if (lowInf && highInf) {
      bins = Arrays.copyOfRange(p.bins(), 1, k);
      combExpected = expected;
      combObserved = observed;
      expectedTails = new double[] {expected[0], expected[k - 1]};
      observedTails = new double[] {observed[0], observed[k - 1]};
      expectedShown = Arrays.copyOfRange(expected, 1, k - 1);
      observedShown = Arrays.copyOfRange(observed, 1, k - 1);
    } else if (lowInf) {
      bins = Arrays.copyOfRange(p.bins(), 1, k + 1);
      combExpected = append(expected, tail);
      combObserved = append(observed, above);
      expectedTails = new double[] {expected[0], tail};
      observedTails = new double[] {observed[0], above};
      expectedShown = Arrays.copyOfRange(expected, 1, k);
      observedShown = Arrays.copyOfRange(observed, 1, k);
    } else if (highInf) {
      bins = Arrays.copyOfRange(p.bins(), 0, k);
      combExpected = prepend(tail, expected);
      combObserved = prepend(below, observed);
      expectedTails = new double[] {tail, expected[k - 1]};
      observedTails = new double[] {below, observed[k - 1]};
      expectedShown = Arrays.copyOfRange(expected, 0, k - 1);
      observedShown = Arrays.copyOfRange(observed, 0, k - 1);
    } else {
      bins = p.bins();
      double[] t = p.tailWeights() != null ? p.tailWeights() : new double[] {tail / 2, tail / 2};
      combExpected = append(prepend(t[0], expected), t[1]);
      expectedTails = t;
      combObserved = append(prepend(below, observed), above);
      observedTails = new double[] {below, above};
    }
    double kl = entropy(combObserved, combExpected);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("observed_partition", Map.of("bins", list(bins), "weights", list(observedShown),
        "tail_weights", list(observedTails)));
    details.put("expected_partition", Map.of("bins", list(bins), "weights", list(expectedShown),
        "tail_weights", list(expectedTails)));
    return klResult(e, kl, threshold, details);
  }

  /**
   * The categorical branch: observed weights by value (0 where a partition value is absent); values outside the
   * partition share {@code tail_weight_holdout} equally, the partition's weights shrunk to make room.
   */
  private static ExpectationResult categoricalKl(Expectation e, Type type, String personal, Partition p, double tail,
      Double threshold, Map<String, Long> counts) {
    Map<Object, Long> byValue = new LinkedHashMap<>();
    long n = 0;
    for (Map.Entry<String, Long> c : counts.entrySet()) {
      byValue.merge(ExpectationCatalog.typedKey(ExpectationCatalog.typed(c.getKey(), type)), c.getValue(), Long::sum);
      n += c.getValue();
    }
    List<Object> values = new ArrayList<>(p.values());
    List<Object> others = new ArrayList<>();
    byValue.keySet().stream().filter(v -> !p.values().contains(v)).forEach(others::add);
    others.sort(DivergenceExpectations::compareValues);
    values.addAll(others);
    double[] pk = new double[values.size()];
    double[] qk = new double[values.size()];
    for (int i = 0; i < values.size(); i++) {
      Long c = byValue.get(values.get(i));
      pk[i] = c == null ? 0 : c / (double) n;
      qk[i] = i < p.values().size()
          ? p.weights()[i] * (others.isEmpty() ? 1 : 1 - tail)
          : tail / others.size();
    }
    List<Object> shown = values.stream().map(v -> Results.shown(v, personal)).toList();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("observed_partition", Map.of("values", shown, "weights", list(pk)));
    details.put("expected_partition", Map.of("values", shown, "weights", list(qk)));
    return klResult(e, entropy(pk, qk), threshold, details);
  }

  /** Numbers by value, before text; text by its characters (pandas' value_counts sorted by value). */
  private static int compareValues(Object x, Object y) {
    if (x instanceof Number a && y instanceof Number b) {
      return Double.compare(a.doubleValue(), b.doubleValue());
    }
    if (x instanceof Number || y instanceof Number) {
      return x instanceof Number ? -1 : 1;
    }
    return TextOrder.compareText(x, y);
  }

  private static ExpectationResult klResult(Expectation e, double kl, Double threshold, Map<String, Object> details) {
    boolean finite = !Double.isNaN(kl) && !Double.isInfinite(kl);
    Map<String, Object> r = Results.observed(finite ? Results.floating(kl) : null); // scipy's entropy: a float
    r.put("details", details);
    return ExpectationResult.of(e, threshold == null || kl <= threshold, r);
  }

  /**
   * GX's profiling mode, a null partition object: the partition is made from the column itself (its value counts, or
   * numpy's automatic bins), so the divergence is 0. The automatic bins are not reported (a second scan would be needed
   * only to describe them). No non-null values make no valid partition.
   */
  private static CompiledExpectation selfDivergence(Args a, String column, boolean bucketize, double internal,
      Double threshold) {
    Expectation e = a.expectation();
    Type type = a.table().type(column);
    if (bucketize) {
      if (!ExpectationCatalog.isNumeric(type)) {
        throw a.error("column", "the values of '" + column + "' (" + type + ") cannot be binned");
      }
      NumericStatsAnalyzer stats = new NumericStatsAnalyzer(column);
      return new ExpectationCatalog.Compiled(e, List.of(stats), states -> {
        if (states.of(stats).count == 0) {
          return ExpectationResult.error(e, "Invalid partition object.");
        }
        return klResult(e, 0, threshold, Map.of("expected_partition", "the column's own, in numpy's automatic bins"));
      });
    }
    if (internal > 0) {
      throw a.error("internal_weight_holdout", "Internal weight holdout cannot be used for discrete data.");
    }
    DistinctSampleAnalyzer counts = new DistinctSampleAnalyzer(column, DistributionExpectations.CATEGORIES);
    String personal = a.table().personal() == null ? null : a.table().personal().get(column);
    return new ExpectationCatalog.Compiled(e, List.of(counts), states -> {
      DistinctSampleAnalyzer.State s = states.of(counts);
      if (s.overflowed) {
        return ExpectationResult.error(e, "the column has more than " + DistributionExpectations.CATEGORIES
            + " distinct values; a categorical partition is for categorical columns");
      }
      long n = s.counts.values().stream().mapToLong(Long::longValue).sum();
      if (n == 0) {
        return ExpectationResult.error(e, "Invalid partition object.");
      }
      List<Object> values = new ArrayList<>();
      List<Object> weights = new ArrayList<>();
      Map<Object, Long> byValue = new java.util.TreeMap<>(DivergenceExpectations::compareValues);
      s.counts.forEach((v, c) -> byValue.merge(ExpectationCatalog.typedKey(ExpectationCatalog.typed(v, type)), c,
          Long::sum));
      byValue.forEach((v, c) -> {
        values.add(Results.shown(v, personal));
        weights.add(Results.number(c / (double) n));
      });
      Map<String, Object> partition = Map.of("values", values, "weights", weights);
      return klResult(e, 0, threshold, Map.of("observed_partition", partition, "expected_partition", partition));
    });
  }

  private static double[] append(double[] xs, double x) {
    double[] out = Arrays.copyOf(xs, xs.length + 1);
    out[xs.length] = x;
    return out;
  }

  private static double[] prepend(double x, double[] xs) {
    double[] out = new double[xs.length + 1];
    out[0] = x;
    System.arraycopy(xs, 0, out, 1, xs.length);
    return out;
  }

  // ---- Kolmogorov-Smirnov ---------------------------------------------------------------------------------------

  private static String numericColumn(Args a) {
    String column = a.column("column");
    if (!ExpectationCatalog.isNumeric(a.table().type(column))) {
      throw a.error("column", "the Kolmogorov-Smirnov test needs numbers; '" + column + "' is "
          + a.table().type(column));
    }
    return column;
  }

  private static ExpectationResult tooMany(Expectation e) {
    return ExpectationResult.error(e, "the column has more than " + SAMPLE_CAP + " values; the Kolmogorov-Smirnov "
        + "test holds every value in memory");
  }

  /**
   * scipy's kstest of the column's non-null values against {@code distribution} with {@code params} (a dict of
   * GX's names or scipy's positional list), two-sided; success when the p-value is at least {@code p_value}.
   */
  private static CompiledExpectation parameterizedKs(Args a, int index) {
    String column = numericColumn(a);
    String distribution = a.string("distribution", true);
    double pValue = orDefault(a, "p_value", 0.05);
    if (pValue <= 0 || pValue >= 1) {
      throw a.error("p_value", "p_value must be between 0 and 1 exclusive");
    }
    Object params = a.kwargs().get("params");
    a.allow("params");
    double[] args = KsDistributions.positional(a, distribution, params);
    DoubleUnaryOperator cdf = KsDistributions.cdf(distribution, args);
    ValuesAnalyzer values = new ValuesAnalyzer(column, SAMPLE_CAP);
    Expectation e = a.expectation();
    return new ExpectationCatalog.Compiled(e, List.of(values), states -> {
      ValuesAnalyzer.State s = states.of(values);
      if (s.overflowed) {
        return tooMany(e);
      }
      double[] x = s.values();
      if (x.length == 0) {
        return ExpectationResult.error(e, "zero-size array to reduction operation maximum which has no identity");
      }
      KolmogorovSmirnovTest.OneResult ks = KolmogorovSmirnovTest.withDefaults().test(x, cdf);
      Map<String, Object> r = Results.observed(Results.number(ks.getPValue()));
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("expected_params", list(args));
      details.put("observed_ks_result", List.of(Results.number(ks.getStatistic()), Results.number(ks.getPValue())));
      r.put("details", details);
      return ExpectationResult.of(e, ks.getPValue() >= pValue, r);
    });
  }

  /**
   * GX 0.18's bootstrapped KS test: {@code bootstrap_samples} (1000) samples of {@code bootstrap_sample_size} (twice
   * the partition's bins) values drawn with replacement from the column, each tested against the partition's
   * piecewise-linear CDF (numpy's interp); the observed value is (1 + samples with p-value at least {@code p}) /
   * (samples + 1), success when above {@code p}. The draws are seeded ({@link #BOOTSTRAP_SEED}), GX's are not.
   */
  private static CompiledExpectation bootstrappedKs(Args a, int index) {
    String column = numericColumn(a);
    Partition p = partition(a.kwargs().get("partition_object"));
    a.allow("partition_object");
    if (p == null || p.categorical()) {
      throw a.error("partition_object", "Invalid continuous partition object.");
    }
    double[] bins = p.bins();
    if (Double.isInfinite(bins[0]) || Double.isInfinite(bins[bins.length - 1])) {
      throw a.error("partition_object", "Partition endpoints must be finite.");
    }
    if (p.tailWeights() != null && p.tailWeights()[0] + p.tailWeights()[1] > 0) {
      throw a.error("partition_object", "Partition cannot have tail weights -- endpoints must be finite.");
    }
    double pThreshold = orDefault(a, "p", 0.05);
    int samples = count(a, "bootstrap_samples", 1000);
    int size = count(a, "bootstrap_sample_size", p.weights().length * 2);
    if (samples < 1 || size < 1) {
      throw a.error("bootstrap_samples", "bootstrap_samples and bootstrap_sample_size must be positive");
    }
    double[] cdfValues = new double[bins.length];
    for (int i = 0; i < p.weights().length; i++) {
      cdfValues[i + 1] = cdfValues[i] + p.weights()[i];
    }
    DoubleUnaryOperator cdf = x -> interp(x, bins, cdfValues);
    ValuesAnalyzer values = new ValuesAnalyzer(column, SAMPLE_CAP);
    Expectation e = a.expectation();
    return new ExpectationCatalog.Compiled(e, List.of(values), states -> {
      ValuesAnalyzer.State s = states.of(values);
      if (s.overflowed) {
        return tooMany(e);
      }
      double[] x = s.values();
      if (x.length == 0) {
        return ExpectationResult.error(e, "a cannot be empty unless no samples are taken");
      }
      SplittableRandom random = new SplittableRandom(BOOTSTRAP_SEED);
      KolmogorovSmirnovTest test = KolmogorovSmirnovTest.withDefaults();
      int passed = 0;
      double[] sample = new double[size];
      for (int b = 0; b < samples; b++) {
        for (int i = 0; i < size; i++) {
          sample[i] = x[random.nextInt(x.length)];
        }
        passed += test.test(sample, cdf).getPValue() >= pThreshold ? 1 : 0;
      }
      double result = (1.0 + passed) / (samples + 1);
      Map<String, Object> r = Results.observed(Results.floating(result)); // a float: 1.0, not 1
      r.put("details", bootstrapDetails(x, p, cdfValues, samples, size));
      return ExpectationResult.of(e, result > pThreshold, r);
    });
  }

  /** numpy's interp: linear between the points, the end values beyond them. */
  static double interp(double x, double[] xp, double[] fp) {
    if (x <= xp[0]) {
      return fp[0];
    }
    int last = xp.length - 1;
    if (x >= xp[last]) {
      return fp[last];
    }
    int at = Arrays.binarySearch(xp, x);
    if (at >= 0) {
      return fp[at];
    }
    int i = -at - 2;
    return fp[i] + (fp[i + 1] - fp[i]) * (x - xp[i]) / (xp[i + 1] - xp[i]);
  }

  /** The observed partition GX reports: numpy's histogram over the bins, widened to the data's min and max. */
  private static Map<String, Object> bootstrapDetails(double[] x, Partition p, double[] cdfValues, int samples,
      int size) {
    double[] bins = p.bins();
    int last = bins.length - 1;
    long[] hist = new long[last];
    long below = 0;
    long above = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      if (v < bins[0]) {
        below++;
      } else if (v > bins[last]) {
        above++;
      } else if (v == bins[last]) {
        hist[last - 1]++;
      } else {
        int at = Arrays.binarySearch(bins, v);
        hist[at >= 0 ? at : -at - 2]++;
      }
    }
    List<Object> observedBins = new ArrayList<>();
    List<Double> counts = new ArrayList<>();
    if (below > 0) {
      observedBins.add(Results.number(min));
      counts.add((double) below);
    }
    observedBins.addAll(list(bins));
    for (long h : hist) {
      counts.add((double) h);
    }
    if (above > 0) {
      observedBins.add(Results.number(max));
      counts.add((double) above);
    }
    List<Object> weights = new ArrayList<>();
    List<Object> cdf = new ArrayList<>(List.of(0));
    double cumulative = 0;
    for (double c : counts) {
      weights.add(Results.number(c / x.length));
      cumulative += c / x.length;
      cdf.add(Results.number(cumulative));
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("bootstrap_samples", samples);
    details.put("bootstrap_sample_size", size);
    details.put("observed_partition", Map.of("bins", observedBins, "weights", weights));
    details.put("expected_partition", Map.of("bins", list(bins), "weights", list(p.weights())));
    details.put("observed_cdf", Map.of("x", observedBins, "cdf_values", cdf));
    details.put("expected_cdf", Map.of("x", list(bins), "cdf_values", list(cdfValues)));
    return details;
  }
}
