package io.dataops.jobs.batch;

import io.dataops.pipelines.plan.LocalFiles;
import io.dataops.pipelines.plan.PinnedInput;
import java.util.List;

/**
 * The pinned files of an input as DuckDB reads them: local paths (DuckDB's httpfs extension, which reads object
 * storage, cannot be installed here). Which files, in which order, is the run plan's ({@link PinnedInput}).
 */
final class PinnedFiles {
  private PinnedFiles() {}

  static List<String> of(PinnedInput input) {
    return input.dataFiles().stream().map(PinnedFiles::localPath).toList();
  }

  /** DuckDB reads local paths (and s3:// with its httpfs extension, which is not bundled here). */
  static String localPath(String location) {
    return LocalFiles.path(location, "the Spring Batch engine");
  }
}
