package io.dataops.pipelines.plan;

import io.dataops.core.BadInputException;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.table.RowsChanged;
import io.dataops.lakehouse.types.ColumnType;
import io.dataops.pipelines.definition.BoundPipeline.BoundInput;
import io.dataops.pipelines.definition.RowFilters;
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
 * attempt — sees the same rows in the same order. An incremental run reads only the files appended after
 * {@code fromExclusive} up to the bound snapshot (inclusive).
 *
 * @param fromExclusive the snapshot the product's last version read up to (null: from the table's beginning)
 * @param dataFiles the data file locations (as the table's FileIO names them), sorted
 * @param rows the record count of those files
 * @param grant what the covering grant allows of the table (null: an ungoverned read, a table of another zone or
 *     an engine's own test)
 * @param grantFilterColumns the columns the grant's row filter reads, typed (a reader reads them to filter, whether
 *     the input lists them or not, and gives them to nothing else)
 */
public record PinnedInput(BoundInput input, Long fromExclusive, List<String> dataFiles, long rows, ReadGrant grant,
    Map<String, ColumnType> grantFilterColumns) {
  /**
   * What a rebuild in mode full leaves (found by a probe: a product rebuilt as these messages said refused every later
   * incremental run): with privacy, an incremental run continues only from class counts that incremental runs keep.
   */
  public static final String AFTER_REBUILD = " (with privacy too: the full run keeps the class counts and suppressed "
      + "rows that incremental runs go on from)";

  public PinnedInput {
    dataFiles = List.copyOf(dataFiles);
    grantFilterColumns = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(grantFilterColumns));
  }

  /** An ungoverned input: no grant restricts its read. */
  public PinnedInput(BoundInput input, Long fromExclusive, List<String> dataFiles, long rows) {
    this(input, fromExclusive, dataFiles, rows, null, Map.of());
  }

  /** The grant's row filter the reader applies (null: all rows). */
  public String grantFilter() {
    return grant == null ? null : grant.rowFilter();
  }

  /** The same input, read under a grant. */
  PinnedInput under(ReadGrant g, Map<String, ColumnType> filterColumns) {
    return new PinnedInput(input, fromExclusive, dataFiles, rows, g, filterColumns);
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
      collect(in, tasks, files);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the files of " + in.table() + " @ " + in.snapshotId(), e);
    }
    return new PinnedInput(in, null, files, Long.parseLong(snapshot.summary().getOrDefault("total-records", "0")));
  }

  /**
   * Pins an input to the data files appended after {@code fromExclusive} up to its snapshot (Iceberg's incremental
   * append scan); null {@code fromExclusive} takes the whole snapshot. Snapshots in between that overwrote or deleted
   * rows are refused, naming the table and the snapshot: the rows they changed are already in the product, and an
   * increment cannot take them back. Snapshots that only rewrote files (table maintenance) change no row and are
   * passed over.
   */
  public static PinnedInput increment(Lakehouse lakehouse, BoundInput in, Long fromExclusive) {
    if (fromExclusive == null) {
      return of(lakehouse, in);
    }
    Table table = lakehouse.load(in.table());
    long to = in.snapshotId();
    if (table.snapshot(to) == null) {
      throw new BadInputException("table " + in.table() + " has no snapshot " + to);
    }
    if (fromExclusive == to) {
      return new PinnedInput(in, fromExclusive, List.of(), 0);
    }
    RowsChanged changed = RowsChanged.since(table, fromExclusive, to).orElse(null);
    if (changed != null) {
      throw new BadInputException("table " + in.table() + ": " + switch (changed.kind()) {
        case NOT_IN_HISTORY -> "snapshot " + fromExclusive + ", which the product's last version read up to, is not "
            + "in the history of snapshot " + to + " (the table was rolled back or rewritten): run the pipeline in "
            + "mode full to rebuild the product";
        case CHANGED -> "snapshot " + changed.snapshotId() + " (" + changed.operation() + ") changed or removed rows "
            + "since snapshot " + fromExclusive + ", which the product's last version read up to; an incremental "
            + "run adds appended rows only: run the pipeline in mode full to rebuild the product";
        // Maintenance lets the newest version's read point go once rows changed after it (RowsChanged again), and
        // the change itself may be expired by now; an older version's read point was never kept.
        case EXPIRED -> "snapshot " + fromExclusive + ", which the product's last version read up to, was expired "
            + "by table maintenance (a read point is kept only while its table just gains rows after it): an "
            + "incremental run cannot tell what was appended since; run the pipeline in mode full to rebuild the "
            + "product";
      } + AFTER_REBUILD);
    }
    List<String> files = new ArrayList<>();
    long rows = 0;
    try (CloseableIterable<FileScanTask> tasks = table.newIncrementalAppendScan().fromSnapshotExclusive(fromExclusive)
        .toSnapshot(to).planFiles()) {
      rows = collect(in, tasks, files);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the files of " + in.table() + " @ " + to, e);
    }
    return new PinnedInput(in, fromExclusive, files, rows);
  }

  /** Adds the tasks' files, sorted; returns their records. */
  private static long collect(BoundInput in, CloseableIterable<FileScanTask> tasks, List<String> files) {
    long rows = 0;
    for (FileScanTask t : tasks) {
      rows += t.file().recordCount();
      if (!t.deletes().isEmpty()) {
        throw new BadInputException("snapshot " + in.snapshotId() + " of " + in.table() + " has row-level deletes, "
            + "which pipelines do not read; rewrite the table's data files first");
      }
      files.add(t.file().location());
    }
    files.sort(null);
    return rows;
  }

  /** True when an incremental run finds nothing appended to this input. */
  public boolean nothingNew() {
    return fromExclusive != null && fromExclusive == input.snapshotId();
  }

  /**
   * The input pinned under the grant that covers its table ({@code pin}: its files are listed only once the grant
   * allows the read): refused when the grant lacks the table or one of its columns, or its row filter cannot be read;
   * ungoverned when {@code grants} is null or the table is not of the ods zone.
   */
  public static PinnedInput governed(Lakehouse lakehouse, BoundInput in, List<ReadGrant> grants,
      java.util.function.Supplier<PinnedInput> pin) {
    return governed(lakehouse, in, grants, pin, null);
  }

  /**
   * As above; a refusal of the table or a column names {@code file} and the line of the input (its columns' line for
   * a column; the privacy population's line for the population), as the file's other refusals do (null: neither).
   */
  public static PinnedInput governed(Lakehouse lakehouse, BoundInput in, List<ReadGrant> grants,
      java.util.function.Supplier<PinnedInput> pin, io.dataops.pipelines.definition.PipelineDefinition file) {
    boolean ods = in.table().namespace().level(0).equals(io.dataops.lakehouse.catalog.Zone.ODS.namespaceName());
    if (grants == null || !ods) {
      return pin.get();
    }
    String table = in.table().toString();
    ReadGrant g = grants.stream().filter(x -> x.table().equals(table)).findFirst().orElseThrow(() ->
        refused(file, table, false, "table " + table + " is not covered by the run's grant" + grants.stream()
            .map(x -> " " + x.grantId()).findFirst().orElse("") + ": the operator applies for it"));
    for (String column : in.columns().keySet()) {
      if (!g.columns().contains(column)) {
        throw refused(file, table, true, "column '" + column + "' of " + table + " is not granted by grant "
            + g.grantId() + " (granted: " + String.join(", ", g.columns()) + ")");
      }
    }
    Map<String, ColumnType> filterColumns = Map.of();
    if (g.rowFilter() != null) {
      try {
        filterColumns = RowFilters.check(lakehouse, in.table(), g.rowFilter(), "grant " + g.grantId(), 0);
      } catch (BadInputException e) {
        throw new BadInputException("the row filter of grant " + g.grantId() + " on " + table + " is refused, nothing"
            + " was read: " + e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
      }
    }
    return pin.get().under(g, filterColumns);
  }

  /** {@code problem} at the line of {@code file} that reads {@code table} (or without a file when there is none). */
  private static BadInputException refused(io.dataops.pipelines.definition.PipelineDefinition file, String table,
      boolean column, String problem) {
    if (file == null) {
      return new BadInputException(problem);
    }
    return new io.dataops.pipelines.definition.PipelineException(file.source(), file.readLine(table, column),
        problem);
  }
}
