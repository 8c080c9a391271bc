package io.dataops.quality.engine;

import java.nio.ByteBuffer;

/**
 * Quantiles of a numeric column with a {@link QuantileSketch}: bounded memory whatever the data size, the same answer
 * for the same table every run; exact while the column has fewer values than a sketch level holds, otherwise within
 * the rank error bound the sketch keeps (0.40% at a million values). A state per data file, merged in file order
 * (the default of {@link #mergesInAnyOrder}), so the number of workers does not change the answer either.
 */
public record QuantileAnalyzer(String column) implements ColumnAnalyzer<QuantileAnalyzer.State> {
  /**
   * Marks the saved form with the bound and the compaction offsets; a state saved before (DataSketches' KLL items
   * alone) has none. A NaN: no saved item can be one.
   */
  private static final long SAVED = 0x7ff8_5153_4b02_0001L;
  /** The rank error DataSketches states for its KLL at k = 800 (99% confidence), for states saved by that sketch. */
  private static final double KLL_RANK_ERROR = 0.0034538;

  public static final class State implements AnalyzerState<State> {
    public final QuantileSketch sketch;

    State() {
      this(new QuantileSketch());
    }

    State(QuantileSketch sketch) {
      this.sketch = sketch;
    }

    @Override
    public State merge(State other) {
      sketch.merge(other.sketch);
      return this;
    }

    public double quantile(double rank) {
      return sketch.quantile(rank);
    }

    /**
     * The median as Great Expectations computes it: the middle value, or the mean of the two middle values of an
     * even count ([1, 2, 3, 4] gives 2.5). Exact while the sketch holds every value; else from its weighted items.
     */
    public double median() {
      if (sketch.isEmpty()) {
        return Double.NaN;
      }
      long n = sketch.n();
      long lower = (n - 1) / 2;
      long upper = n / 2;
      double a = Double.NaN;
      long seen = 0;
      QuantileSketch.Items items = sketch.items();
      for (int i = 0; i < items.values().length; i++) {
        seen += items.weights()[i];
        if (Double.isNaN(a) && lower < seen) {
          a = items.values()[i];
        }
        if (upper < seen) {
          double b = items.values()[i];
          double mid = (a + b) / 2;
          return Double.isFinite(mid) ? mid : a / 2 + b / 2; // two values near Double.MAX_VALUE (found by a probe)
        }
      }
      return a;
    }

    /** The most any answer's rank may be off, as a fraction of the values (0 while exact). */
    public double rankError() {
      return sketch.normalizedRankError();
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
   * The sketch's retained items with their weights, after its error bound and its levels' next compaction offsets:
   * restored, it answers as the saved one did and goes on as it would have.
   */
  @Override
  public byte[] save(State state) {
    if (state.sketch.isEmpty()) {
      return new byte[0];
    }
    QuantileSketch.Items items = state.sketch.items();
    ByteBuffer out = ByteBuffer.allocate(24 + 16 * items.values().length);
    out.putLong(SAVED).putLong(state.sketch.rankErrorBound()).putLong(state.sketch.oddOffsets());
    for (int i = 0; i < items.values().length; i++) {
      out.putDouble(items.values()[i]).putLong(items.weights()[i]);
    }
    return out.array();
  }

  @Override
  public State restore(byte[] bytes, ScanContext context) {
    State s = new State();
    ByteBuffer in = ByteBuffer.wrap(bytes);
    boolean saved = in.remaining() >= 24 && in.getLong(0) == SAVED;
    long bound = 0;
    if (saved) {
      in.getLong();
      bound = in.getLong();
      s.sketch.restoreOffsets(in.getLong());
    }
    boolean compacted = false;
    while (in.remaining() >= 16) {
      double value = in.getDouble();
      long weight = in.getLong();
      compacted |= weight > 1;
      s.sketch.restoreItem(value, weight);
    }
    // A state DataSketches' KLL saved: exact if it kept every value, else within that sketch's stated error.
    s.sketch.restoreBound(saved ? bound : compacted ? (long) Math.ceil(KLL_RANK_ERROR * s.sketch.n()) : 0);
    return s;
  }
}
