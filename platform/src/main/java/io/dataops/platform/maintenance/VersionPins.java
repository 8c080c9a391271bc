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
 * What product versions need kept, read from the registry once: every version not destroyed keeps its own snapshot
 * (a tag holds it too; this guards a version whose tag is missing), and the newest such version of each product keeps
 * the input snapshots it read up to, where the product's next incremental run starts.
 */
public final class VersionPins implements SnapshotPins {
  private final Map<String, Set<Long>> byTable = new HashMap<>();

  public VersionPins(ProductRegistry registry) {
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
      if (v.lineage() != null && v.lineage().inputs() != null) {
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
