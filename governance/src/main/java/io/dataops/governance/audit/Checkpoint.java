package io.dataops.governance.audit;

import java.time.Instant;

/**
 * The chain head written to the lakehouse: event {@code seq} had {@code hash} when the checkpoint was taken.
 *
 * @param reason why it was taken: {@code on demand}, {@code after destroy of product:p@2}, ...
 */
public record Checkpoint(long seq, String hash, String digest, Instant at, String reason) {}
