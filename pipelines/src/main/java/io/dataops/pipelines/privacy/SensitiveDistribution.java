package io.dataops.pipelines.privacy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The whole table's distribution of the sensitive column (by {@link Closeness#key}, ascending: for ordered distance,
 * the values' order) and the earth mover's distance of a class's distribution to it, with ARX's formulas (Li et al.):
 * equal distance {@code 1/2 Σ|p_i − q_i|}; ordered distance {@code 1/(m−1) Σ_i |Σ_{j≤i} (p_j − q_j)|} over the m
 * distinct values. A class is given sparsely (the ranks of its values and their counts), and the ordered sum is taken
 * over the runs between its values with prefix sums, so a class costs its own values (times log m), not m.
 */
public final class SensitiveDistribution {
  /** More distinct sensitive values than this are refused: band the column first (its policy). */
  public static final int MAX_VALUES = 1 << 16;
  private final Closeness.Distance distance;
  private final long[] keys;
  private final double[] q;
  /** Ordered: F(i) = q_0 + … + q_i, and S(i) = F(0) + … + F(i). */
  private final double[] cdf;
  private final double[] cdfSum;

  private SensitiveDistribution(Closeness.Distance distance, long[] keys, long[] counts) {
    this.distance = distance;
    this.keys = keys;
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    q = new double[keys.length];
    cdf = new double[keys.length];
    cdfSum = new double[keys.length];
    long running = 0;
    double sum = 0;
    for (int i = 0; i < keys.length; i++) {
      q[i] = (double) counts[i] / total;
      running += counts[i];
      cdf[i] = (double) running / total;
      sum += cdf[i];
      cdfSum[i] = sum;
    }
  }

  /** Distinct sensitive values of the table. */
  public int size() {
    return keys.length;
  }

  /** The rank of a value's key, or -1 when the table has no such value. */
  public int rank(long key) {
    int i = Arrays.binarySearch(keys, key);
    return i < 0 ? -1 : i;
  }

  /**
   * The distance of a class holding {@code counts[i]} of the value ranked {@code ranks[i]} ({@code n} of them, ranks
   * ascending and distinct) to the table's distribution; 0 for a class with no sensitive value (it shows none).
   */
  public double distance(int[] ranks, long[] counts, int n) {
    long total = 0;
    for (int i = 0; i < n; i++) {
      total += counts[i];
    }
    if (total == 0 || keys.length < 2) {
      return 0;
    }
    return distance == Closeness.Distance.EQUAL ? equal(ranks, counts, n, total) : ordered(ranks, counts, n, total);
  }

  private double equal(int[] ranks, long[] counts, int n, long total) {
    double within = 0;
    double covered = 0;
    for (int i = 0; i < n; i++) {
      within += Math.abs((double) counts[i] / total - q[ranks[i]]);
      covered += q[ranks[i]];
    }
    // the values the class lacks differ by their whole share
    return Math.max(0, (within + Math.max(0, 1 - covered)) / 2);
  }

  private double ordered(int[] ranks, long[] counts, int n, long total) {
    int m = keys.length;
    double sum = 0;
    long running = 0;
    int from = 0;
    for (int i = 0; i <= n; i++) {
      int to = i < n ? ranks[i] - 1 : m - 1; // the class's cumulative share is constant on [from, to]
      sum += run((double) running / total, from, to);
      if (i < n) {
        running += counts[i];
        from = ranks[i];
      }
    }
    return sum / (m - 1);
  }

  /** Σ_{j=from..to} |g − F(j)|: F grows, so it is below g up to a split found by bisection and above it after. */
  private double run(double g, int from, int to) {
    if (to < from) {
      return 0;
    }
    int lo = from;
    int hi = to + 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cdf[mid] < g) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    int split = lo; // F(j) < g for j < split
    double below = prefix(split - 1) - prefix(from - 1);
    double above = prefix(to) - prefix(split - 1);
    return g * (split - from) - below + above - g * (to - split + 1);
  }

  private double prefix(int i) {
    return i < 0 ? 0 : cdfSum[i];
  }

  /** Counts the table's values, then gives the distribution. */
  public static final class Builder {
    private final Closeness closeness;
    private final Map<Long, long[]> counts = new HashMap<>();

    public Builder(Closeness closeness) {
      this.closeness = closeness;
    }

    /** {@code weight} more of the value keyed {@code key} ({@link Closeness#NONE}: ignored). */
    public Builder add(long key, long weight) {
      if (key == Closeness.NONE || weight == 0) {
        return this;
      }
      long[] c = counts.get(key);
      if (c == null) {
        if (counts.size() == MAX_VALUES) {
          throw new IllegalStateException("t-closeness over '" + closeness.column() + "': more than " + MAX_VALUES
              + " distinct values; band or generalize the column (its policy) first");
        }
        counts.put(key, c = new long[1]);
      }
      c[0] += weight;
      return this;
    }

    public SensitiveDistribution build() {
      long[] keys = counts.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
      long[] n = new long[keys.length];
      for (int i = 0; i < keys.length; i++) {
        n[i] = counts.get(keys[i])[0];
      }
      return new SensitiveDistribution(closeness.distance(), keys, n);
    }
  }
}
