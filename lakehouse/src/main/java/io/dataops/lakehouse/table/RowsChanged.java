package io.dataops.lakehouse.table;

import java.util.Optional;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * Why a table did not only gain rows after a read point: the one test an incremental pipeline run makes before it
 * reads the appended files only (it refuses, saying this), and table maintenance makes before it keeps snapshots for
 * that run (a read point past such a change is never read from again, so it keeps nothing: found by a probe, a
 * replaced feed's rows stayed readable for good behind an incremental product's old read point).
 *
 * @param snapshotId the first snapshot after the read point that overwrote or deleted rows (null: none was found)
 * @param operation its Iceberg operation (null with no snapshot)
 * @param kind which of the three it is
 */
public record RowsChanged(Long snapshotId, String operation, Kind kind) {
  public enum Kind {
    /** A snapshot after the read point overwrote or deleted rows. */
    CHANGED,
    /** The read point is in the table but not in the history of the later snapshot (a rollback, a rewrite). */
    NOT_IN_HISTORY,
    /** The read point was expired, and no snapshot left after it changed rows (one that did may be expired too). */
    EXPIRED
  }

  /**
   * Empty when every snapshot after {@code fromExclusive} up to {@code to} only appended rows or rewrote files
   * (compaction changes no row); else why not. A read point already expired is judged by the snapshots left in
   * {@code to}'s history: all of them came after it.
   */
  public static Optional<RowsChanged> since(Table table, long fromExclusive, long to) {
    if (fromExclusive == to) {
      return Optional.empty();
    }
    boolean expired = table.snapshot(fromExclusive) == null;
    if (!expired && !SnapshotUtil.isAncestorOf(table, to, fromExclusive)) {
      return Optional.of(new RowsChanged(null, null, Kind.NOT_IN_HISTORY));
    }
    Snapshot first = null;
    for (Snapshot s : SnapshotUtil.ancestorsOf(to, table::snapshot)) {
      if (s.snapshotId() == fromExclusive) {
        break;
      }
      String op = s.operation();
      if (!DataOperations.APPEND.equals(op) && !DataOperations.REPLACE.equals(op)) {
        first = s;
      }
    }
    if (first != null) {
      return Optional.of(new RowsChanged(first.snapshotId(), first.operation(), Kind.CHANGED));
    }
    return expired ? Optional.of(new RowsChanged(null, null, Kind.EXPIRED)) : Optional.empty();
  }
}
