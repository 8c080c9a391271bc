package io.dataops.quality.engine;

import java.util.Arrays;

/**
 * Counts of a numeric column's non-null values per bin of fixed, increasing edges (numpy's histogram: each bin
 * half-open [a, b), the last closed [a, b]), with the values below the first edge and above the last. Counts add up,
 * so the state merges across threads and feeds.
 */
public record HistogramAnalyzer(String column, double[] edges) implements ColumnAnalyzer<HistogramAnalyzer.State> {

  public static final class State implements AnalyzerState<State> {
    public final long[] bins;
    public long below;
    public long above;
    public long nonNull;

    State(int bins) {
      this.bins = new long[bins];
    }

    @Override
    public State merge(State o) {
      for (int i = 0; i < bins.length; i++) {
        bins[i] += o.bins[i];
      }
      below += o.below;
      above += o.above;
      nonNull += o.nonNull;
      return this;
    }
  }

  @Override
  public String key() {
    return "Histogram(" + column + "," + Arrays.toString(edges) + ")";
  }

  @Override
  public State newState(ScanContext context) {
    return new State(edges.length - 1);
  }

  @Override
  public void add(State s, ColumnView c, int row) {
    double x = c.getDouble(row);
    int last = edges.length - 1;
    if (x < edges[0]) {
      s.below++;
    } else if (x > edges[last]) {
      s.above++;
    } else if (x == edges[last]) {
      s.bins[last - 1]++;
    } else {
      int at = Arrays.binarySearch(edges, x);
      s.bins[at >= 0 ? at : -at - 2]++;
    }
  }

  @Override
  public void counted(State s, int rows, long nonNull) {
    s.nonNull += nonNull;
  }

  @Override
  public String persistKey() {
    return key();
  }

  @Override
  public byte[] save(State s) {
    long[] v = Arrays.copyOf(s.bins, s.bins.length + 3);
    v[s.bins.length] = s.below;
    v[s.bins.length + 1] = s.above;
    v[s.bins.length + 2] = s.nonNull;
    return StateBytes.longs(v);
  }

  @Override
  public State restore(byte[] bytes, ScanContext context) {
    long[] v = StateBytes.read(bytes);
    State s = new State(edges.length - 1);
    System.arraycopy(v, 0, s.bins, 0, s.bins.length);
    s.below = v[s.bins.length];
    s.above = v[s.bins.length + 1];
    s.nonNull = v[s.bins.length + 2];
    return s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HistogramAnalyzer h && h.column.equals(column) && Arrays.equals(h.edges, edges);
  }

  @Override
  public int hashCode() {
    return column.hashCode() * 31 + Arrays.hashCode(edges);
  }

  @Override
  public boolean mergesInAnyOrder() {
    return true; // counts per bin
  }
}
