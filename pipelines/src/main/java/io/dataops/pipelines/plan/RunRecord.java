package io.dataops.pipelines.plan;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.maintenance.SameRows;
import io.dataops.pipelines.definition.BoundPipeline.BoundInput;
import io.dataops.pipelines.definition.PipelineDefinition;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * What a run's folder says of its run, so that a later process can tell whether the run, once its process is gone,
 * can still publish: its product, key and job, whether it is incremental, the snapshot each input was pinned to and
 * which inputs the file asked for as "latest". Names and ids only, never a value.
 *
 * @param parameters the run's identifying values as its job records them ({@link RunIdentity#asParameters})
 * @param base for an incremental run, the product's snapshot it adds to (null: none, or a full run)
 * @param pinned each input table → the snapshot the run read
 * @param latest the input tables the pipeline file asked for as {@code snapshot: latest}
 */
public record RunRecord(String product, String runKey, String jobName, Map<String, String> parameters,
    boolean incremental, Long base, Map<String, Long> pinned, Set<String> latest) {
  private static final String PARAMETER = "parameter.";
  private static final String INPUT = "input.";

  public RunRecord {
    parameters = Map.copyOf(parameters);
    pinned = Map.copyOf(pinned);
    latest = Set.copyOf(latest);
  }

  public static RunRecord of(RunPlan plan) {
    Set<String> latestAliases = new TreeSet<>();
    for (PipelineDefinition.Input in : plan.pipeline().definition().inputs()) {
      if (in.latest()) {
        latestAliases.add(in.alias());
      }
    }
    Map<String, Long> pinned = new TreeMap<>();
    Set<String> latest = new TreeSet<>();
    for (BoundInput in : plan.pipeline().inputs()) {
      pinned.put(in.table().toString(), in.snapshotId());
      if (latestAliases.contains(in.alias())) {
        latest.add(in.table().toString());
      }
    }
    return new RunRecord(plan.pipeline().definition().product(), plan.runKey(), plan.identity().jobName(),
        plan.identity().asParameters(), plan.incremental(), plan.incremental() ? plan.increment().baseSnapshot() : null,
        pinned, latest);
  }

  /** This record as properties (added to {@code into}). */
  public Properties addTo(Properties into) {
    into.setProperty("product", product);
    into.setProperty("runKey", runKey);
    into.setProperty("job", jobName);
    into.setProperty("mode", incremental ? "incremental" : "full");
    into.setProperty("base", base == null ? "" : base.toString());
    parameters.forEach((k, v) -> into.setProperty(PARAMETER + k, v));
    pinned.forEach((t, s) -> into.setProperty(INPUT + t, Long.toString(s)));
    into.setProperty("latest", String.join(",", new TreeSet<>(latest)));
    return into;
  }

  /** The record {@link #addTo} wrote; empty for a folder of a version that wrote none (or not yet). */
  public static Optional<RunRecord> from(Properties p) {
    if (p.getProperty("runKey") == null || p.getProperty("product") == null || p.getProperty("job") == null) {
      return Optional.empty();
    }
    Map<String, String> parameters = new TreeMap<>();
    Map<String, Long> pinned = new TreeMap<>();
    for (String name : p.stringPropertyNames()) {
      if (name.startsWith(PARAMETER)) {
        parameters.put(name.substring(PARAMETER.length()), p.getProperty(name));
      } else if (name.startsWith(INPUT)) {
        pinned.put(name.substring(INPUT.length()), Long.parseLong(p.getProperty(name)));
      }
    }
    String latest = p.getProperty("latest", "");
    String base = p.getProperty("base", "");
    return Optional.of(new RunRecord(p.getProperty("product"), p.getProperty("runKey"), p.getProperty("job"),
        parameters, "incremental".equals(p.getProperty("mode")), base.isEmpty() ? null : Long.valueOf(base), pinned,
        latest.isEmpty() ? Set.of() : Set.of(latest.split(","))));
  }

  /**
   * Whether this run, its process gone, could still publish, now that {@code productNow} is its product's current
   * snapshot (null: none). Not an incremental one whose publish is conditional on a version no longer current (unless
   * that snapshot is its own commit, which the next run finishes); nor one whose key no run can make again: an input
   * the file asked for as "latest" has moved on since (the same file now pins the newer snapshot), or a snapshot it
   * pinned has expired (the run would be refused).
   */
  public boolean canStillPublish(Lakehouse lakehouse, Snapshot productNow) {
    if (incremental) {
      if (productNow != null && runKey.equals(productNow.summary().get(Increment.SUMMARY_RUN_KEY))) {
        return true;
      }
      if (!java.util.Objects.equals(base, productNow == null ? null : productNow.snapshotId())) {
        return false;
      }
    }
    for (Map.Entry<String, Long> in : pinned.entrySet()) {
      TableIdentifier id = TableIdentifier.parse(in.getKey());
      if (!lakehouse.exists(id)) {
        return false;
      }
      Table table = lakehouse.load(id);
      if (table.snapshot(in.getValue()) == null) {
        return false;
      }
      Snapshot now = SameRows.asOf(table, table.currentSnapshot());
      if (latest.contains(in.getKey()) && (now == null || now.snapshotId() != in.getValue())) {
        return false;
      }
    }
    return true;
  }
}
