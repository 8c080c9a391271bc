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
}
