package io.dataops.products.publish;

import java.nio.file.Path;
import java.util.List;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The quality engine as a pipeline's gate (write, audit, publish): an executor stages the product's snapshot without
 * making it current, asks the gate to validate that snapshot against the pipeline's suite, and publishes it only if
 * no rule of severity {@code error} failed. Implemented outside the executors, so they need not know the engine.
 */
public interface QualityGate {

  /** No quality engine wired in: a pipeline that names a suite is refused rather than published unchecked. */
  QualityGate NONE = (table, snapshotId, suite) -> {
    throw new IllegalStateException("the pipeline names the quality suite " + suite
        + " but this executor was built without a quality gate");
  };

  Verdict check(TableIdentifier table, long stagedSnapshotId, Path suite);

  /**
   * @param errors rules of severity error that failed (each "rule(column): observed"); any stops the version
   * @param warnings rules of severity warning that failed: reported, not stopping
   * @param runId the quality run, whose row-level failures are in the quality tables
   */
  record Verdict(String suite, boolean passed, int evaluated, List<String> errors, List<String> warnings,
      String runId) {}
}
