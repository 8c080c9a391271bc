package io.dataops.lakehouse.maintenance;

import io.dataops.lakehouse.table.RowsChanged;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * Expires snapshots by the retention policy, choosing each snapshot itself rather than leaving it to Iceberg's
 * age defaults: every tag (product versions) and branch head is kept, the main branch keeps its newest
 * {@code keepLast} and everything younger than the maximum age, a pinned snapshot keeps itself and the main branch
 * after it — except an incremental read point that rows changed after ({@link RowsChanged}: the run it waits for is
 * refused, so it would keep a replaced feed's rows for good); a snapshot no branch or tag reaches (a staged publish
 * whose quality gate failed) goes once it is older than the safety age. Iceberg then deletes the files only expired
 * snapshots reached. The pins that kept what the policy alone would expire are reported, with who holds them.
 */
final class SnapshotExpiry {
  private SnapshotExpiry() {}

  static TableReport.Expiry expire(Table table, MaintenancePolicy policy, List<SnapshotPins.Pin> pins, long now) {
    table.refresh();
    Map<Long, List<String>> pinned = new LinkedHashMap<>();
    for (SnapshotPins.Pin p : pins) {
      boolean passed = p.readPoint() && table.currentSnapshot() != null
          && RowsChanged.since(table, p.snapshotId(), table.currentSnapshot().snapshotId()).isPresent();
      if (!passed) {
        pinned.computeIfAbsent(p.snapshotId(), s -> new ArrayList<>()).add(p.holder());
      }
    }
    Set<Long> keep = new HashSet<>();
    Set<Long> onBranches = new HashSet<>();
    for (Map.Entry<String, SnapshotRef> ref : table.refs().entrySet()) {
      keep.add(ref.getValue().snapshotId());
      if (ref.getValue().isBranch() && !ref.getKey().equals(SnapshotRef.MAIN_BRANCH)) {
        // Branches other than main are not ours to trim: keep their whole history.
        for (Snapshot s : SnapshotUtil.ancestorsOf(ref.getValue().snapshotId(), table::snapshot)) {
          keep.add(s.snapshotId());
          onBranches.add(s.snapshotId());
        }
      }
    }
    long ageCutoff = now - policy.maxSnapshotAge().toMillis();
    long safetyCutoff = now - policy.safetyAge().toMillis();
    List<Snapshot> main = new ArrayList<>();
    if (table.currentSnapshot() != null) {
      SnapshotUtil.ancestorsOf(table.currentSnapshot().snapshotId(), table::snapshot).forEach(main::add);
    }
    int oldestPinned = -1;
    for (int i = 0; i < main.size(); i++) {
      if (pinned.containsKey(main.get(i).snapshotId())) {
        oldestPinned = i;
      }
    }
    // Main is newest first: a pin at i keeps beyond the policy when some snapshot from i on to the newest is one the
    // policy alone would expire.
    int newestBeyondPolicy = Integer.MAX_VALUE;
    List<TableReport.KeptFor> keptFor = new ArrayList<>();
    for (int i = 0; i < main.size(); i++) {
      Snapshot s = main.get(i);
      onBranches.add(s.snapshotId());
      boolean byPolicy = i < policy.keepLast() || s.timestampMillis() >= ageCutoff || keep.contains(s.snapshotId());
      if (!byPolicy) {
        newestBeyondPolicy = Math.min(newestBeyondPolicy, i);
      }
      if (byPolicy || i <= oldestPinned) {
        keep.add(s.snapshotId());
      }
      if (i >= newestBeyondPolicy && pinned.containsKey(s.snapshotId())) {
        pinned.get(s.snapshotId()).forEach(h -> keptFor.add(new TableReport.KeptFor(s.snapshotId(), h)));
      }
    }
    List<Long> expired = new ArrayList<>();
    for (Snapshot s : table.snapshots()) {
      long id = s.snapshotId();
      if (keep.contains(id)) {
        continue;
      }
      boolean unreferenced = !onBranches.contains(id);
      if (unreferenced && pinned.containsKey(id) && s.timestampMillis() < safetyCutoff) {
        pinned.get(id).forEach(h -> keptFor.add(new TableReport.KeptFor(id, h)));
      }
      if (unreferenced && (pinned.containsKey(id) || s.timestampMillis() >= safetyCutoff)) {
        continue;
      }
      expired.add(id);
    }
    if (expired.isEmpty()) {
      return new TableReport.Expiry(List.of(), keep.size() + countOthers(table, keep), 0, keptFor);
    }
    AtomicInteger deleted = new AtomicInteger();
    // expireOlderThan(0): Iceberg's own age rule (5 days by default) must not add snapshots of its choosing.
    var expire = table.expireSnapshots().expireOlderThan(0L).cleanExpiredFiles(true)
        .deleteWith(location -> {
          table.io().deleteFile(location);
          deleted.incrementAndGet();
        });
    expired.forEach(expire::expireSnapshotId);
    expire.commit();
    table.refresh();
    int kept = 0;
    for (Snapshot ignored : table.snapshots()) {
      kept++;
    }
    return new TableReport.Expiry(expired, kept, deleted.get(), keptFor);
  }

  private static int countOthers(Table table, Set<Long> keep) {
    int n = 0;
    for (Snapshot s : table.snapshots()) {
      if (!keep.contains(s.snapshotId())) {
        n++;
      }
    }
    return n;
  }
}
