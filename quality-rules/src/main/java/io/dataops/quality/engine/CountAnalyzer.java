package io.dataops.quality.engine;

import java.util.List;

/**
 * How many non-null values of a column meet a condition: for facts an expectation needs beside its row check (GX
 * raising on a value it cannot read). {@code name} identifies the condition for sharing.
 */
public record CountAnalyzer(String name, String column, RowPredicate counted)
    implements Analyzer<CountAnalyzer.State> {

  public static final class State implements AnalyzerState<State> {
    public long count;

    @Override
    public State merge(State other) {
      count += other.count;
      return this;
    }
  }

  @Override
  public String key() {
    return "Count(" + name + "," + column + ")";
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
  public String persistKey() {
    return key();
  }

  @Override
  public byte[] save(State s) {
    return StateBytes.longs(s.count);
  }

  @Override
  public State restore(byte[] bytes, ScanContext context) {
    State s = new State();
    s.count = StateBytes.read(bytes)[0];
    return s;
  }

  @Override
  public void update(State state, Batch batch) {
    ColumnView c = batch.column(column);
    for (int i = 0, n = batch.size(); i < n; i++) {
      if (!c.isNull(i) && counted.test(c, i)) {
        state.count++;
      }
    }
  }

  @Override
  public boolean mergesInAnyOrder() {
    return true; // counts
  }
}
