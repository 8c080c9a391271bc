package io.dataops.quality.run;

import io.dataops.quality.expect.Metrics;
import io.dataops.quality.result.ValidationResult;
import java.util.List;
import java.util.Map;

/**
 * What a quality run produced: the validation result, the metrics it added to the history, and where its failing
 * rows were recorded. {@code feedId} is set for a run over one feed; {@code references} are the other tables the
 * suite read (the audit trail names them with the table), {@code referenceSnapshots} the snapshot of each it read
 * (by table name; one without a snapshot is left out), as {@code snapshotId} is the validated table's.
 */
public record QualityReport(String runId, String table, Long snapshotId, String feedId, String scope,
                            ValidationResult validation, List<Metrics.Metric> metrics, long rowsScanned,
                            long failingRows, Long failuresSnapshotId, double seconds, List<String> references,
                            Map<String, Long> referenceSnapshots) {
  public QualityReport {
    metrics = List.copyOf(metrics);
    references = List.copyOf(references);
    referenceSnapshots = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(referenceSnapshots));
  }
}
