package io.dataops.pipelines.plan;

import io.dataops.core.BadInputException;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.pipelines.definition.BoundPipeline.BoundInput;
import io.dataops.pipelines.definition.BoundPipeline.ColumnType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;

/**
 * An input as a run reads it: the bound input (table, alias, the columns its reader projects, its filter) pinned to
 * one snapshot, and that snapshot's data files sorted by location, so every read of them — by any engine, in any
 * attempt — sees the same rows in the same order.
 *
 * @param dataFiles the snapshot's data file locations (as the table's FileIO names them), sorted
 * @param rows the snapshot's record count
 * @param grant what the covering grant allows of the table (null: an ungoverned read, a table of another zone or
 *     an engine's own test)
 * @param grantFilterColumns the columns the grant's row filter reads, typed (a reader reads them to filter, whether
 *     the input lists them or not, and gives them to nothing else)
 */
public record PinnedInput(BoundInput input, List<String> dataFiles, long rows, ReadGrant grant,
    Map<String, ColumnType> grantFilterColumns) {

  public PinnedInput {
    dataFiles = List.copyOf(dataFiles);
    grantFilterColumns = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(grantFilterColumns));
  }

  /** The grant's row filter the reader applies (null: all rows). */
  public String grantFilter() {
    return grant == null ? null : grant.rowFilter();
  }

  /** The same input, read under a grant. */
  PinnedInput under(ReadGrant g, Map<String, ColumnType> filterColumns) {
    return new PinnedInput(input, dataFiles, rows, g, filterColumns);
  }

  /**
   * Pins an input to its snapshot. A snapshot with row-level delete files is refused on every engine: the Spring
   * Batch engine's DuckDB reads Parquet files directly and would not apply them, and both engines must give the same
   * product from the same snapshot.
   */
  public static PinnedInput of(Lakehouse lakehouse, BoundInput in) {
    Table table = lakehouse.load(in.table());
    Snapshot snapshot = table.snapshot(in.snapshotId());
    if (snapshot == null) {
      throw new BadInputException("table " + in.table() + " has no snapshot " + in.snapshotId());
    }
    List<String> files = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(in.snapshotId()).planFiles()) {
      for (FileScanTask t : tasks) {
        if (!t.deletes().isEmpty()) {
          throw new BadInputException("snapshot " + in.snapshotId() + " of " + in.table() + " has row-level deletes, "
              + "which pipelines do not read; rewrite the table's data files first");
        }
        files.add(t.file().location());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the files of " + in.table() + " @ " + in.snapshotId(), e);
    }
    files.sort(null);
    return new PinnedInput(in, files, Long.parseLong(snapshot.summary().getOrDefault("total-records", "0")), null,
        Map.of());
  }
}
