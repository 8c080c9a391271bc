package io.dataops.jobs.batch;

import io.dataops.core.BadInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;

/**
 * The data files of a pinned snapshot, sorted by path so every read of them sees rows in the same order. DuckDB reads
 * Parquet files directly and would not apply Iceberg's row-level deletes: a snapshot with delete files is refused.
 */
final class PinnedFiles {
  private PinnedFiles() {}

  static List<String> of(Table table, long snapshotId) {
    List<String> files = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(snapshotId).planFiles()) {
      for (FileScanTask t : tasks) {
        if (!t.deletes().isEmpty()) {
          throw new BadInputException("snapshot " + snapshotId + " of " + table.name() + " has row-level deletes, "
              + "which the Spring Batch engine does not apply; rewrite the table's data files first");
        }
        files.add(localPath(t.file().location()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    files.sort(null);
    return files;
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
