package io.dataops.quality.run;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.QualityTables;
import io.dataops.lakehouse.maintenance.RowRemoval;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * What earlier checks of one feed recorded, removed before the check that completes its intake runs again. An intake
 * stopped after its quality run committed (killed, a full disk) but before the feedback is completed by sending the
 * feed again, which runs the check once more: without this, the feed's failing rows, metrics and analyzer states were
 * recorded twice, and the first run's rows belonged to no ticket (found by a probe).
 *
 * <p>A single-feed run saves its analyzer states (the row count's at least) before it commits its metrics and failing
 * rows, so the runs that recorded anything of the feed are the runs with states on its snapshot.
 */
public final class EarlierFeedChecks {
  private static final List<TableIdentifier> RECORDED = List.of(QualityTables.ROW_FAILURES, QualityTables.METRICS,
      QualityTables.ANALYZER_STATES);

  private EarlierFeedChecks() {}

  /** Removes every row the single-feed runs on {@code snapshot} of {@code table} recorded; returns those runs. */
  public static List<String> remove(Lakehouse lakehouse, String table, long snapshot) {
    if (!lakehouse.exists(QualityTables.ANALYZER_STATES)) {
      return List.of();
    }
    Set<String> runs = new TreeSet<>();
    try (CloseableIterable<Record> states = IcebergGenerics.read(lakehouse.load(QualityTables.ANALYZER_STATES))
        .where(Expressions.and(Expressions.equal("table_name", table), Expressions.equal("snapshot_id", snapshot)))
        .select("run_id").build()) {
      states.forEach(r -> runs.add((String) r.getField("run_id")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + QualityTables.ANALYZER_STATES, e);
    }
    if (runs.isEmpty()) {
      return List.of();
    }
    // Analyzer states last: they are how a run left unremoved by a kill in between is found again.
    Expression recordedBy = Expressions.and(Expressions.equal("table_name", table),
        Expressions.in("run_id", runs.toArray()));
    for (TableIdentifier recorded : RECORDED) {
      if (lakehouse.exists(recorded)) {
        Table t = lakehouse.load(recorded);
        RowRemoval.remove(t, recordedBy, "superseded");
      }
    }
    return List.copyOf(runs);
  }
}
