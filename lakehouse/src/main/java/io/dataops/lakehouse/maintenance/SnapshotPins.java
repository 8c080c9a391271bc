package io.dataops.lakehouse.maintenance;

import java.util.List;
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

  /** The pins of {@code table} with who holds each; by default {@link #pinned}'s, held by no one named. */
  default List<Pin> pins(TableIdentifier table) {
    return pinned(table).stream().map(s -> new Pin(s, "a reader", false)).toList();
  }

  /**
   * One pin.
   *
   * @param holder who needs the snapshot, as an operator reads it (e.g. "product citizens v2")
   * @param readPoint an incremental read point: it is read from only while the table has just gained rows since
   *     (RowsChanged), so after a snapshot that changed rows it keeps nothing
   */
  record Pin(long snapshotId, String holder, boolean readPoint) {}
}
