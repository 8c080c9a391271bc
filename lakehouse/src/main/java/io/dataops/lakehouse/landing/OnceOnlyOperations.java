package io.dataops.lakehouse.landing;

import java.util.function.IntConsumer;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.encryption.EncryptionManager;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.LocationProvider;

/**
 * Table operations that refuse a commit when the table already has a snapshot whose summary carries the same
 * value under {@code key}. Iceberg re-applies and retries a commit that lost a race; this check runs on every
 * attempt against the metadata the attempt builds on, so two processes landing the same feed at once cannot both
 * succeed. It counts the attempts and the conflicts (attempts another commit overtook) for the landing's report.
 */
final class OnceOnlyOperations implements TableOperations {
  private final TableOperations delegate;
  private final String key;
  private final String value;
  private final IntConsumer beforeAttempt;
  /** An earlier feed this commit replaces (else null): refused once a snapshot says it replaced that feed. */
  private String replaces;
  private int attempts;
  private int conflicts;

  OnceOnlyOperations(TableOperations delegate, String key, String value) {
    this(delegate, key, value, attempt -> { });
  }

  /** {@code beforeAttempt} gets each attempt's number once the attempt's base is chosen, before anything is checked. */
  OnceOnlyOperations(TableOperations delegate, String key, String value, IntConsumer beforeAttempt) {
    this.delegate = delegate;
    this.key = key;
    this.value = value;
    this.beforeAttempt = beforeAttempt;
  }

  /** Also refuses the commit, on every attempt, when a snapshot of its base replaced feed {@code feedId}. */
  OnceOnlyOperations replacing(String feedId) {
    this.replaces = feedId;
    return this;
  }

  CommitReport report(boolean duplicateAtCommit) {
    return new CommitReport(attempts, conflicts, duplicateAtCommit);
  }

  /** Thrown (never retried by Iceberg) when the value was committed before. */
  static final class AlreadyCommitted extends RuntimeException {
    final long snapshotId;

    AlreadyCommitted(long snapshotId) {
      super("already committed in snapshot " + snapshotId, null, false, false);
      this.snapshotId = snapshotId;
    }
  }

  /** Thrown (never retried by Iceberg) when another commit replaced the feed this one replaces. */
  static final class AlreadyReplaced extends RuntimeException {
    AlreadyReplaced(long snapshotId) {
      super("replaced already in snapshot " + snapshotId, null, false, false);
    }
  }

  static Long find(TableMetadata metadata, String key, String value) {
    if (metadata == null) {
      return null;
    }
    for (Snapshot s : metadata.snapshots()) {
      if (s.summary() != null && value.equals(s.summary().get(key))) {
        return s.snapshotId();
      }
    }
    return null;
  }

  @Override
  public void commit(TableMetadata base, TableMetadata metadata) {
    attempts++;
    beforeAttempt.accept(attempts);
    Long existing = find(base, key, value);
    if (existing != null) {
      throw new AlreadyCommitted(existing);
    }
    Long replaced = replaces == null ? null : find(base, FeedTables.SUMMARY_REPLACES, replaces);
    if (replaced != null) {
      throw new AlreadyReplaced(replaced);
    }
    try {
      delegate.commit(base, metadata);
    } catch (CommitFailedException overtaken) {
      conflicts++; // Iceberg retries it on the new table state
      throw overtaken;
    }
  }

  @Override
  public TableMetadata current() {
    return delegate.current();
  }

  @Override
  public TableMetadata refresh() {
    return delegate.refresh();
  }

  @Override
  public FileIO io() {
    return delegate.io();
  }

  @Override
  public EncryptionManager encryption() {
    return delegate.encryption();
  }

  @Override
  public String metadataFileLocation(String fileName) {
    return delegate.metadataFileLocation(fileName);
  }

  @Override
  public LocationProvider locationProvider() {
    return delegate.locationProvider();
  }

  @Override
  public TableOperations temp(TableMetadata uncommittedMetadata) {
    return delegate.temp(uncommittedMetadata);
  }

  @Override
  public long newSnapshotId() {
    return delegate.newSnapshotId();
  }

  @Override
  public boolean requireStrictCleanup() {
    return delegate.requireStrictCleanup();
  }
}
