package io.dataops.pipelines.definition;

import io.dataops.lakehouse.contract.PersonalData;
import io.dataops.pipelines.desensitize.ColumnPolicy;
import io.dataops.pipelines.model.ValueType;
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

  /** A column's type: {@link ValueType} plus precision and scale for decimals (shipped to an engine's tasks). */
  public record ColumnType(ValueType type, int precision, int scale) implements java.io.Serializable {
    public static ColumnType of(ValueType t) {
      return new ColumnType(t, 0, 0);
    }

    /** The DuckDB spelling (the transform's engine in the Spring Batch executor). */
    public String sql() {
      return switch (type) {
        case STRING -> "VARCHAR";
        case INT -> "INTEGER";
        case LONG -> "BIGINT";
        case DOUBLE -> "DOUBLE";
        case DECIMAL -> "DECIMAL(" + precision + "," + scale + ")";
        case DATE -> "DATE";
        case TIMESTAMP -> "TIMESTAMP";
        case TIMESTAMPTZ -> "TIMESTAMP WITH TIME ZONE";
        case BOOLEAN -> "BOOLEAN";
      };
    }

    @Override
    public String toString() {
      return type == ValueType.DECIMAL ? "decimal(" + precision + "," + scale + ")" : type.spelling();
    }
  }

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
      Map<String, String> added, Map<String, String> exempted) {
    public List<String> quasiIdentifiers() {
      java.util.List<String> all = new java.util.ArrayList<>(declared);
      added.keySet().forEach(c -> {
        if (!all.contains(c)) {
          all.add(c);
        }
      });
      return List.copyOf(all);
    }
  }

  /** Each input table with the snapshot it is pinned to, in input order (the lineage a version records). */
  public Map<String, Long> inputSnapshots() {
    Map<String, Long> out = new java.util.LinkedHashMap<>();
    inputs.forEach(in -> out.put(in.table().toString(), in.snapshotId()));
    return out;
  }

  /** The product's columns (those not removed), in order. */
  public List<BoundColumn> productColumns() {
    return columns.stream().filter(BoundColumn::inProduct).toList();
  }
}
