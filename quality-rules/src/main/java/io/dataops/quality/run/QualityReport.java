package io.dataops.quality.run;

import io.dataops.quality.result.ValidationResult;

/** What a quality run produced: the validation result, and where its failing rows were recorded. */
public record QualityReport(String runId, String table, Long snapshotId, ValidationResult validation,
                            long rowsScanned, long failingRows, Long failuresSnapshotId, double seconds) {}
