package io.dataops.quality.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The distinct values of a categorical column and how often each occurs, up to a cap: enough to list them in a
 * report and compare them with a set (GX's value counts). Beyond the cap the column is not categorical and the state
 * says so.
 */
public record DistinctSampleAnalyzer(String column, int cap) implements Analyzer<DistinctSampleAnalyzer.State> {

  public static final class State implements AnalyzerState<State> {
    private final int cap;
    /** Value (as {@link ColumnView#getString}) to number of rows holding it. */
    public final Map<String, Long> counts = new LinkedHashMap<>();
    public final Set<String> values = counts.keySet();
    public boolean overflowed;

    State(int cap) {
      this.cap = cap;
    }

    void add(String v, long n) {
      if (!overflowed && counts.merge(v, n, Long::sum) == n && counts.size() > cap) {
        overflowed = true;
        counts.clear();
      }
    }

    @Override
    public State merge(State other) {
      if (other.overflowed) {
        overflowed = true;
        counts.clear();
      } else {
        other.counts.forEach(this::add);
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
        state.add(c.getString(i), 1);
      }
    }
  }
}
