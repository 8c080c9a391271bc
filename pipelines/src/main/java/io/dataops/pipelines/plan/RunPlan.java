package io.dataops.pipelines.plan;

import io.dataops.core.BadInputException;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.definition.RowFilters;
import io.dataops.pipelines.desensitize.KeyRing;
import io.dataops.pipelines.privacy.AnonymityCheck;
import io.dataops.pipelines.privacy.LeakCheck;
import io.dataops.pipelines.run.RowPolicies;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A run as every engine carries it out: who it is ({@link RunIdentity}), what it reads ({@link PinnedInput}s), the
 * steps in their order, the row function (each column's policy, then the suppression of classes below k), and the
 * privacy check and leak check it must pass. An executor decides how to run the steps (chunks of a Spring Batch job,
 * operators of a Flink job), never what they mean.
 */
public final class RunPlan {
  private final BoundPipeline pipeline;
  private final RunIdentity identity;
  private final List<PinnedInput> inputs;
  private final List<RunStep> steps;

  private RunPlan(BoundPipeline pipeline, RunIdentity identity, List<PinnedInput> inputs, List<RunStep> steps) {
    this.pipeline = pipeline;
    this.identity = identity;
    this.inputs = List.copyOf(inputs);
    this.steps = List.copyOf(steps);
  }

  /**
   * The plan of a bound pipeline on an engine, ungoverned: no grant restricts its reads. Only for an engine's own
   * tests and tools; the platform plans every run under its grant ({@link #of(BoundPipeline, KeyRing, String,
   * Lakehouse, List)}).
   */
  public static RunPlan of(BoundPipeline pipeline, KeyRing keys, String engine, Lakehouse lakehouse) {
    return of(pipeline, keys, engine, lakehouse, null);
  }

  /**
   * The plan of a bound pipeline on an engine: its identity, its inputs pinned to their files, each ods input under
   * its table's grant, its steps. Refuses, before anything is read, an ods input the grants do not name, a column
   * an input lists that its grant does not, and a grant row filter that is not one boolean expression over the
   * table's columns in the pipelines' SQL subset (no subquery, table function, second statement, ...).
   *
   * @param grants the covering grant's tables (null: ungoverned, see above)
   */
  public static RunPlan of(BoundPipeline pipeline, KeyRing keys, String engine, Lakehouse lakehouse,
      List<ReadGrant> grants) {
    List<PinnedInput> inputs = new ArrayList<>();
    for (BoundPipeline.BoundInput in : pipeline.inputs()) {
      inputs.add(governed(lakehouse, in, grants));
    }
    List<RunStep> steps = new ArrayList<>();
    for (RunStep s : RunStep.values()) {
      if (s != RunStep.PRIVACY_CLASSES || pipeline.privacy() != null) {
        steps.add(s);
      }
    }
    return new RunPlan(pipeline, RunIdentity.of(pipeline, keys, engine), inputs, steps);
  }

  private static PinnedInput governed(Lakehouse lakehouse, BoundPipeline.BoundInput in, List<ReadGrant> grants) {
    boolean ods = in.table().namespace().level(0).equals(io.dataops.lakehouse.catalog.Zone.ODS.namespaceName());
    if (grants == null || !ods) {
      return PinnedInput.of(lakehouse, in);
    }
    String table = in.table().toString();
    ReadGrant g = grants.stream().filter(x -> x.table().equals(table)).findFirst().orElseThrow(() ->
        new BadInputException("table " + table + " is not covered by the run's grant" + grants.stream()
            .map(x -> " " + x.grantId()).findFirst().orElse("") + ": the operator applies for it"));
    for (String column : in.columns().keySet()) {
      if (!g.columns().contains(column)) {
        throw new BadInputException("column '" + column + "' of " + table + " is not granted by grant " + g.grantId()
            + " (granted: " + String.join(", ", g.columns()) + ")");
      }
    }
    Map<String, BoundPipeline.ColumnType> filterColumns = Map.of();
    if (g.rowFilter() != null) {
      try {
        filterColumns = RowFilters.check(lakehouse, in.table(), g.rowFilter(), "grant " + g.grantId(), 0);
      } catch (BadInputException e) {
        throw new BadInputException("the row filter of grant " + g.grantId() + " on " + table + " is refused, nothing"
            + " was read: " + e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
      }
    }
    return PinnedInput.of(lakehouse, in).under(g, filterColumns);
  }

  /** The grant the run reads under (null: ungoverned, or no input is an ods table). */
  public Long grantId() {
    return inputs.stream().filter(i -> i.grant() != null).map(i -> i.grant().grantId()).findFirst().orElse(null);
  }

  public BoundPipeline pipeline() {
    return pipeline;
  }

  public RunIdentity identity() {
    return identity;
  }

  /** Shorthand for {@code identity().runKey()}. */
  public String runKey() {
    return identity.runKey();
  }

  public List<PinnedInput> inputs() {
    return inputs;
  }

  /** The pinned input of a bound input (by alias). */
  public PinnedInput input(BoundPipeline.BoundInput in) {
    return inputs.stream().filter(p -> p.input().alias().equals(in.alias())).findFirst().orElseThrow();
  }

  public List<RunStep> steps() {
    return steps;
  }

  public String product() {
    return pipeline.definition().product();
  }

  /** The row function: a fresh one per worker (it counts values its policies could not apply to). */
  public RowPolicies newRowFunction() {
    return new RowPolicies(pipeline);
  }

  /** The privacy check's first pass, or null when the pipeline declares no privacy. */
  public AnonymityCheck newAnonymityCheck(Path spillDir, long memoryBudget) {
    BoundPipeline.Privacy p = pipeline.privacy();
    if (p == null) {
      return null;
    }
    return new AnonymityCheck(p.k(), p.l(), p.sensitive(), p.weightColumn(), p.quasiIdentifiers(), p.added(), spillDir,
        memoryBudget);
  }

  /** How many raw personal values the leak filter will hold: the inputs' rows times their personal columns. */
  public long expectedRawValues() {
    long n = 0;
    for (PinnedInput in : inputs) {
      n += in.rows() * in.input().personal().size();
    }
    return n;
  }

  /** An empty leak check for this product (its filter sized for the raw values to come). */
  public LeakCheck newLeakCheck(long memoryBudget) {
    RowPolicies policies = newRowFunction();
    return new LeakCheck(policies.productColumns(), policies.identifierShaped(), expectedRawValues(), memoryBudget);
  }
}
