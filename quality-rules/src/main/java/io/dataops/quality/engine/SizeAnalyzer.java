package io.dataops.quality.engine;

import java.util.List;

/** Number of rows. */
public final class SizeAnalyzer implements Analyzer<SizeAnalyzer.State> {
  public static final SizeAnalyzer INSTANCE = new SizeAnalyzer();

  public static final class State implements AnalyzerState<State> {
    public long rows;

    @Override
    public State merge(State other) {
      rows += other.rows;
      return this;
    }
  }

  @Override
  public String key() {
    return "Size";
  }

  @Override
  public List<String> columns() {
    return List.of();
  }

  @Override
  public State newState(ScanContext context) {
    return new State();
  }

  @Override
  public void update(State state, Batch batch) {
    state.rows += batch.size();
  }

  @Override
  public String persistKey() {
    return key();
  }

  @Override
  public byte[] save(State state) {
    return StateBytes.longs(state.rows);
  }

  @Override
  public State restore(byte[] bytes, ScanContext context) {
    State s = new State();
    s.rows = StateBytes.read(bytes)[0];
    return s;
  }

  @Override
  public boolean mergesInAnyOrder() {
    return true; // a row count
  }
}
