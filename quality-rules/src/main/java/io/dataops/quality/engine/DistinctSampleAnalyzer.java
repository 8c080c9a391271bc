package io.dataops.quality.engine;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The distinct values of a categorical column, up to a cap: enough to list them in a report and compare them with
 * a set. Beyond the cap the column is not categorical and the state says so.
 */
public record DistinctSampleAnalyzer(String column, int cap) implements Analyzer<DistinctSampleAnalyzer.State> {

  public static final class State implements AnalyzerState<State> {
    private final int cap;
    public final Set<String> values = new LinkedHashSet<>();
    public boolean overflowed;

    State(int cap) {
      this.cap = cap;
    }

    void add(String v) {
      if (!overflowed && values.add(v) && values.size() > cap) {
        overflowed = true;
        values.clear();
      }
    }

    @Override
    public State merge(State other) {
      if (other.overflowed) {
        overflowed = true;
        values.clear();
      } else {
        other.values.forEach(this::add);
      }
      return this;
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
        state.add(c.getString(i));
      }
    }
  }
}
