package io.dataops.quality.engine;

/**
 * What an analyzer has computed so far. States of two parts of the data merge into the state of both (Deequ's
 * design): the scan runs per thread and per file, and states of earlier feeds combine with new ones.
 */
public interface AnalyzerState<S extends AnalyzerState<S>> {
  S merge(S other);

  /** Work that needs every part merged first (sorting spilled values); runs once, single-threaded. */
  default void finish() {}
}
