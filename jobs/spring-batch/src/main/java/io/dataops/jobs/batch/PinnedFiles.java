package io.dataops.jobs.batch;

import io.dataops.pipelines.plan.PinnedInput;
import io.dataops.pipelines.plan.RunPlan;
import java.util.List;

/**
 * The pinned files of an input as DuckDB reads them: local paths, an object-storage warehouse's files through the
 * plan's local cache ({@link io.dataops.pipelines.plan.LocalFiles}). Which files, in which order, is the run plan's
 * ({@link PinnedInput}).
 */
final class PinnedFiles {
  private PinnedFiles() {}

  static List<String> of(RunPlan plan, PinnedInput input) {
    return plan.localPaths(input, "the Spring Batch engine");
  }
}
