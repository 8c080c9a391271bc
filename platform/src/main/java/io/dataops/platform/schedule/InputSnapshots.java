package io.dataops.platform.schedule;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.scheduler.embedded.FeedWatch;
import io.dataops.scheduler.embedded.Schedule;
import java.util.StringJoiner;
import java.util.TreeSet;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The newest snapshot of each input table of a schedule that changed its rows, as {@code table@snapshot,...}
 * (sorted): a compaction's or another rewrite's snapshot ({@code replace}) changes no row, so it is no new feed (found
 * by a probe: table maintenance started the pipelines scheduled on feed arrival, each to find its inputs unchanged).
 */
final class InputSnapshots implements FeedWatch {
  private final Lakehouse lakehouse;

  InputSnapshots(Lakehouse lakehouse) {
    this.lakehouse = lakehouse;
  }

  @Override
  public String fingerprint(Schedule schedule) {
    StringJoiner out = new StringJoiner(",");
    for (String name : new TreeSet<>(schedule.inputs())) {
      TableIdentifier id = TableIdentifier.parse(name);
      if (!lakehouse.exists(id)) {
        return null;
      }
      Table t = lakehouse.load(id);
      Snapshot s = t.currentSnapshot();
      while (s != null && DataOperations.REPLACE.equals(s.operation()) && s.parentId() != null
          && t.snapshot(s.parentId()) != null) {
        s = t.snapshot(s.parentId());
      }
      out.add(name + "@" + (s == null ? "none" : s.snapshotId()));
    }
    return out.toString();
  }
}
