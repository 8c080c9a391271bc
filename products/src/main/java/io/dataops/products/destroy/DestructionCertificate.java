package io.dataops.products.destroy;

import io.dataops.products.delivery.DeliveredCopy;
import java.util.List;

/**
 * The proof of a destruction (销毁证明): which version, which files with their digests were removed (and which were
 * kept because a live version shares them), who approved and ordered it, when, and the post-check that listed
 * storage afterwards and found none of the removed files, no snapshot and no metadata naming them, and no archive
 * copy; and the rows quality runs recorded on its snapshot that were removed with it; and the copies partners took
 * away before, which no destruction on the platform removes ({@link CopiesOutside}). Written as JSON and as an HTML
 * page under {@code certificates/}; the JSON's digest goes into the audit trail.
 *
 * <p>{@code archiveRemoved} is null for a version never sealed: it had no archive copy.
 */
public record DestructionCertificate(
    String certificateId,
    String product,
    int version,
    String table,
    long snapshotId,
    String tag,
    String algorithm,
    String merkleRoot,
    String fromState,
    List<DestructionPlan.PlannedFile> files,
    List<String> metadataRemoved,
    List<String> rewrittenVersions,
    String archiveRemoved,
    List<DestructionPlan.QualityRows> qualityRowsRemoved,
    String approvedBy,
    String orderedBy,
    String orderedByOrganization,
    String startedAt,
    String finishedAt,
    PostCheck postCheck,
    CopiesOutside copiesOutside) {

  /**
   * @param storageListed how many files the listing of the table's folder and the archive found afterwards
   * @param checks each check made and its outcome ("no removed file in the listing of ...: passed")
   */
  public record PostCheck(boolean passed, long storageListed, List<String> checks) {}

  /**
   * The copies of the version outside the platform: every delivery of it the audit trail records. A certificate
   * that said only what was removed would read as if no copy were left anywhere.
   *
   * @param statement in plain words: that these copies are not removed by this destruction and their holders were
   *     told, or that no delivery of the version was made, or that deliveries were not looked up
   * @param source where the deliveries were looked up; null: they were not (a destruction outside the platform)
   * @param deliveries one per delivery, oldest first; no path on the partner's machine (the platform never has one)
   * @param organizationsNotified each organization that received the version, sent a notice to delete its copies
   */
  public record CopiesOutside(String statement, String source, List<DeliveredCopy> deliveries,
      List<String> organizationsNotified) {}
}
