package io.dataops.quality.engine;

import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.DoublesSortedViewIterator;

/**
 * Approximate quantiles of a numeric column with a KLL sketch (Apache DataSketches): bounded memory whatever the
 * data size; exact while the column has fewer values than the sketch keeps; otherwise within the sketch's stated
 * rank error (about 0.5% at k = 800, with 99% confidence).
 */
public record QuantileAnalyzer(String column) implements ColumnAnalyzer<QuantileAnalyzer.State> {
  static final int K = 800;

  public static final class State implements AnalyzerState<State> {
    public final KllDoublesSketch sketch;

    State() {
      this(KllDoublesSketch.newHeapInstance(K));
    }

    State(KllDoublesSketch sketch) {
      this.sketch = sketch;
    }

    @Override
    public State merge(State other) {
      sketch.merge(other.sketch);
      return this;
    }

    public double quantile(double rank) {
      return sketch.isEmpty() ? Double.NaN : sketch.getQuantile(rank);
    }

    /**
     * The median as Great Expectations computes it: the middle value, or the mean of the two middle values of an
     * even count ([1, 2, 3, 4] gives 2.5). Exact while the sketch holds every value; else from its weighted items.
     */
    public double median() {
      if (sketch.isEmpty()) {
        return Double.NaN;
      }
      long n = sketch.getN();
      long lower = (n - 1) / 2;
      long upper = n / 2;
      double a = Double.NaN;
      long seen = 0;
      DoublesSortedViewIterator it = sketch.getSortedView().iterator();
      while (it.next()) {
        seen += it.getWeight();
        if (Double.isNaN(a) && lower < seen) {
          a = it.getQuantile();
        }
        if (upper < seen) {
          double b = it.getQuantile();
          double mid = (a + b) / 2;
          return Double.isFinite(mid) ? mid : a / 2 + b / 2; // two values near Double.MAX_VALUE (found by a probe)
        }
      }
      return a;
    }

    public double rankError() {
      return sketch.getNormalizedRankError(false);
    }
  }

  @Override
  public String key() {
    return "Quantiles(" + column + ")";
  }

  @Override
  public State newState(ScanContext context) {
    return new State();
  }

  @Override
  public void add(State state, ColumnView c, int row) {
    state.sketch.update(c.getDouble(row));
  }

  @Override
  public String persistKey() {
    return key();
  }

  /**
   * The sketch's retained items with their weights. DataSketches' own byte form goes through datasketches-memory,
   * which on Java 17 needs the incubator module {@code jdk.incubator.foreign}; weighted items rebuild a sketch with
   * the same ranks without it.
   */
  @Override
  public byte[] save(State state) {
    if (state.sketch.isEmpty()) {
      return new byte[0];
    }
    DoublesSortedViewIterator it = state.sketch.getSortedView().iterator();
    java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(16 * state.sketch.getNumRetained());
    while (it.next()) {
      out.putDouble(it.getQuantile()).putLong(it.getWeight());
    }
    return java.util.Arrays.copyOf(out.array(), out.position());
  }

  @Override
  public State restore(byte[] bytes, ScanContext context) {
    State s = new State();
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
    while (in.remaining() >= 16) {
      s.sketch.update(in.getDouble(), in.getLong());
    }
    return s;
  }
}
