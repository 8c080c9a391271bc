package io.dataops.quality.expect;

import io.dataops.quality.engine.Analyzer;
import io.dataops.quality.engine.AnalyzerState;
import java.util.Map;

/** The merged, finished states of a run, by analyzer. */
public final class States {
  private final Map<String, AnalyzerState<?>> byKey;

  public States(Map<String, AnalyzerState<?>> byKey) {
    this.byKey = byKey;
  }

  @SuppressWarnings("unchecked")
  public <S extends AnalyzerState<S>> S of(Analyzer<S> analyzer) {
    S s = (S) byKey.get(analyzer.key());
    if (s == null) {
      throw new IllegalStateException("no state for " + analyzer.key());
    }
    return s;
  }
}
