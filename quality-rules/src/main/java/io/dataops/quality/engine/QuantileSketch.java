package io.dataops.quality.engine;

import java.util.Arrays;

/**
 * Quantiles of a stream of doubles in bounded memory that give the same bits for the same values in the same order.
 * Levels of at most {@link #K} items: a full level is sorted and every other item moves up a level with twice the
 * weight, starting alternately at the first and the second item (the compaction of Manku, Rajagopalan and Lindsay).
 * DataSketches' KLL, used before, draws its compaction offsets from one unseeded random shared by every sketch, so
 * two runs over the same table could report other quantiles, and a verdict near a bound could flip.
 *
 * <p>Each compaction at level {@code h} moves the rank of any value by at most {@code 2^h}, so the sum of those
 * weights, kept as the sketch goes ({@link #rankErrorBound()}), bounds the rank error of every answer: a guarantee,
 * not a confidence. It grows as {@code n/K · log2(n/K)}: 0.40% of the rank at 1 million values, 0.61% at 10
 * million. Below {@code K} values nothing is compacted and every answer is exact. Queries answer as DataSketches'
 * sorted view does (inclusive ranks), so exact results are what they were.
 */
public final class QuantileSketch {
  /** Items a level holds before it is compacted (even). */
  public static final int K = 2048;
  private static final int FIRST_CAPACITY = 64;

  private double[][] levels = new double[1][];
  private int[] sizes = new int[1];
  /** Per level, whether its next compaction keeps the odd positions (alternating from the even ones). */
  private boolean[] oddNext = new boolean[1];
  private long n;
  private long errorBound;
  private double min = Double.NaN;
  private double max = Double.NaN;

  /** Adds a value; NaN is ignored, as in DataSketches. */
  public void update(double v) {
    if (Double.isNaN(v)) {
      return;
    }
    n++;
    if (Double.isNaN(min) || v < min) {
      min = v;
    }
    if (Double.isNaN(max) || v > max) {
      max = v;
    }
    add(0, v);
  }

  /**
   * Adds {@code other}'s items level by level (compacting as levels fill) and its error bound: the same result for the
   * same sketches merged in the same order.
   */
  public QuantileSketch merge(QuantileSketch other) {
    if (other.n == 0) {
      return this;
    }
    for (int h = 0; h < other.levels.length; h++) {
      for (int i = 0; i < other.sizes[h]; i++) {
        add(h, other.levels[h][i]);
      }
    }
    n += other.n;
    errorBound += other.errorBound;
    min = Double.isNaN(min) ? other.min : Math.min(min, other.min);
    max = Double.isNaN(max) ? other.max : Math.max(max, other.max);
    return this;
  }

  /**
   * Restores an item of weight {@code weight} (a power of two) counted as {@code weight} values: what {@link #items}
   * gave. The restored sketch has the saved one's items and counts; its bound is set with {@link #restoreBound}.
   */
  void restoreItem(double value, long weight) {
    if (weight <= 0 || Long.bitCount(weight) != 1 || Double.isNaN(value)) {
      throw new IllegalArgumentException("a sketch item of weight " + weight + " cannot be restored");
    }
    n += weight;
    min = Double.isNaN(min) ? value : Math.min(min, value);
    max = Double.isNaN(max) ? value : Math.max(max, value);
    add(Long.numberOfTrailingZeros(weight), value);
  }

  void restoreBound(long bound) {
    errorBound = bound;
  }

  /** The levels whose next compaction keeps the odd positions, as bits (level h is bit h). */
  long oddOffsets() {
    long bits = 0;
    for (int h = 0; h < oddNext.length && h < 64; h++) {
      bits |= oddNext[h] ? 1L << h : 0;
    }
    return bits;
  }

  void restoreOffsets(long bits) {
    int levelsUsed = 64 - Long.numberOfLeadingZeros(bits);
    if (levelsUsed > oddNext.length) {
      levels = Arrays.copyOf(levels, levelsUsed);
      sizes = Arrays.copyOf(sizes, levelsUsed);
      oddNext = Arrays.copyOf(oddNext, levelsUsed);
    }
    for (int h = 0; h < levelsUsed; h++) {
      oddNext[h] = (bits & 1L << h) != 0;
    }
  }

  private void add(int level, double v) {
    if (level >= levels.length) {
      int grown = level + 1;
      levels = Arrays.copyOf(levels, grown);
      sizes = Arrays.copyOf(sizes, grown);
      oddNext = Arrays.copyOf(oddNext, grown);
    }
    double[] items = levels[level];
    int size = sizes[level];
    if (items == null || size == items.length) {
      items = Arrays.copyOf(items == null ? new double[0] : items, items == null ? FIRST_CAPACITY
          : Math.min(K, items.length * 2));
      levels[level] = items;
    }
    items[size] = v;
    sizes[level] = size + 1;
    if (size + 1 == K) {
      compact(level);
    }
  }

  private void compact(int level) {
    double[] items = levels[level];
    Arrays.sort(items, 0, K);
    int first = oddNext[level] ? 1 : 0;
    oddNext[level] = !oddNext[level];
    // The level is emptied first; the items moving up may fill the levels above and compact them in turn, which
    // never writes to this level, so its array is read while they move.
    sizes[level] = 0;
    for (int i = first; i < K; i += 2) {
      add(level + 1, items[i]);
    }
    errorBound += 1L << level;
  }

  public boolean isEmpty() {
    return n == 0;
  }

  /** Values added (the sum of the items' weights). */
  public long n() {
    return n;
  }

  /** Whether any level was compacted: answers may then be off by up to {@link #rankErrorBound()} ranks. */
  public boolean approximate() {
    return errorBound > 0;
  }

  /** How many ranks any answer may be off by, at most (0 while exact). */
  public long rankErrorBound() {
    return errorBound;
  }

  /** {@link #rankErrorBound()} as a fraction of the values added. */
  public double normalizedRankError() {
    return n == 0 ? 0 : errorBound / (double) n;
  }

  public double min() {
    return min;
  }

  public double max() {
    return max;
  }

  /** The retained items in ascending order, each with its weight. */
  public Items items() {
    int total = 0;
    for (int s : sizes) {
      total += s;
    }
    double[] values = new double[total];
    long[] weights = new long[total];
    int at = 0;
    for (int h = 0; h < levels.length; h++) {
      if (sizes[h] == 0) {
        continue;
      }
      double[] level = Arrays.copyOf(levels[h], sizes[h]);
      Arrays.sort(level);
      // Merges the sorted level into what is already sorted, from the back.
      int i = at - 1;
      int j = level.length - 1;
      int out = at + level.length - 1;
      long weight = 1L << h;
      while (j >= 0) {
        if (i >= 0 && Double.compare(values[i], level[j]) > 0) {
          values[out] = values[i];
          weights[out--] = weights[i--];
        } else {
          values[out] = level[j--];
          weights[out--] = weight;
        }
      }
      at += level.length;
    }
    return new Items(values, weights);
  }

  /**
   * The value at normalized rank {@code rank} (0 to 1), as DataSketches' sorted view answers with inclusive ranks:
   * the first retained value whose cumulative weight reaches {@code ceil(rank · n)}.
   */
  public double quantile(double rank) {
    if (n == 0) {
      return Double.NaN;
    }
    if (!(rank >= 0 && rank <= 1)) {
      throw new IllegalArgumentException("a rank is from 0 to 1, not " + rank);
    }
    double natural = rank * n;
    if (n <= 10_000_000) {
      natural = Math.round(natural * 1e7) / 1e7; // DataSketches' rounding of float noise (0.1 · 30 is 3, not 3.0…04)
    }
    natural = Math.ceil(natural);
    Items items = items();
    long cumulative = 0;
    for (int i = 0; i < items.values().length; i++) {
      cumulative += items.weights()[i];
      if (cumulative >= natural) {
        return items.values()[i];
      }
    }
    return items.values()[items.values().length - 1];
  }

  /** Retained values in ascending order and their weights. */
  public record Items(double[] values, long[] weights) {}
}
