package io.dataops.quality.expect;

import io.dataops.quality.engine.Analyzer;
import io.dataops.quality.engine.AnalyzerState;
import java.util.Map;

/** The merged, finished states of a run, by analyzer. */
public final class States {
  private final Map<String, AnalyzerState<?>> byKey;
  private final io.dataops.quality.engine.RowFilter filter;

  public States(Map<String, AnalyzerState<?>> byKey) {
    this(byKey, null);
  }

  private States(Map<String, AnalyzerState<?>> byKey, io.dataops.quality.engine.RowFilter filter) {
    this.byKey = byKey;
    this.filter = filter;
  }

  /** The states as an expectation with a row condition sees them: its analyzers' filtered states. */
  States filtered(io.dataops.quality.engine.RowFilter f) {
    return new States(byKey, f);
  }

  @SuppressWarnings("unchecked")
  public <S extends AnalyzerState<S>> S of(Analyzer<S> analyzer) {
    String key = filter == null ? analyzer.key() : io.dataops.quality.engine.FilteredAnalyzer.key(filter, analyzer.key());
    S s = (S) byKey.get(key);
    if (s == null) {
      throw new IllegalStateException("no state for " + analyzer.key());
    }
    return s;
  }
}
