package io.dataops.quality.engine;

import java.util.List;

/**
 * How often each (A, B) value pair occurs where both are present (a crosstab), up to {@code cap} distinct pairs:
 * counts of parts add up, so the state merges. Beyond the cap the columns are not categorical and the state says so.
 */
public record PairCountsAnalyzer(String columnA, String columnB, int cap) implements Analyzer<PairCountsAnalyzer.State> {

  /** (A value, B value) to count ({@link CappedCounts#counts}). */
  public static final class State extends CappedCounts<List<String>, State> {
    State(int cap) {
      super(cap);
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
