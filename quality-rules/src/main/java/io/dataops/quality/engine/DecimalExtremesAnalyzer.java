package io.dataops.quality.engine;

import java.math.BigDecimal;

/**
 * The least and greatest of a decimal column's non-null values, exactly, as pandas' min and max of its Decimal objects
 * give them (through a double, 9007199254740993 and 9007199254740992 of a decimal(20,0) were one value). A value's
 * double decides where it differs from the extreme's (both correctly rounded, so in the same order): only a new
 * extreme or a tie is read as a BigDecimal.
 */
public record DecimalExtremesAnalyzer(String column) implements ColumnAnalyzer<DecimalExtremesAnalyzer.State> {

  public static final class State implements AnalyzerState<State> {
    /** Null while no value is seen. */
    public BigDecimal min;
    public BigDecimal max;
    private double minDouble = Double.POSITIVE_INFINITY;
    private double maxDouble = Double.NEGATIVE_INFINITY;

    void add(ColumnView c, int row) {
      double d = c.getDouble(row);
      if (d < minDouble || d == minDouble && c.getDecimal(row).compareTo(min) < 0) {
        min = c.getDecimal(row);
        minDouble = d;
      }
      if (d > maxDouble || d == maxDouble && c.getDecimal(row).compareTo(max) > 0) {
        max = c.getDecimal(row);
        maxDouble = d;
      }
    }

    @Override
    public State merge(State o) {
      if (o.min != null && (min == null || o.min.compareTo(min) < 0)) {
        min = o.min;
        minDouble = o.minDouble;
      }
      if (o.max != null && (max == null || o.max.compareTo(max) > 0)) {
        max = o.max;
        maxDouble = o.maxDouble;
      }
      return this;
    }
  }

  @Override
  public String key() {
    return "DecimalExtremes(" + column + ")";
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
    state.add(c, row);
  }
}
