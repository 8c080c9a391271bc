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

  S newState(ScanContext context);

  void update(S state, Batch batch);
}
