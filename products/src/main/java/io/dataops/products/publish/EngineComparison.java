package io.dataops.products.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.plan.TrialRun;
import io.dataops.products.registry.ProductVersion;
import io.dataops.products.registry.ProductVersion.Lineage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types.NestedField;

/**
 * Whether another engine made the same product as a published version, from the same input snapshots: an engine's
 * trial ({@link TrialRun}, nothing published) against the version's snapshot and lineage. Same means: the same rows as
 * multisets (streamed through {@link RowMultiset}, never collected), the same counts (rows in, out, suppressed, unfit
 * values), the same privacy report (k, classes, suppressed records, risks; not the bytes a merge spilled, which depend
 * on the engine's split) and the same leak check result (its counts per column).
 */
public final class EngineComparison {
  private static final ObjectMapper JSON = new ObjectMapper();

  private EngineComparison() {}

  /**
   * @param reference the published version and the engine that made it
   * @param engine the engine of the trial, at {@code parallelism}
   * @param rows the trial's product rows
   * @param k the privacy check's k (null without one)
   * @param differences what differs, by name and count only (empty when {@code matched})
   */
  public record Outcome(String product, int version, String reference, String engine, int parallelism, long rows,
      Integer k, boolean matched, List<String> differences, Map<String, Double> stepSeconds) {

    /** "flink (parallelism 2): 412 rows, k=5, same product as spring-batch's population-by-street v1". */
    public String describe() {
      String what = String.format("%s (parallelism %d): %,d rows%s", engine, parallelism, rows,
          k == null ? "" : ", k=" + k);
      return matched ? what + ", same product as " + reference + "'s " + product + " v" + version
          : what + ", NOT the product " + reference + " made (" + product + " v" + version + "): "
              + String.join("; ", differences);
    }
  }

  public static Outcome compare(Lakehouse lakehouse, BoundPipeline p, ProductVersion reference, TrialRun trial) {
    Lineage l = reference.lineage();
    List<String> differences = new ArrayList<>();
    if (!p.inputSnapshots().equals(l.inputs()) || l.incremental()) {
      differences.add("the version was made from other input snapshots " + l.inputs() + " (the trial read "
          + p.inputSnapshots() + ")");
    }
    differ(differences, "rows in", l.rowsIn(), trial.rowsIn());
    differ(differences, "rows out", l.rowsOut(), trial.rowsOut());
    differ(differences, "rows suppressed", l.rowsSuppressed(), trial.rowsSuppressed());
    differ(differences, "unfit values", l.unfitValues() == null ? Map.of() : l.unfitValues(), trial.unfitValues());
    differ(differences, "privacy report", withoutSpill(l.privacy()),
        withoutSpill(PipelineVersions.privacyRecord(p, trial.privacy())));
    differ(differences, "leak check", tree(l.leakCheck()), tree(PipelineVersions.leakSummary(trial.leak())));
    Table table = lakehouse.load(ProductTables.id(reference.product()));
    Snapshot snapshot = table.snapshot(reference.snapshotId());
    if (snapshot == null) {
      differences.add("the version's snapshot " + reference.snapshotId() + " is gone");
    } else {
      Schema schema = table.schemas().get(snapshot.schemaId());
      List<String> columns = schema.columns().stream().map(NestedField::name).toList();
      RowMultiset published = new RowMultiset(columns);
      RowMultiset tried = new RowMultiset(columns);
      try (CloseableIterable<Record> rows = IcebergGenerics.read(table).useSnapshot(snapshot.snapshotId()).build()) {
        rows.forEach(published::add);
        for (String file : trial.files()) {
          try (CloseableIterable<Record> fileRows = Parquet.read(table.io().newInputFile(file)).project(schema)
              .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(schema, fileSchema)).build()) {
            fileRows.forEach(tried::add);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the rows to compare", e);
      }
      if (!published.sameAs(tried)) {
        differences.add("product rows differ (" + published.rows() + " published, " + tried.rows()
            + " from the trial)");
      }
    }
    Integer k = trial.privacy() == null ? null : trial.privacy().k();
    return new Outcome(reference.product(), reference.version(), l.engine(), trial.engine(), trial.parallelism(),
        trial.rowsOut(), k, differences.isEmpty(), List.copyOf(differences), trial.stepSeconds());
  }

  private static void differ(List<String> differences, String what, Object reference, Object trial) {
    if (!Objects.equals(reference, trial)) {
      differences.add(what + " differ");
    }
  }

  /** The report as the registry keeps it (a JSON tree), without the bytes spilled. */
  private static JsonNode withoutSpill(Map<String, Object> privacy) {
    JsonNode t = tree(privacy);
    if (t instanceof ObjectNode o) {
      o.remove("spilledBytes");
    }
    return t;
  }

  /** A map as JSON reads it back, so numbers compare by value whatever type held them. */
  private static JsonNode tree(Map<String, Object> m) {
    try {
      return m == null ? null : JSON.readTree(JSON.writeValueAsString(m));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
