package io.dataops.pipelines.run;

import java.util.List;
import java.util.Map;

/**
 * What a pipeline run produced, as {@code dataops pipeline run --json} prints it (the names DESIGN.md fixes: product,
 * version, engine, snapshotId, inputs, rowsIn, rowsOut, rowsSuppressed, privacy with k, maxRisk and avgRisk, leakCheck).
 *
 * @param quality the quality gate's verdict (null when the pipeline names no suite)
 * @param recognized true when this exact run (same file, snapshots, keys) had already produced the version
 * @param restarted true when the run resumed an attempt that had been interrupted
 * @param stepSeconds how long each step of this attempt took (empty for a recognized run)
 */
public record PipelineRunResult(
    String product,
    int version,
    String state,
    String engine,
    String table,
    long snapshotId,
    Map<String, Long> inputs,
    long rowsIn,
    long rowsOut,
    long rowsSuppressed,
    Map<String, Object> privacy,
    String leakCheck,
    Map<String, Object> quality,
    Map<String, Long> unfitValues,
    boolean recognized,
    boolean restarted,
    String runKey,
    double seconds,
    Map<String, Double> stepSeconds,
    List<String> warnings) {}
