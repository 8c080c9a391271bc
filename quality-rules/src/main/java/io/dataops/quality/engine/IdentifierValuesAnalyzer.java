package io.dataops.quality.engine;

import io.dataops.lakehouse.identifiers.IdentifierPatterns;

/**
 * How many of a column's values hold a resident ID, mobile or bank card number, also as people write them
 * ({@link IdentifierPatterns#inText}): the values a report masks in a column its contract does not call personal, so
 * rules of a caller who sees them masked may not compare them with constants of its own.
 */
public record IdentifierValuesAnalyzer(String column) implements ColumnAnalyzer<IdentifierValuesAnalyzer.State> {

  public static final class State implements AnalyzerState<State> {
    public long holding;

    @Override
    public State merge(State other) {
      holding += other.holding;
      return this;
    }
  }

  @Override
  public String key() {
    return "IdentifierValues(" + column + ")";
  }

  @Override
  public State newState(ScanContext context) {
    return new State();
  }

  @Override
  public void add(State state, ColumnView c, int row) {
    if (IdentifierPatterns.inText(c.getString(row))) {
      state.holding++;
    }
  }

  @Override
  public boolean mergesInAnyOrder() {
    return true; // a count
  }
}
