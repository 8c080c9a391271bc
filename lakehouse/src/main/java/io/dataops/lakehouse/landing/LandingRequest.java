package io.dataops.lakehouse.landing;

import io.dataops.lakehouse.contract.FeedContract;
import java.nio.file.Path;

/** One feed to land: whose it is, the file, and the contract it is read by ({@code contractSha256} for lineage). */
public record LandingRequest(String department, String dataset, Path file, FeedContract contract, String contractSha256) {}
