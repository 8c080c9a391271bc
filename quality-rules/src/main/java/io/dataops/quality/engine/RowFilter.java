package io.dataops.quality.engine;

import java.util.List;

/**
 * Which rows of a batch an expectation sees (GX's {@code row_condition}): the rows where the condition holds. Nulls
 * make a comparison unknown, and unknown rows are left out, as a SQL filter leaves them.
 */
public interface RowFilter {
  /** A stable text of the condition: part of analyzer keys, so filtered and unfiltered states never mix. */
  String key();

  /** The columns the condition reads. */
  List<String> columns();

  boolean test(Batch batch, int row);
}
