package io.dataops.platform.maintenance;

import io.dataops.lakehouse.maintenance.SnapshotPins;
import io.dataops.products.registry.ProductRegistry;
import io.dataops.products.registry.ProductVersion;
import io.dataops.products.registry.VersionState;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * What product versions and pipeline runs need kept, read once: every version not destroyed keeps its own snapshot
 * (a tag holds it too; this guards a version whose tag is missing), the newest such version of each incremental
 * product keeps the input snapshots it read up to, where the product's next run starts, and every run going on (or
 * stopped beating within the safety age: it may be paused) keeps the snapshots it reads ({@link io.dataops.pipelines.plan.RunPins}).
 * Each pin names its holder, for the maintenance report; an incremental read point is marked as one, so that it stops
 * keeping snapshots once rows of its table changed after it (that run is refused then: it goes on in mode full).
 */
public final class VersionPins implements SnapshotPins {
  private final Map<String, Set<Pin>> byTable = new HashMap<>();

  /** @param runs table → snapshots of the runs going on ({@code RunPins.live}) */
  public VersionPins(ProductRegistry registry, Map<String, Set<Long>> runs) {
    runs.forEach((table, snapshots) -> snapshots.forEach(s -> pin(table, s, "a pipeline or quality run in flight",
        false)));
    List<ProductVersion> all = registry.list(null);
    Map<String, ProductVersion> newest = new HashMap<>();
    for (ProductVersion v : all) {
      if (v.state() == VersionState.DESTROYED || v.state() == VersionState.DESTROYING) {
        continue;
      }
      pin(v.table(), v.snapshotId(), "product " + v.product() + " v" + v.version(), false);
      newest.merge(v.product(), v, (a, b) -> a.version() >= b.version() ? a : b);
    }
    for (ProductVersion v : newest.values()) {
      // Only an incremental product's (its versions say where each read from: empty for its first run) next run
      // starts there; a full product's next run reads the tables' current snapshots. Found by a probe: a full
      // product's old read point kept every later snapshot of its inputs, replaced feeds too, for good.
      if (v.lineage() != null && v.lineage().inputs() != null && v.lineage().inputsFrom() != null) {
        v.lineage().inputs().forEach((table, s) -> pin(table, s, "product " + v.product() + " v" + v.version()
            + " (its next incremental run reads from here)", true));
      }
    }
  }

  private void pin(String table, Long snapshot, String holder, boolean readPoint) {
    if (snapshot != null) {
      byTable.computeIfAbsent(TableIdentifier.parse(table).toString(), t -> new LinkedHashSet<>())
          .add(new Pin(snapshot, holder, readPoint));
    }
  }

  @Override
  public Set<Long> pinned(TableIdentifier table) {
    Set<Long> out = new HashSet<>();
    pins(table).forEach(p -> out.add(p.snapshotId()));
    return out;
  }

  @Override
  public List<Pin> pins(TableIdentifier table) {
    return List.copyOf(byTable.getOrDefault(table.toString(), Set.of()));
  }
}
