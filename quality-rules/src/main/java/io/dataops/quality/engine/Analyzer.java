package io.dataops.quality.engine;

import java.util.List;

/**
 * Computes a state from batches of rows. Expectations name the analyzers they need; analyzers with the same key
 * are computed once, and all of a suite's analyzers share one scan.
 */
public interface Analyzer<S extends AnalyzerState<S>> {
  /** Identity for sharing, e.g. {@code Completeness(id_card)}. */
  String key();

  /** The columns it reads. */
  List<String> columns();

  /**
   * Those of {@link #columns()} it reads only to tell null from non-null: where a data file's footer proves such a
   * column holds no null, the scan need not read it from that file (its view then says "not null" for every row and
   * gives no values).
   */
  default List<String> nullsOnlyColumns() {
    return List.of();
  }

  S newState(ScanContext context);

  void update(S state, Batch batch);

  /**
   * True when merging parts of the data in any grouping and order gives the same state, bit for bit (integer counts,
   * sorted values, earliest samples): the scan then keeps one state per worker. Otherwise (sums of doubles, value
   * counts in first-seen order) it keeps one state per data file and merges them in a fixed file order, so results
   * do not depend on how many workers read the files.
   */
  default boolean mergesInAnyOrder() {
    return false;
  }

  /**
   * A stable identity under which this analyzer's state can be stored and merged with the states of other feeds
   * (incremental quality on append), or null when its state cannot be kept compactly (exact value groups).
   */
  default String persistKey() {
    return null;
  }

  /** The state as bytes, for {@link #persistKey()} analyzers. */
  default byte[] save(S state) {
    throw new UnsupportedOperationException(key() + " keeps no state between runs");
  }

  /** A state read back from {@link #save}. */
  default S restore(byte[] bytes, ScanContext context) {
    throw new UnsupportedOperationException(key() + " keeps no state between runs");
  }
}
