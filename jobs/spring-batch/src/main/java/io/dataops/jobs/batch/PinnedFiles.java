package io.dataops.jobs.batch;

import io.dataops.core.BadInputException;
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
    if (location.startsWith("file:")) {
      return java.nio.file.Path.of(java.net.URI.create(location.startsWith("file:/") && !location.startsWith("file://")
          ? "file://" + location.substring("file:".length()) : location)).toString();
    }
    if (location.startsWith("/")) {
      return location;
    }
    throw new BadInputException("the Spring Batch engine reads a local warehouse; " + location + " is not local "
        + "(object storage comes with the storage issue)");
  }
}
