package io.dataops.lakehouse.maintenance;

import io.dataops.core.BadInputException;
import java.time.Duration;

/**
 * How much history a table keeps and what maintenance may touch.
 *
 * @param keepLast snapshots of the main branch always kept, newest first (at least 1: the current one)
 * @param maxSnapshotAge older snapshots beyond {@code keepLast} are expired (tags, and snapshots pinned by a reader,
 *     are kept whatever their age)
 * @param safetyAge a file, or a snapshot no branch or tag holds, younger than this is never removed: a commit in
 *     flight (a landing writing its files, a publish whose quality gate is judging its staged snapshot) looks exactly
 *     like an orphan until it commits
 * @param smallFileBytes data files below this size are compacted
 * @param targetFileBytes compaction writes files of about this size (by the input files' sizes)
 */
public record MaintenancePolicy(int keepLast, Duration maxSnapshotAge, Duration safetyAge, long smallFileBytes,
    long targetFileBytes) {

  public static final MaintenancePolicy DEFAULT = new MaintenancePolicy(10, Duration.ofDays(7), Duration.ofDays(1),
      16L << 20, 128L << 20);

  public MaintenancePolicy {
    if (keepLast < 1) {
      throw new BadInputException("keep-last must be at least 1 (the current snapshot), not " + keepLast);
    }
    if (maxSnapshotAge.isNegative() || safetyAge.isNegative()) {
      throw new BadInputException("ages cannot be negative");
    }
    if (smallFileBytes < 0 || targetFileBytes <= 0) {
      throw new BadInputException("file sizes must be positive");
    }
  }
}
