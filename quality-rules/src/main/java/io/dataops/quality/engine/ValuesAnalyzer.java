package io.dataops.quality.engine;

import java.util.Arrays;
import java.util.List;

/**
 * Every non-null value of a numeric column, for tests that need the whole sample (Kolmogorov-Smirnov, bootstraps),
 * up to a cap: beyond it the state says so and keeps nothing, so memory stays bounded. States merge by concatenation
 * (exact, but not compact: nothing is kept between runs).
 */
public record ValuesAnalyzer(String column, int cap) implements Analyzer<ValuesAnalyzer.State> {

  public static final class State implements AnalyzerState<State> {
    private final int cap;
    private double[] values = new double[1024];
    private int size;
    public boolean overflowed;

    State(int cap) {
      this.cap = cap;
    }

    void add(double x) {
      if (overflowed) {
        return;
      }
      if (size == cap) {
        overflowed = true;
        values = new double[0];
        size = 0;
        return;
      }
      if (size == values.length) {
        values = Arrays.copyOf(values, (int) Math.min(cap, values.length * 2L));
      }
      values[size++] = x;
    }

    /** The values, in no particular order. */
    public double[] values() {
      return Arrays.copyOf(values, size);
    }

    @Override
    public State merge(State o) {
      if (o.overflowed || (long) size + o.size > cap) {
        overflowed = true;
        values = new double[0];
        size = 0;
      } else if (!overflowed) {
        if (values.length < size + o.size) {
          values = Arrays.copyOf(values, size + o.size);
        }
        System.arraycopy(o.values, 0, values, size, o.size);
        size += o.size;
      }
      return this;
    }
  }

  @Override
  public String key() {
    return "Values(" + column + "," + cap + ")";
  }

  @Override
  public List<String> columns() {
    return List.of(column);
  }

  @Override
  public State newState(ScanContext context) {
    return new State(cap);
  }

  @Override
  public void update(State s, Batch batch) {
    ColumnView c = batch.column(column);
    for (int i = 0, n = batch.size(); i < n && !s.overflowed; i++) {
      if (!c.isNull(i)) {
        s.add(c.getDouble(i));
      }
    }
  }
}
