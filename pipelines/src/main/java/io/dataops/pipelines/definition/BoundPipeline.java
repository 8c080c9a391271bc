package io.dataops.pipelines.definition;

import io.dataops.lakehouse.contract.PersonalData;
import io.dataops.lakehouse.types.ColumnType;
import io.dataops.pipelines.desensitize.ColumnPolicy;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * A pipeline checked against the lakehouse and ready to run: inputs pinned to snapshots, the SQL to run, every
 * output column typed and given its policy, the privacy check's effective quasi-identifiers. Both executors run from
 * this, so they read the same snapshots, run the same SQL and apply the same policies.
 */
public record BoundPipeline(
    PipelineDefinition definition,
    List<BoundInput> inputs,
    String sql,
    boolean aggregates,
    boolean joins,
    List<BoundColumn> columns,
    Privacy privacy,
    Path qualitySuite,
    LocalDate asOf,
    List<String> warnings) {

  /** An input pinned to one snapshot, with the types of the columns it reads and which of them are personal. */
  public record BoundInput(String alias, TableIdentifier table, long snapshotId, Map<String, ColumnType> columns,
      Map<String, Personal> personal, String filter) {}

  /** Why a column counts as personal data: declared in the feed contract, or detected in a sample of its values. */
  public record Personal(PersonalData kind, boolean declared, String reason) {}

  /**
   * One column of the transform's result. {@code policy} is what the product gets; {@code outputType} the type
   * after it. {@code personalSources} names the personal input columns whose values it carries.
   */
  public record BoundColumn(String name, ColumnType sqlType, ColumnPolicy policy, ColumnType outputType,
      List<SqlSubset.Source> lineage, List<String> personalSources, List<String> derivedFromPersonal, int line) {
    public boolean inProduct() {
      return policy.keepsColumn();
    }
  }

  /**
   * The privacy check as it will run: the declared quasi-identifiers plus those added because a policy keeps part of
   * a personal value or a column is computed from one (with why), less those the operator exempted (with the reason).
   */
  public record Privacy(int k, Integer l, String sensitive, String weightColumn, List<String> declared,
      Map<String, String> added, Map<String, String> exempted, Optimization optimization, Population population,
      double riskThreshold, io.dataops.pipelines.privacy.Closeness closeness) {

    /** Without t-closeness. */
    public Privacy(int k, Integer l, String sensitive, String weightColumn, List<String> declared,
        Map<String, String> added, Map<String, String> exempted, Optimization optimization, Population population,
        double riskThreshold) {
      this(k, l, sensitive, weightColumn, declared, added, exempted, optimization, population, riskThreshold, null);
    }

    /** Without the generalization search: small classes are suppressed, nothing is generalized. */
    public Privacy(int k, Integer l, String sensitive, String weightColumn, List<String> declared,
        Map<String, String> added, Map<String, String> exempted) {
      this(k, l, sensitive, weightColumn, declared, added, exempted, null);
    }

    /** No population table; the default risk threshold. */
    public Privacy(int k, Integer l, String sensitive, String weightColumn, List<String> declared,
        Map<String, String> added, Map<String, String> exempted, Optimization optimization) {
      this(k, l, sensitive, weightColumn, declared, added, exempted, optimization, null,
          PipelineDefinition.PrivacySpec.DEFAULT_RISK_THRESHOLD);
    }

    public List<String> quasiIdentifiers() {
      java.util.List<String> all = new java.util.ArrayList<>(declared);
      added.keySet().forEach(c -> {
        if (!all.contains(c)) {
          all.add(c);
        }
      });
      return List.copyOf(all);
    }

    /** The person column when classes count people ({@code personKey}), else null. */
    public String personKey() {
      return optimization == null ? null : optimization.personKey();
    }
  }

  /**
   * The population table of {@code privacy.population}, pinned to a snapshot: one row per person, with a column of
   * each quasi-identifier's name typed as the transform gives it ({@code columns}, in quasi-identifier order). The
   * journalist risk of a product record is 1 / the number of people of the population in its class.
   */
  public record Population(TableIdentifier table, long snapshotId, Map<String, ColumnType> columns) {}

  /**
   * The generalization search of {@code privacy.optimize}: the suppression limit, the column whose distinct values
   * are the people classes count (null: rows), and each quasi-identifier's hierarchy in
   * {@link Privacy#quasiIdentifiers} order.
   */
  public record Optimization(double suppressionLimit, String personKey,
      List<io.dataops.pipelines.privacy.lattice.Hierarchy> hierarchies) implements java.io.Serializable {
    public Optimization {
      hierarchies = List.copyOf(hierarchies);
    }
  }

  /** Each input table with the snapshot it is pinned to, in input order (the lineage a version records). */
  public Map<String, Long> inputSnapshots() {
    Map<String, Long> out = new java.util.LinkedHashMap<>();
    inputs.forEach(in -> out.put(in.table().toString(), in.snapshotId()));
    return out;
  }

  /** The same pipeline with its inputs pinned to other snapshots (table → snapshot; tables not named keep theirs). */
  public BoundPipeline pinnedTo(Map<String, Long> snapshots) {
    List<BoundInput> pinned = inputs.stream().map(in -> new BoundInput(in.alias(), in.table(),
        snapshots.getOrDefault(in.table().toString(), in.snapshotId()), in.columns(), in.personal(), in.filter()))
        .toList();
    return new BoundPipeline(definition, pinned, sql, aggregates, joins, columns, privacy, qualitySuite, asOf,
        warnings);
  }

  /** The product's columns (those not removed), in order. */
  public List<BoundColumn> productColumns() {
    return columns.stream().filter(BoundColumn::inProduct).toList();
  }
}
