package io.dataops.platform.maintenance;

import io.dataops.lakehouse.maintenance.SnapshotPins;
import io.dataops.products.registry.ProductRegistry;
import io.dataops.products.registry.ProductVersion;
import io.dataops.products.registry.VersionState;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * What product versions and pipeline runs need kept, read once: every version not destroyed keeps its own snapshot
 * (a tag holds it too; this guards a version whose tag is missing), the newest such version of each incremental
 * product keeps the input snapshots it read up to, where the product's next run starts, and every run going on (or
 * stopped beating within the safety age: it may be paused) keeps the snapshots it reads ({@link io.dataops.pipelines.plan.RunPins}).
 */
public final class VersionPins implements SnapshotPins {
  private final Map<String, Set<Long>> byTable = new HashMap<>();

  /** @param runs table → snapshots of the runs going on ({@code RunPins.live}) */
  public VersionPins(ProductRegistry registry, Map<String, Set<Long>> runs) {
    runs.forEach((table, snapshots) -> snapshots.forEach(s -> pin(table, s)));
    List<ProductVersion> all = registry.list(null);
    Map<String, ProductVersion> newest = new HashMap<>();
    for (ProductVersion v : all) {
      if (v.state() == VersionState.DESTROYED || v.state() == VersionState.DESTROYING) {
        continue;
      }
      pin(v.table(), v.snapshotId());
      newest.merge(v.product(), v, (a, b) -> a.version() >= b.version() ? a : b);
    }
    for (ProductVersion v : newest.values()) {
      // Only an incremental product's (its versions say where each read from: empty for its first run) next run
      // starts there; a full product's next run reads the tables' current snapshots. Found by a probe: a full
      // product's old read point kept every later snapshot of its inputs, replaced feeds too, for good.
      if (v.lineage() != null && v.lineage().inputs() != null && v.lineage().inputsFrom() != null) {
        v.lineage().inputs().forEach(this::pin);
      }
    }
  }

  private void pin(String table, Long snapshot) {
    if (snapshot != null) {
      byTable.computeIfAbsent(TableIdentifier.parse(table).toString(), t -> new HashSet<>()).add(snapshot);
    }
  }

  @Override
  public Set<Long> pinned(TableIdentifier table) {
    return byTable.getOrDefault(table.toString(), Set.of());
  }
}
