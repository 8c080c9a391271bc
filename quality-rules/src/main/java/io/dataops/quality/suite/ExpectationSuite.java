package io.dataops.quality.suite;

import java.util.List;
import java.util.Map;

/** A named list of expectations (Great Expectations' expectation suite). {@code source} names the file. */
public record ExpectationSuite(String name, List<Expectation> expectations, Map<String, Object> meta,
                               Map<String, Object> suiteParameters, String source) {
  public ExpectationSuite {
    expectations = List.copyOf(expectations);
    meta = meta == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(meta));
    suiteParameters = suiteParameters == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(suiteParameters));
  }

  /** The expectations whose parameters are all known (a stored suite's others wait for a run's parameters). */
  public ExpectationSuite resolvedOnly() {
    return new ExpectationSuite(name, expectations.stream().filter(e -> e.kwargs().values().stream()
        .noneMatch(v -> v instanceof Map<?, ?> m && m.containsKey("$PARAMETER"))).toList(), meta, suiteParameters,
        source);
  }
}
