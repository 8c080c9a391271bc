package io.dataops.lakehouse.landing;

import java.util.List;
import java.util.Map;

/**
 * What a landing did. {@code rowsRead == rowsLanded + rowsQuarantined} always; a duplicate feed lands nothing,
 * reads nothing new and names the snapshot that landed the same content ({@code duplicateOf}); {@code commit} says
 * how the ods commit went (attempts, conflicts with other processes' commits, a duplicate found only at commit).
 * {@code repaired} (else null) reports quarantine rows of earlier, interrupted feeds that this landing appended.
 * {@code sameNameAs} and {@code replaced} name an earlier feed this one may correct, and whether it replaced it;
 * {@code duplicateReplaced}, that the feed a duplicate repeats was replaced since.
 */
public record LandingResult(
    String table,
    Long snapshotId,
    String feedId,
    long rowsRead,
    long rowsLanded,
    long rowsQuarantined,
    Long duplicateOf,
    String quarantineTable,
    Long quarantineSnapshotId,
    Map<String, Long> quarantinedByRule,
    String fileSha256,
    long fileBytes,
    String format,
    String encoding,
    List<String> missingColumns,
    long blankLines,
    double seconds,
    CommitReport commit,
    Repaired repaired,
    EarlierFeed sameNameAs,
    Replaced replaced,
    ReplacedFeed duplicateReplaced) {

  /**
   * The earlier feed whose rows this feed replaced in its commit (null: it replaced none): how many rows went, and how
   * many data files that also held other feeds' rows (after compaction) were written again without them.
   */
  public record Replaced(String feedId, long rows, int filesRewritten) {}

  /**
   * The last feed landed before under the same file name with other content (null: none the table's snapshots
   * remember): a department that sends a corrected file again has both in the table, the rows it corrected twice.
   */
  public record EarlierFeed(String feedId, long snapshotId, long rowsLanded) {}

  /**
   * For a duplicate whose earlier feed a correction replaced since (null otherwise): that feed and the feed that
   * replaced it. Its rows are no longer in the table; the content is not landed again.
   */
  public record ReplacedFeed(String feedId, String replacedBy) {}

  public LandingResult {
    if (rowsRead != rowsLanded + rowsQuarantined) {
      throw new IllegalStateException("landing lost rows: read " + rowsRead + ", landed " + rowsLanded
          + ", quarantined " + rowsQuarantined);
    }
    quarantinedByRule = Map.copyOf(quarantinedByRule);
    missingColumns = List.copyOf(missingColumns);
  }

  public boolean isDuplicate() {
    return duplicateOf != null;
  }

  public double rowsPerSecond() {
    return seconds > 0 ? rowsRead / seconds : 0;
  }
}
