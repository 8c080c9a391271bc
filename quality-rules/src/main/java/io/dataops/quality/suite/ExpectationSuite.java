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
}
