package io.dataops.lakehouse.landing;

import io.dataops.lakehouse.contract.FeedContract;
import java.nio.file.Path;

/**
 * One feed to land: whose it is, its bytes (a local file or an object, see {@link FeedFile}), and the contract it is
 * read by ({@code contractSha256} for lineage).
 */
public record LandingRequest(String department, String dataset, FeedFile feed, FeedContract contract,
    String contractSha256) {

  /** A feed in a local file. */
  public LandingRequest(String department, String dataset, Path file, FeedContract contract, String contractSha256) {
    this(department, dataset, FeedFile.local(file), contract, contractSha256);
  }
}
