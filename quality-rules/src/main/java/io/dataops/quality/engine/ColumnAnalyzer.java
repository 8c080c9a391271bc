package io.dataops.quality.engine;

import java.util.List;

/**
 * An analyzer of one column's non-null values. The loop over a batch is here, once: each analyzer says what a
 * value adds to its state, and (if it counts them) what a batch's rows and non-null values add.
 */
public interface ColumnAnalyzer<S extends AnalyzerState<S>> extends Analyzer<S> {
  String column();

  @Override
  default List<String> columns() {
    return List.of(column());
  }

  @Override
  default void update(S state, Batch batch) {
    ColumnView c = batch.column(column());
    int n = batch.size();
    long nonNull = 0;
    for (int i = 0; i < n; i++) {
      if (!c.isNull(i)) {
        nonNull++;
        add(state, c, i);
      }
    }
    counted(state, n, nonNull);
  }

  /** Adds the non-null value at {@code row}. */
  void add(S state, ColumnView c, int row);

  /** Adds a batch's row and non-null counts, once the batch is read. */
  default void counted(S state, int rows, long nonNull) {}
}
