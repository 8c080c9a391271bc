package io.dataops.lakehouse.landing;

import io.dataops.core.digest.DigestAlgorithm;
import io.dataops.core.digest.Digests;
import io.dataops.lakehouse.contract.ContractWriter;
import io.dataops.lakehouse.contract.FeedContract;
import java.util.Map;
import java.util.Objects;

/**
 * What makes a landing the same feed as an earlier one: the file's content read by the same version of its contract.
 * The version is the SHA-256 of the contract as parsed and written back ({@link ContractWriter}), so comments and
 * layout do not count but any change of meaning does: a file landed by a wrong contract can be landed again by the
 * corrected one.
 */
record FeedKey(String fileSha256, String contractVersion) {

  static String versionOf(FeedContract contract) {
    return Digests.hex(DigestAlgorithm.SHA256, ContractWriter.toBytes(contract));
  }

  /** The value the feed's ods snapshot carries under {@link FeedTables#SUMMARY_FEED_KEY}. */
  String value() {
    return fileSha256 + "/" + contractVersion;
  }

  /**
   * True when a snapshot with this summary landed this feed. Snapshots from before feed keys name only the file's
   * and the contract file's SHA-256; of those, one that landed no row does not count.
   */
  boolean landedBy(Map<String, String> summary, String contractFileSha256) {
    String key = summary.get(FeedTables.SUMMARY_FEED_KEY);
    if (key != null) {
      return key.equals(value());
    }
    return fileSha256.equals(summary.get(FeedTables.SUMMARY_FILE_SHA256))
        && Objects.equals(contractFileSha256, summary.get(FeedTables.SUMMARY_CONTRACT_SHA256))
        && !"0".equals(summary.get(FeedTables.SUMMARY_ROWS_LANDED));
  }
}
