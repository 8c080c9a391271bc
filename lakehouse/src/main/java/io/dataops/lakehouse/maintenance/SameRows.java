package io.dataops.lakehouse.maintenance;

import org.apache.iceberg.DataOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * Snapshots that only rewrote files hold the rows of their parent: compaction and manifest rewrites commit Iceberg's
 * {@code replace} operation, which may not add or remove a row.
 */
public final class SameRows {
  private SameRows() {}

  /** The summary key of a product table's rewrite for a destruction (products' Destroyer sets it). */
  public static final String REWRITTEN_FOR = "dataops.rewritten-for";

  /**
   * The oldest snapshot still in {@code table} that holds the same rows as {@code snapshot}: back over {@code replace}
   * snapshots while their parent is there. A pipeline binds this one, so that a table compacted since its last run is
   * the same input to it (the same run, recognised) rather than a new one making a version of the same rows. Not
   * back over a rewrite a destruction made: its point is that no live snapshot names the destroyed version's files.
   */
  public static Snapshot asOf(Table table, Snapshot snapshot) {
    Snapshot s = snapshot;
    while (s != null && DataOperations.REPLACE.equals(s.operation()) && s.parentId() != null
        && !s.summary().containsKey(REWRITTEN_FOR)) {
      Snapshot parent = table.snapshot(s.parentId());
      if (parent == null) {
        break; // expired: the rewrite is the oldest holder left
      }
      s = parent;
    }
    return s;
  }
}
