package io.dataops.quality.engine;

/**
 * The least and greatest of a text column's non-null values, in Python's order ({@link TextOrder}: by code point), as
 * GX's minimum and maximum of a text column give them.
 */
public record TextExtremesAnalyzer(String column) implements ColumnAnalyzer<TextExtremesAnalyzer.State> {

  public static final class State implements AnalyzerState<State> {
    /** Null while no value is seen. */
    public String min;
    public String max;

    void add(String v) {
      if (min == null || TextOrder.compare(v, min) < 0) {
        min = v;
      }
      if (max == null || TextOrder.compare(v, max) > 0) {
        max = v;
      }
    }

    @Override
    public State merge(State o) {
      if (o.min != null) {
        add(o.min);
        add(o.max);
      }
      return this;
    }
  }

  @Override
  public String key() {
    return "TextExtremes(" + column + ")";
  }

  @Override
  public State newState(ScanContext context) {
    return new State();
  }

  @Override
  public boolean mergesInAnyOrder() {
    return true;
  }

  @Override
  public void add(State state, ColumnView c, int row) {
    state.add(c.getString(row));
  }
}
