package io.dataops.lakehouse.maintenance;

import java.util.List;

/**
 * What maintenance did to one table.
 *
 * @param skipped why the table was left alone (null when it was maintained)
 * @param ledgerRecorded feeds recorded in the landed-feed ledger before expiry (ods tables)
 */
public record TableReport(String table, String skipped, int ledgerRecorded, Compaction compaction, Expiry expiry,
    Orphans orphans) {

  public static TableReport skipped(String table, String reason) {
    return new TableReport(table, reason, 0, null, null, null);
  }

  /** Small files rewritten into fewer (rows before equal rows after), or why not. */
  public record Compaction(int filesRewritten, int filesWritten, long rows, long bytesBefore, long bytesAfter,
      Long snapshotId, String skipped) {
    static Compaction none(String why) {
      return new Compaction(0, 0, 0, 0, 0, null, why);
    }
  }

  /**
   * Snapshots expired, kept, and the files only they reached that were deleted with them.
   *
   * @param keptFor the pins that kept snapshots the retention policy alone would have expired (why data stays)
   */
  public record Expiry(List<Long> expired, int kept, int filesDeleted, List<KeptFor> keptFor) {
    public Expiry {
      expired = List.copyOf(expired);
      keptFor = List.copyOf(keptFor);
    }
  }

  /** A pin that kept snapshots: its snapshot (and, on the main branch, every later one) and who holds it. */
  public record KeptFor(long snapshotId, String holder) {}

  /** Files under the table's folder no kept snapshot or metadata reaches: removed, or kept as too young. */
  public record Orphans(List<String> removed, int keptYoung, long bytesRemoved) {}
}
