package io.dataops.quality.engine;

/** A batch of rows of the scanned table: columns by name, and where each row came from. */
public interface Batch {
  int size();

  /** The column, or null when the scan did not read it. */
  ColumnView column(String name);

  /** The row's primary-key values as "column=value, ..." (masked where personal), or null without a key. */
  String rowKey(int row);

  /** The feed that landed the row and its row number in that feed's file, where the table has lineage. */
  String feedId(int row);

  long sourceRowNumber(int row);
}
