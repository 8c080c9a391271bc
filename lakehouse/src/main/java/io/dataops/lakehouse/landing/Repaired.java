package io.dataops.lakehouse.landing;

import java.util.List;

/**
 * Quarantine rows a landing appended for earlier feeds whose process died between their ods and quarantine commits:
 * the quarantine snapshot it made last, the rows appended, and the feeds they belong to.
 */
public record Repaired(long quarantineSnapshotId, long rows, List<String> feedIds) {
  public Repaired {
    feedIds = List.copyOf(feedIds);
  }
}
