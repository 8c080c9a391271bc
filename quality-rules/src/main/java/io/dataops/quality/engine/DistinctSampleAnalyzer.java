package io.dataops.quality.engine;

import java.util.List;
import java.util.Set;

/**
 * The distinct values of a categorical column and how often each occurs, up to a cap: enough to list them in a
 * report and compare them with a set (GX's value counts). Beyond the cap the column is not categorical and the state
 * says so.
 */
public record DistinctSampleAnalyzer(String column, int cap) implements Analyzer<DistinctSampleAnalyzer.State> {

  /** The values and their counts ({@link CappedCounts#counts}), and the values alone. */
  public static final class State extends CappedCounts<String, State> {
    public final Set<String> values = counts.keySet();

    State(int cap) {
      super(cap);
    }
  }

  @Override
  public String key() {
    return "DistinctSample(" + column + "," + cap + ")";
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
  public void update(State state, Batch batch) {
    ColumnView c = batch.column(column);
    for (int i = 0, n = batch.size(); i < n && !state.overflowed; i++) {
      if (!c.isNull(i)) {
        state.add(c.getString(i), 1);
      }
    }
  }
}
