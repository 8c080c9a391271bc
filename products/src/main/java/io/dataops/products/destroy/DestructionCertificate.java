package io.dataops.products.destroy;

import java.util.List;

/**
 * The proof of a destruction (销毁证明): which version, which files with their digests were removed (and which were
 * kept because a live version shares them), who approved and ordered it, when, and the post-check that listed
 * storage afterwards and found none of the removed files, no snapshot and no metadata naming them, and no archive
 * copy; and the rows quality runs recorded on its snapshot that were removed with it. Written as JSON and as an
 * HTML page under {@code certificates/}; the JSON's digest goes into the audit trail.
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
    PostCheck postCheck) {

  /**
   * @param storageListed how many files the listing of the table's folder and the archive found afterwards
   * @param checks each check made and its outcome ("no removed file in the listing of ...: passed")
   */
  public record PostCheck(boolean passed, long storageListed, List<String> checks) {}
}
