package io.dataops.lakehouse.landing;

import io.dataops.lakehouse.contract.FeedContract;
import java.nio.file.Path;

/**
 * One feed to land: whose it is, its bytes (a local file or an object, see {@link FeedFile}), and the contract it is
 * read by ({@code contractSha256} for lineage). {@code replaces} (else null) names an earlier feed of the same table
 * whose rows this feed's rows replace in the same commit: a department's corrected file.
 */
public record LandingRequest(String department, String dataset, FeedFile feed, FeedContract contract,
    String contractSha256, Replaces replaces) {

  public LandingRequest(String department, String dataset, FeedFile feed, FeedContract contract,
      String contractSha256) {
    this(department, dataset, feed, contract, contractSha256, null);
  }

  /** A feed in a local file. */
  public LandingRequest(String department, String dataset, Path file, FeedContract contract, String contractSha256) {
    this(department, dataset, FeedFile.local(file), contract, contractSha256, null);
  }
}
