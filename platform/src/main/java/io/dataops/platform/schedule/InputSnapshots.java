package io.dataops.platform.schedule;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.maintenance.SameRows;
import io.dataops.scheduler.embedded.FeedWatch;
import io.dataops.scheduler.embedded.Schedule;
import java.util.StringJoiner;
import java.util.TreeSet;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The snapshot of each input table of a schedule that a pipeline run binds ({@link SameRows#asOf}), as
 * {@code table@snapshot,...} (sorted): a compaction's snapshot ({@code replace}) changes no row, so it is no new feed
 * (found by a probe: table maintenance started the pipelines scheduled on feed arrival, each to find its inputs
 * unchanged).
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
      Snapshot s = SameRows.asOf(t, t.currentSnapshot()); // the snapshot a pipeline run binds
      out.add(name + "@" + (s == null ? "none" : s.snapshotId()));
    }
    return out.toString();
  }
}
