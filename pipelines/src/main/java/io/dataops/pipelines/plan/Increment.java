package io.dataops.pipelines.plan;

import io.dataops.core.BadInputException;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.Zone;
import io.dataops.pipelines.definition.BoundPipeline;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Where an incremental run starts: the product table's current snapshot (its base: the one visible change the last
 * run made) and the input snapshots that run read up to, which this run reads from (exclusive). The base is read
 * from the product table itself, not from the version records, so that the rows a run appended and the point it
 * read up to are one commit: a run killed after it is found by the next, never read twice.
 *
 * @param baseSnapshot the product table's current snapshot (null: no version yet)
 * @param baseRunKey the run that made it (null: none, or made before run keys)
 * @param from each input table → the snapshot the base read up to (absent: read from the table's beginning)
 * @param base the base's snapshot summary (empty when there is no base)
 */
public record Increment(Long baseSnapshot, String baseRunKey, Map<String, Long> from, Map<String, String> base) {
  /** Snapshot summary properties an incremental run's commit carries (besides the run key and the inputs). */
  public static final String SUMMARY_MODE = "dataops.mode";
  public static final String SUMMARY_FROM = "dataops.increment.from";
  /** The snapshot properties the publish writes (products' {@code PipelineVersions}) that a base is read from. */
  public static final String SUMMARY_PIPELINE = "dataops.pipeline";
  public static final String SUMMARY_RUN_KEY = "dataops.run-key";
  public static final String SUMMARY_INPUTS = "dataops.inputs";
  public static final String SUMMARY_ENGINE = "dataops.engine";
  public static final String SUMMARY_SHA256 = "dataops.pipeline-sha256";

  public Increment {
    from = Collections.unmodifiableMap(new LinkedHashMap<>(from));
    base = Map.copyOf(base);
  }

  /** The product table as the products module names it ({@code product.<name with _>}). */
  static TableIdentifier productTable(BoundPipeline p) {
    return productTable(p.definition().product());
  }

  /** The table of the product named {@code product}. */
  public static TableIdentifier productTable(String product) {
    return TableIdentifier.of(Zone.PRODUCT.namespaceName(), product.replace('-', '_'));
  }

  /** The increment a run of {@code p} reads now: from the product's current snapshot on. */
  static Increment of(Lakehouse lakehouse, BoundPipeline p) {
    TableIdentifier id = productTable(p);
    Table table = lakehouse.exists(id) ? lakehouse.load(id) : null;
    Snapshot current = table == null ? null : table.currentSnapshot();
    if (current == null) {
      return new Increment(null, null, Map.of(), Map.of());
    }
    Map<String, String> summary = current.summary();
    String inputs = summary.get(SUMMARY_INPUTS);
    if (inputs == null) {
      throw new BadInputException("the current version of product " + p.definition().product() + " does not say "
          + "which input snapshots it read (snapshot " + current.snapshotId() + "): an incremental run cannot tell "
          + "where to start; run the pipeline in mode full once");
    }
    return new Increment(current.snapshotId(), summary.get(SUMMARY_RUN_KEY), parse(inputs), summary);
  }

  /** True when the base was made by an incremental run (its summary names what that run read from). */
  public boolean baseIncremental() {
    return "incremental".equals(base.get(SUMMARY_MODE));
  }

  /** The snapshots the base's own run read from (its increment), for running that run again. */
  Map<String, Long> baseFrom() {
    return parse(base.getOrDefault(SUMMARY_FROM, ""));
  }

  /** The snapshots the base's run read up to. */
  Map<String, Long> baseTo() {
    return parse(base.getOrDefault(SUMMARY_INPUTS, ""));
  }

  /**
   * {@code table=id} pairs, as {@link Map#toString()} writes them ({@code {a=1, b=2}}) or comma-separated; table names
   * have neither '=' nor ','.
   */
  static Map<String, Long> parse(String text) {
    Map<String, Long> out = new LinkedHashMap<>();
    String s = text.strip();
    if (s.startsWith("{") && s.endsWith("}")) {
      s = s.substring(1, s.length() - 1);
    }
    for (String pair : s.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      out.put(pair.substring(0, eq).strip(), Long.parseLong(pair.substring(eq + 1).strip()));
    }
    return out;
  }

  /** The form {@link #parse} reads, for a snapshot summary. */
  public static String format(Map<String, Long> snapshots) {
    StringBuilder b = new StringBuilder();
    snapshots.forEach((t, id) -> b.append(b.length() == 0 ? "" : ",").append(t).append('=').append(id));
    return b.toString();
  }
}
