package io.dataops.quality.engine;

/** A condition each row must meet (a Great Expectations "map" expectation): the row-level heart of a rule. */
public interface RowCheck {
  int OK = 0;
  int UNEXPECTED = 1;
  /** The row is not considered (a null value, for most expectations): it counts as missing. */
  int MISSING = 2;

  int check(Batch batch, int row);

  /**
   * The verdicts of rows 0..n-1 into {@code verdicts}. Checks on one column override this to look the column up
   * once per batch and loop over it, instead of dispatching row by row.
   */
  default void checkAll(Batch batch, int n, byte[] verdicts) {
    for (int i = 0; i < n; i++) {
      verdicts[i] = (byte) check(batch, i);
    }
  }

  /**
   * True when the check looks at nothing but whether its columns' values are null, and fails no row where they never
   * are (a not-null check): a file proven free of nulls in them then need not be read for it.
   */
  default boolean readsOnlyNulls() {
    return false;
  }

  /** Why this row fails, in words that do not repeat the value. */
  String reason(Batch batch, int row);

  /** The failing value as a report may show it (masked when personal). */
  String shownValue(Batch batch, int row, ScanContext context);
}
