package io.dataops.quality.run;

import io.dataops.quality.suite.Expectation;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.CommitStateUnknownException;

/**
 * One run's failing-row writers in {@code quality.row_failures}: a writer per scan slot, all closed and committed
 * at once by {@link #commit}, or closed without a commit by {@link #close} when the run fails first, which deletes
 * the files they wrote (nothing refers to them). The writers stay open from the scan to the commit, so that closing
 * them (Parquet encodes and compresses the buffered rows then) happens beside the metrics' own write instead of
 * before it.
 */
final class FailureFiles implements AutoCloseable {
  private static final String RUN_ID = "dataops.run-id";
  private final Table table;
  private final String runId;
  private final String tableName;
  private final Long snapshotId;
  private final List<Expectation> expectations;
  private final List<String> columns;
  private final OffsetDateTime checkedAt;
  private final List<RowFailureWriter> writers = new ArrayList<>();
  private boolean closed;
  private boolean committed;

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
    return commit(new java.util.BitSet());
  }

  /**
   * As above, without the rows of the {@code dropped} expectations (indices): those that raised instead of finishing,
   * whose rows found before are no verdict.
   */
  synchronized Committed commit(java.util.BitSet dropped) {
    closeWriters();
    if (!dropped.isEmpty()) {
      for (RowFailureWriter w : writers) {
        if (w.holdsAny(dropped)) {
          w.without(dropped);
        }
      }
    }
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
    try {
      append.set(RUN_ID, runId).set("dataops.table", tableName).commit();
    } catch (CommitStateUnknownException e) {
      committed = true; // the files may be in the table now: they must stay
      throw e;
    }
    committed = true;
    return new Committed(rows, snapshotOf(table, runId));
  }

  /**
   * The snapshot that {@code runId}'s append made: the newest in the current history that names the run. Not simply
   * the current snapshot: Iceberg refreshes the table after its commit, so another process's append that came right
   * after this one would be current by then.
   */
  static long snapshotOf(Table table, String runId) {
    for (Snapshot s = table.currentSnapshot(); s != null;
        s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
      if (runId.equals(s.summary().get(RUN_ID))) {
        return s.snapshotId();
      }
    }
    throw new IllegalStateException("the failing rows of run " + runId + " were committed to " + table.name()
        + " but no snapshot of its history names the run");
  }

  /**
   * Closes the writers not closed yet and, unless the commit went through (or may have), deletes the files they
   * wrote: a failed run leaves no orphan files behind.
   */
  @Override
  public synchronized void close() {
    RuntimeException failure = null;
    try {
      closeWriters();
    } catch (RuntimeException e) {
      failure = e;
    }
    if (!committed) {
      failure = forEach(writtenFiles(), f -> table.io().deleteFile(f.location()), failure);
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** The files of the writers closed so far. */
  synchronized List<DataFile> writtenFiles() {
    List<DataFile> files = new ArrayList<>();
    writers.forEach(w -> files.addAll(w.filesWritten()));
    return files;
  }

  private void closeWriters() {
    if (closed) {
      return;
    }
    closed = true;
    RuntimeException failure = forEach(writers, RowFailureWriter::close, null);
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Runs {@code action} on every item even when some fail (one failed close or delete must not leave the others
   * undone); returns {@code failure}, or the first failure, with the later ones suppressed in it.
   */
  private static <T> RuntimeException forEach(Iterable<T> items, java.util.function.Consumer<T> action,
      RuntimeException failure) {
    for (T item : items) {
      try {
        action.accept(item);
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    return failure;
  }
}
