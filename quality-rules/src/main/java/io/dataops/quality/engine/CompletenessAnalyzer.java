package io.dataops.quality.engine;

import java.util.List;

/** Rows and non-null values of a column. */
public record CompletenessAnalyzer(String column) implements Analyzer<CompletenessAnalyzer.State> {

  public static final class State implements AnalyzerState<State> {
    public long rows;
    public long nonNull;

    @Override
    public State merge(State other) {
      rows += other.rows;
      nonNull += other.nonNull;
      return this;
    }

    public double completeness() {
      return rows == 0 ? 1.0 : nonNull / (double) rows;
    }
  }

  @Override
  public String key() {
    return "Completeness(" + column + ")";
  }

  @Override
  public List<String> columns() {
    return List.of(column);
  }

  @Override
  public State newState(ScanContext context) {
    return new State();
  }

  @Override
  public void update(State state, Batch batch) {
    ColumnView c = batch.column(column);
    int n = batch.size();
    long nonNull = 0;
    for (int i = 0; i < n; i++) {
      if (!c.isNull(i)) {
        nonNull++;
      }
    }
    state.rows += n;
    state.nonNull += nonNull;
  }

  @Override
  public String persistKey() {
    return key();
  }

  @Override
  public byte[] save(State state) {
    return StateBytes.longs(state.rows, state.nonNull);
  }

  @Override
  public State restore(byte[] bytes, ScanContext context) {
    long[] v = StateBytes.read(bytes);
    State s = new State();
    s.rows = v[0];
    s.nonNull = v[1];
    return s;
  }
}
