package io.dataops.quality.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.junit.jupiter.api.Test;

/**
 * The quantile sketch gives the same bits for the same values (DataSketches' KLL, used before, did not: its
 * compactions draw on an unseeded random), answers as KLL did while exact, and stays within the bound it keeps.
 */
class QuantileSketchTest {
  private static final double[] RANKS = {0, 1e-6, 0.001, 0.01, 0.1, 0.25, 1 / 3.0, 0.5, 0.6, 0.75, 0.9, 0.99, 0.999,
      1};

  @Test
  void belowALevelItAnswersExactlyAsDataSketchesKllDid() {
    Random random = new Random(7);
    for (int n : new int[] {1, 2, 3, 10, 30, 799, 800, 2047}) {
      QuantileSketch ours = new QuantileSketch();
      KllDoublesSketch kll = KllDoublesSketch.newHeapInstance(QuantileSketch.K);
      for (int i = 0; i < n; i++) {
        double v = random.nextInt(40) - 20 + (i % 3 == 0 ? 0.5 : 0); // duplicates, negatives, fractions
        ours.update(v);
        kll.update(v);
      }
      ours.update(Double.NaN); // ignored by both
      assertThat(ours.approximate()).as("n=" + n).isFalse();
      assertThat(ours.rankErrorBound()).isZero();
      assertThat(ours.n()).isEqualTo(kll.getN());
      for (double r : RANKS) {
        assertThat(ours.quantile(r)).as("n=%d rank=%s", n, r).isEqualTo(kll.getQuantile(r));
      }
      for (int i = 0; i <= 100; i++) {
        assertThat(ours.quantile(i / 100.0)).as("n=%d rank=%d%%", n, i).isEqualTo(kll.getQuantile(i / 100.0));
      }
    }
  }

  @Test
  void theSameValuesGiveTheSameItemsAndEveryAnswerIsWithinTheBound() {
    int n = 300_000;
    Random random = new Random(11);
    double[] shuffled = new double[n];
    for (int i = 0; i < n; i++) {
      shuffled[i] = Math.floor(random.nextGaussian() * 1000) / 10; // many duplicates
    }
    List<IntToDoubleFunction> orders = List.of(i -> i, i -> n - i, i -> shuffled[i], i -> i % 1000,
        i -> (i * 7919L) % n);
    for (int o = 0; o < orders.size(); o++) {
      QuantileSketch a = new QuantileSketch();
      QuantileSketch b = new QuantileSketch();
      double[] values = new double[n];
      for (int i = 0; i < n; i++) {
        values[i] = orders.get(o).applyAsDouble(i);
        a.update(values[i]);
        b.update(values[i]);
      }
      assertThat(a.approximate()).isTrue();
      assertThat(a.items().values()).as("order %d: the same bits", o).isEqualTo(b.items().values());
      assertThat(a.items().weights()).isEqualTo(b.items().weights());
      assertThat(a.normalizedRankError()).as("order %d: the bound", o).isLessThan(0.005);
      Arrays.sort(values);
      for (double r : RANKS) {
        withinBound(a, values, r, "order " + o);
      }
      for (int i = 1; i < 1000; i++) {
        withinBound(a, values, i / 1000.0, "order " + o);
      }
      assertThat(a.min()).isEqualTo(values[0]);
      assertThat(a.max()).isEqualTo(values[n - 1]);
    }
  }

  @Test
  void mergedSketchesAddTheirBoundsAndStayWithinThem() {
    int parts = 7;
    int each = 41_000;
    double[] all = new double[parts * each];
    QuantileSketch[] sketches = new QuantileSketch[parts];
    for (int p = 0; p < parts; p++) {
      sketches[p] = new QuantileSketch();
      for (int i = 0; i < each; i++) {
        double v = ((long) (p * each + i) * 2_654_435_761L % 1_000_003) / 3.0;
        all[p * each + i] = v;
        sketches[p].update(v);
      }
    }
    QuantileSketch merged = new QuantileSketch();
    QuantileSketch again = new QuantileSketch();
    long bounds = 0;
    for (QuantileSketch s : sketches) {
      bounds += s.rankErrorBound();
      merged.merge(s);
      again.merge(s);
    }
    assertThat(merged.n()).isEqualTo(all.length);
    assertThat(merged.rankErrorBound()).as("the parts' bounds and the merge's own compactions")
        .isGreaterThanOrEqualTo(bounds);
    assertThat(merged.items().values()).isEqualTo(again.items().values());
    Arrays.sort(all);
    for (int i = 0; i <= 1000; i++) {
      withinBound(merged, all, i / 1000.0, "merged");
    }
  }

  @Test
  void aSavedStateAnswersAsItDidAndGoesOnAsItWould() {
    QuantileAnalyzer analyzer = new QuantileAnalyzer("x");
    QuantileAnalyzer.State state = analyzer.newState(null);
    QuantileAnalyzer.State twin = analyzer.newState(null);
    for (int i = 0; i < 50_000; i++) {
      state.sketch.update(i % 977 * 1.5);
      twin.sketch.update(i % 977 * 1.5);
    }
    QuantileAnalyzer.State restored = analyzer.restore(analyzer.save(state), null);
    assertThat(restored.sketch.n()).isEqualTo(state.sketch.n());
    assertThat(restored.sketch.rankErrorBound()).isEqualTo(state.sketch.rankErrorBound()).isPositive();
    for (double r : RANKS) {
      assertThat(restored.quantile(r)).isEqualTo(state.quantile(r));
    }
    assertThat(restored.median()).isEqualTo(state.median());
    for (int i = 0; i < 20_000; i++) {
      restored.sketch.update(i * 0.25);
      twin.sketch.update(i * 0.25);
    }
    assertThat(restored.sketch.items().values()).as("compacts on as the saved sketch would have")
        .isEqualTo(twin.sketch.items().values());
    assertThat(analyzer.restore(analyzer.save(analyzer.newState(null)), null).sketch.isEmpty()).isTrue();
  }

  @Test
  void aStateSavedByTheKllSketchIsRestoredWithThatSketchsError() {
    QuantileAnalyzer analyzer = new QuantileAnalyzer("x");
    // The form the analyzer saved KLL sketches in: each retained item and its weight, no header.
    for (long weightOfSome : new long[] {1, 4}) {
      ByteBuffer old = ByteBuffer.allocate(16 * 300);
      for (int i = 0; i < 300; i++) {
        old.putDouble(i).putLong(i % 2 == 0 ? weightOfSome : 1);
      }
      QuantileAnalyzer.State s = analyzer.restore(old.array(), null);
      long n = 150 * weightOfSome + 150;
      assertThat(s.sketch.n()).isEqualTo(n);
      assertThat(s.sketch.approximate()).isEqualTo(weightOfSome > 1);
      assertThat(s.rankError()).isEqualTo(weightOfSome > 1 ? Math.ceil(0.0034538 * n) / n : 0);
      assertThat(s.quantile(0)).isEqualTo(0);
      assertThat(s.quantile(1)).isEqualTo(299);
    }
  }

  /** The answer at {@code rank} lies within the sketch's bound of that rank among the sorted values. */
  private static void withinBound(QuantileSketch s, double[] sorted, double rank, String what) {
    double v = s.quantile(rank);
    long natural = (long) Math.ceil(rank * sorted.length);
    long below = lowerBound(sorted, v);
    long atOrBelow = upperBound(sorted, v);
    long bound = s.rankErrorBound();
    assertThat(below).as("%s rank %s: values below %s", what, rank, v).isLessThan(natural + bound + 1);
    assertThat(atOrBelow).as("%s rank %s: values at or below %s", what, rank, v).isGreaterThanOrEqualTo(natural
        - bound);
  }

  private static long lowerBound(double[] sorted, double v) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static long upperBound(double[] sorted, double v) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] <= v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
