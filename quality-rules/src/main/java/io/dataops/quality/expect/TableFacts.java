package io.dataops.quality.expect;

import io.dataops.lakehouse.catalog.Lakehouse;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types.NestedField;

/**
 * What expectations compile against: the table's name and schema at the snapshot being validated, its primary
 * key, which columns hold personal data, the lakehouse (for cross-table rules), the metric history of earlier
 * runs (for anomaly checks), whether the caller may read each other table the suite refers to ({@code reads},
 * asked before anything of that table is loaded), and the snapshot each such table is read at
 * ({@code referenceSnapshots}, by table name: the run's pins; a table not in it is read at its current snapshot).
 */
public record TableFacts(String table, Schema schema, Snapshot snapshot, List<String> primaryKey,
                         Map<String, String> personal, Lakehouse lakehouse, MetricHistory history,
                         ReferenceCheck reads, Map<String, Long> referenceSnapshots) {
  public TableFacts {
    referenceSnapshots = Map.copyOf(referenceSnapshots);
  }

  /** Facts whose other tables are read at their current snapshots (compiling only: nothing is read then). */
  public TableFacts(String table, Schema schema, Snapshot snapshot, List<String> primaryKey,
      Map<String, String> personal, Lakehouse lakehouse, MetricHistory history, ReferenceCheck reads) {
    this(table, schema, snapshot, primaryKey, personal, lakehouse, history, reads, Map.of());
  }

  /** Facts for a suite that may refer to no other table (none is readable without a caller's check). */
  public TableFacts(String table, Schema schema, Snapshot snapshot, List<String> primaryKey,
      Map<String, String> personal, Lakehouse lakehouse) {
    this(table, schema, snapshot, primaryKey, personal, lakehouse, MetricHistory.NONE, ReferenceCheck.NONE);
  }

  /**
   * The snapshot another table the suite refers to is read at: the one pinned for it, else its current one (null
   * when it has none). A pinned snapshot the table no longer has is bad input, as for the table validated.
   */
  public Snapshot referenceSnapshot(org.apache.iceberg.Table other, TableIdentifier id) {
    Long pinned = referenceSnapshots.get(id.toString());
    if (pinned == null) {
      return other.currentSnapshot();
    }
    Snapshot s = other.snapshot(pinned);
    if (s == null) {
      throw new io.dataops.core.BadInputException("table " + id + " has no snapshot " + pinned);
    }
    return s;
  }

  public boolean hasColumn(String name) {
    return schema.findField(name) != null;
  }

  public Type type(String column) {
    NestedField f = schema.findField(column);
    return f == null ? null : f.type();
  }

  /** Business columns: lineage columns (names starting with '_') left out. */
  public List<String> businessColumns() {
    return schema.columns().stream().map(NestedField::name).filter(n -> !n.startsWith("_")).toList();
  }
}
