package io.dataops.lakehouse.landing;

/**
 * What the feed's ods commit went through. Iceberg commits optimistically: an attempt that another process's commit
 * overtook is a conflict and is retried on the new table state, where the same content may now be found committed
 * ({@code duplicateAtCommit}). All zero when the landing never reached its commit (a duplicate found up front).
 */
public record CommitReport(int attempts, int conflicts, boolean duplicateAtCommit) {
  public static final CommitReport NONE = new CommitReport(0, 0, false);
}
