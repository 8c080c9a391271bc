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
 * @param inputsFrom an incremental run's snapshot each input was read from (exclusive; a table not named was read
 *     from its beginning); null for a full run
 * @param madeBy when an incremental run found nothing appended since the product's current version and another
 *     pipeline file made that version: that file's pipeline name and SHA-256 (nothing ran, no version was made, and
 *     the version is not this file's); null otherwise
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
    List<String> warnings,
    Map<String, Long> inputsFrom,
    Map<String, String> madeBy) {

  /** A full run's result. */
  public PipelineRunResult(String product, int version, String state, String engine, String table, long snapshotId,
      Map<String, Long> inputs, long rowsIn, long rowsOut, long rowsSuppressed, Map<String, Object> privacy,
      String leakCheck, Map<String, Object> quality, Map<String, Long> unfitValues, boolean recognized,
      boolean restarted, String runKey, double seconds, Map<String, Double> stepSeconds, List<String> warnings) {
    this(product, version, state, engine, table, snapshotId, inputs, rowsIn, rowsOut, rowsSuppressed, privacy,
        leakCheck, quality, unfitValues, recognized, restarted, runKey, seconds, stepSeconds, warnings, null, null);
  }

  /** A result whose version this file made (now, or by the same run before). */
  public PipelineRunResult(String product, int version, String state, String engine, String table, long snapshotId,
      Map<String, Long> inputs, long rowsIn, long rowsOut, long rowsSuppressed, Map<String, Object> privacy,
      String leakCheck, Map<String, Object> quality, Map<String, Long> unfitValues, boolean recognized,
      boolean restarted, String runKey, double seconds, Map<String, Double> stepSeconds, List<String> warnings,
      Map<String, Long> inputsFrom) {
    this(product, version, state, engine, table, snapshotId, inputs, rowsIn, rowsOut, rowsSuppressed, privacy,
        leakCheck, quality, unfitValues, recognized, restarted, runKey, seconds, stepSeconds, warnings, inputsFrom,
        null);
  }

  /** This result as another pipeline file's version ({@code madeBy}), with {@code warnings} of this run's file. */
  public PipelineRunResult asMadeBy(Map<String, String> madeBy, List<String> warnings) {
    return new PipelineRunResult(product, version, state, engine, table, snapshotId, inputs, rowsIn, rowsOut,
        rowsSuppressed, privacy, leakCheck, quality, unfitValues, false, false, runKey, seconds, stepSeconds, warnings,
        inputsFrom, java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(madeBy)));
  }

  /** True when nothing was appended and the current version, the result, was made by another pipeline file. */
  public boolean madeByAnotherFile() {
    return madeBy != null;
  }

  /** The text that names where an input was read: {@code @ snapshot B}, or {@code @ snapshots A..B} of an increment. */
  public String readOf(String table, long snapshot) {
    if (inputsFrom == null) {
      return "@ snapshot " + snapshot;
    }
    Long from = inputsFrom.get(table);
    return from == null ? "@ snapshot " + snapshot + " (incremental: from the beginning)"
        : "@ snapshots " + from + ".." + snapshot + " (incremental: what was appended after " + from + ")";
  }
}
