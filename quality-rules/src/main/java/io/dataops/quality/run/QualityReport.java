package io.dataops.quality.run;

import io.dataops.quality.expect.Metrics;
import io.dataops.quality.result.ValidationResult;
import java.util.List;

/**
 * What a quality run produced: the validation result, the metrics it added to the history, and where its failing
 * rows were recorded. {@code feedId} is set for a run over one feed; {@code references} are the other tables the
 * suite read (the audit trail names them with the table).
 */
public record QualityReport(String runId, String table, Long snapshotId, String feedId, String scope,
                            ValidationResult validation, List<Metrics.Metric> metrics, long rowsScanned,
                            long failingRows, Long failuresSnapshotId, double seconds, List<String> references) {
  public QualityReport {
    metrics = List.copyOf(metrics);
    references = List.copyOf(references);
  }
}
