package io.dataops.quality.run;

import io.dataops.quality.suite.Expectation;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;

/**
 * One run's failing-row writers in {@code quality.row_failures}: a writer per scan slot, all closed and committed
 * at once by {@link #commit}, or closed without a commit by {@link #close} when the run fails first. The writers
 * stay open from the scan to the commit, so that closing them (Parquet encodes and compresses the buffered rows
 * then) happens beside the metrics' own write instead of before it.
 */
final class FailureFiles implements AutoCloseable {
  private final Table table;
  private final String runId;
  private final String tableName;
  private final Long snapshotId;
  private final List<Expectation> expectations;
  private final List<String> columns;
  private final OffsetDateTime checkedAt;
  private final List<RowFailureWriter> writers = new ArrayList<>();
  private boolean closed;

  /** What the commit recorded: the failing rows and the snapshot that holds them (null when none failed). */
  record Committed(long rows, Long snapshotId) {}

  FailureFiles(Table table, String runId, String tableName, Long snapshotId, List<Expectation> expectations,
      List<String> columns, OffsetDateTime checkedAt) {
    this.table = table;
    this.runId = runId;
    this.tableName = tableName;
    this.snapshotId = snapshotId;
    this.expectations = expectations;
    this.columns = columns;
    this.checkedAt = checkedAt;
  }

  /** The writer of one scan slot; the slot names its files, so slots must differ within a run. */
  synchronized RowFailureWriter writer(int slot) {
    RowFailureWriter w = new RowFailureWriter(table, slot, runId, tableName, snapshotId, expectations, columns,
        checkedAt);
    writers.add(w);
    return w;
  }

  /** Closes every writer and appends their files in one commit. */
  synchronized Committed commit() {
    closeWriters();
    List<DataFile> files = new ArrayList<>();
    long rows = 0;
    for (RowFailureWriter w : writers) {
      files.addAll(w.files());
      rows += w.written();
    }
    if (files.isEmpty()) {
      return new Committed(rows, null);
    }
    AppendFiles append = table.newAppend();
    files.forEach(append::appendFile);
    append.set("dataops.run-id", runId).set("dataops.table", tableName).commit();
    return new Committed(rows, table.currentSnapshot().snapshotId());
  }

  /** Closes the writers not closed yet (a failed run: their files are left uncommitted). */
  @Override
  public synchronized void close() {
    closeWriters();
  }

  private void closeWriters() {
    if (closed) {
      return;
    }
    closed = true;
    RuntimeException first = null;
    for (RowFailureWriter w : writers) {
      try {
        w.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
