package io.dataops.quality.engine;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How often each (A, B) value pair occurs where both are present (a crosstab), up to {@code cap} distinct pairs:
 * counts of parts add up, so the state merges. Beyond the cap the columns are not categorical and the state says so.
 */
public record PairCountsAnalyzer(String columnA, String columnB, int cap) implements Analyzer<PairCountsAnalyzer.State> {

  public static final class State implements AnalyzerState<State> {
    private final int cap;
    /** (A value, B value) as read ({@link ColumnView#getString}) to count. */
    public final Map<List<String>, Long> counts = new HashMap<>();
    public boolean overflowed;

    State(int cap) {
      this.cap = cap;
    }

    void add(List<String> pair, long n) {
      if (!overflowed && counts.merge(pair, n, Long::sum) == n && counts.size() > cap) {
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
    return "PairCounts(" + columnA + "," + columnB + "," + cap + ")";
  }

  @Override
  public List<String> columns() {
    return List.of(columnA, columnB);
  }

  @Override
  public State newState(ScanContext context) {
    return new State(cap);
  }

  @Override
  public void update(State state, Batch batch) {
    ColumnView a = batch.column(columnA);
    ColumnView b = batch.column(columnB);
    for (int i = 0, n = batch.size(); i < n && !state.overflowed; i++) {
      if (!a.isNull(i) && !b.isNull(i)) {
        state.add(List.of(a.getString(i), b.getString(i)), 1);
      }
    }
  }
}
