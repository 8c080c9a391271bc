package io.dataops.platform.schedule;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.scheduler.embedded.FeedWatch;
import io.dataops.scheduler.embedded.Schedule;
import java.util.StringJoiner;
import java.util.TreeSet;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;

/** The current snapshot of each input table of a schedule, as {@code table@snapshot,...} (sorted). */
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
      out.add(name + "@" + (s == null ? "none" : s.snapshotId()));
    }
    return out.toString();
  }
}
