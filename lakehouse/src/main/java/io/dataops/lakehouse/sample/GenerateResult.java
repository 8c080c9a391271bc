package io.dataops.lakehouse.sample;

import java.util.Map;

/**
 * What was generated: the file, its contract, and the defects planted. {@code expectedQuarantined} rows break the
 * contract and must end in the quarantine when the file is landed; the others land.
 */
public record GenerateResult(String dataset, String department, String file, String contractFile, String format,
                             String encoding, long rows, long seed, long offset, Map<String, Long> defects,
                             long expectedQuarantined, long bytes) {
  public GenerateResult {
    defects = Map.copyOf(defects);
  }
}
