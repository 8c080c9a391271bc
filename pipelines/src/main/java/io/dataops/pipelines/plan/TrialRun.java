package io.dataops.pipelines.plan;

import io.dataops.pipelines.privacy.LeakCheck;
import io.dataops.pipelines.privacy.PrivacyReport;
import java.util.List;
import java.util.Map;

/**
 * What a trial of a plan made ({@link PipelineExecutor#trial}): the product's files in the run's scratch area (no
 * snapshot names them, no version records them), the counts, the privacy report and the leak check's result, as a
 * run would have published them. {@link #close()} removes the files; until then they can be read (to compare them with
 * the version another engine made from the same snapshots).
 *
 * @param parallelism the parallelism the engine ran at (1 where it has none)
 * @param privacy null when the pipeline has no privacy check
 * @param discard removes the trial's files and scratch states
 */
public record TrialRun(String engine, int parallelism, List<String> files, long rowsIn, long rowsOut,
    long rowsSuppressed, Map<String, Long> unfitValues, PrivacyReport privacy, LeakCheck.Result leak,
    Map<String, Double> stepSeconds, Runnable discard) implements AutoCloseable {

  public TrialRun {
    files = List.copyOf(files);
    unfitValues = Map.copyOf(unfitValues);
    stepSeconds = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(stepSeconds)); // in order
  }

  @Override
  public void close() {
    discard.run();
  }
}
