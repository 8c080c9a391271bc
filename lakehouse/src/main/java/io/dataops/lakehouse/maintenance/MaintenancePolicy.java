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

  /**
   * The shortest safety age: maintenance cannot tell a commit in flight from an orphan, so a shorter one removes the
   * files and the staged snapshot of work still going on (a publish held at its quality gate then failed with "no
   * snapshot" after {@code --safety-age 0s}). Delta Lake's VACUUM refuses short retention for the same reason.
   */
  public static final Duration MIN_SAFETY_AGE = Duration.ofHours(1);

  public static final MaintenancePolicy DEFAULT = new MaintenancePolicy(10, Duration.ofDays(7), Duration.ofDays(1),
      16L << 20, 128L << 20);

  public MaintenancePolicy {
    if (keepLast < 1) {
      throw new BadInputException("keep-last must be at least 1 (the current snapshot), not " + keepLast);
    }
    if (maxSnapshotAge.isNegative() || safetyAge.isNegative()) {
      throw new BadInputException("ages cannot be negative");
    }
    if (safetyAge.compareTo(MIN_SAFETY_AGE) < 0) {
      throw new BadInputException("the safety age is at least 1h, not " + shown(safetyAge) + ": a landing or a"
          + " publish in flight has written files (and a staged snapshot) that look exactly like orphans until it"
          + " commits, and removing them would lose its work");
    }
    if (smallFileBytes < 0 || targetFileBytes <= 0) {
      throw new BadInputException("file sizes must be positive");
    }
  }

  private static String shown(Duration d) {
    return d.isZero() ? "0s" : d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
  }
}
