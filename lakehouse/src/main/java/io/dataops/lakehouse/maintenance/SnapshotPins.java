package io.dataops.lakehouse.maintenance;

import java.util.Set;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Snapshots of a table that readers outside the lakehouse still need (e.g. the input snapshots a product's next
 * incremental run reads from): maintenance keeps them and every later snapshot of the main branch, so a scan from
 * them to now still works. The lakehouse does not know who pins; the platform says.
 */
@FunctionalInterface
public interface SnapshotPins {
  SnapshotPins NONE = table -> Set.of();

  Set<Long> pinned(TableIdentifier table);
}
