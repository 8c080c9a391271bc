package io.dataops.quality.engine;

/** Rows and non-null values of a column. */
public record CompletenessAnalyzer(String column) implements ColumnAnalyzer<CompletenessAnalyzer.State> {

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
  public java.util.List<String> nullsOnlyColumns() {
    return columns();
  }

  @Override
  public State newState(ScanContext context) {
    return new State();
  }

  @Override
  public void add(State state, ColumnView c, int row) {}

  @Override
  public void counted(State state, int rows, long nonNull) {
    state.rows += rows;
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

  @Override
  public boolean mergesInAnyOrder() {
    return true; // counts
  }
}
