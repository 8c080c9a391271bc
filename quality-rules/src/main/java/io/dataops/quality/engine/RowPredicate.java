package io.dataops.quality.engine;

/**
 * A condition on one row's non-null value of a column. The row is a primitive {@code int}: a
 * {@code BiPredicate<ColumnView, Integer>} boxed every row index past 127, an {@code Integer} per row and check.
 */
@FunctionalInterface
public interface RowPredicate {
  boolean test(ColumnView column, int row);
}
