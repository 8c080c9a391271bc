package io.dataops.quality.suite;

import java.util.Map;

/**
 * One expectation of a suite as written: its type (snake_case, as Great Expectations spells it), its keyword
 * arguments with suite parameters already substituted, its severity, and the line it was written on.
 */
public record Expectation(String id, String type, Map<String, Object> kwargs, Map<String, Object> meta,
                          Severity severity, int line, Map<String, Integer> kwargLines) {

  public Expectation {
    kwargs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(kwargs));
    meta = meta == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(meta));
    kwargLines = kwargLines == null ? Map.of() : Map.copyOf(kwargLines);
  }

  /** The line of a keyword argument, else of the expectation. */
  public int lineOf(String kwarg) {
    return kwargLines.getOrDefault(kwarg, line);
  }
}
