package io.dataops.pipelines.plan;

import io.dataops.core.BadInputException;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.pipelines.definition.BoundPipeline;
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
  private final Increment increment;
  private final LocalFiles localFiles;

  /** The population table pinned, its files local (null: the pipeline names none). */
  private final PopulationTable.Pinned population;

  private RunPlan(BoundPipeline pipeline, RunIdentity identity, List<PinnedInput> inputs, List<RunStep> steps,
      Increment increment, LocalFiles localFiles, PopulationTable.Pinned population) {
    this.population = population;
    this.localFiles = localFiles;
    this.pipeline = pipeline;
    this.identity = identity;
    this.inputs = List.copyOf(inputs);
    this.steps = List.copyOf(steps);
    this.increment = increment;
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
   * its table's grant, its steps. In mode incremental the inputs are pinned to what was appended since the product's
   * current version ({@link Increment}). Refuses, before anything is read, an ods input the grants do not name, a
   * column an input lists that its grant does not, and a grant row filter that is not one boolean expression over the
   * table's columns in the pipelines' SQL subset (no subquery, table function, second statement, ...).
   *
   * @param grants the covering grant's tables (null: ungoverned, see above)
   */
  public static RunPlan of(BoundPipeline pipeline, KeyRing keys, String engine, Lakehouse lakehouse,
      List<ReadGrant> grants) {
    RunIdentity full = RunIdentity.of(pipeline, keys, engine);
    if (!pipeline.definition().incremental()) {
      return of(pipeline, full, lakehouse, null, grants);
    }
    Increment increment = Increment.of(lakehouse, pipeline);
    return of(pipeline, RunIdentity.of(pipeline, full.keys(), engine, increment.from()), lakehouse, increment, grants);
  }

  private static RunPlan of(BoundPipeline pipeline, RunIdentity identity, Lakehouse lakehouse, Increment increment,
      List<ReadGrant> grants) {
    List<PinnedInput> inputs = new ArrayList<>();
    for (BoundPipeline.BoundInput in : pipeline.inputs()) {
      inputs.add(PinnedInput.governed(lakehouse, in, grants, () -> increment == null ? PinnedInput.of(lakehouse, in)
          : PinnedInput.increment(lakehouse, in, increment.from().get(in.table().toString())),
          pipeline.definition()));
    }
    List<RunStep> steps = new ArrayList<>();
    for (RunStep s : RunStep.values()) {
      if (s != RunStep.PRIVACY_CLASSES || pipeline.privacy() != null) {
        steps.add(s);
      }
    }
    return new RunPlan(pipeline, identity, inputs, steps, increment, LocalFiles.of(lakehouse.io()),
        PopulationTable.pin(lakehouse, pipeline, grants));
  }

  /**
   * The pinned files of an input as DuckDB reads them (local paths; objects through the local cache), in the plan's
   * order; {@code reader} names who reads them in an error.
   */
  public List<String> localPaths(PinnedInput input, String reader) {
    return localFiles.paths(input.dataFiles(), reader);
  }

  /** Where an incremental run starts; null for a full run. */
  public Increment increment() {
    return increment;
  }

  public boolean incremental() {
    return increment != null;
  }

  /** Each input table → the snapshot an incremental run reads from (exclusive; absent: from the beginning). */
  public java.util.Map<String, Long> inputsFrom() {
    java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
    inputs.forEach(in -> {
      if (in.fromExclusive() != null) {
        out.put(in.input().table().toString(), in.fromExclusive());
      }
    });
    return out;
  }

  /** An incremental run that finds nothing appended to any input since the product's current version. */
  public boolean nothingNew() {
    return increment != null && increment.baseSnapshot() != null && inputs.stream().allMatch(PinnedInput::nothingNew);
  }

  /**
   * The plan of the run that made the product's current snapshot, when that run was interrupted after its commit and
   * before its version was recorded: the same pipeline, snapshots, keys and engine, so the same run key, whose publish
   * finds its commit and records it. Refused when the file or the engine has changed since (a different run would
   * append the same rows again).
   */
  public RunPlan redoBase(Lakehouse lakehouse) {
    if (increment == null || !increment.baseIncremental()) {
      throw new IllegalStateException("only an incremental run's base can be run again");
    }
    String engine = increment.base().get(Increment.SUMMARY_ENGINE);
    String sha = increment.base().get(Increment.SUMMARY_SHA256);
    if (!identity.engine().equals(engine) || !pipeline.definition().sha256().equals(sha)) {
      throw new io.dataops.core.BadInputException("the last run of product " + product() + " (on " + engine
          + ") was interrupted after its commit, before its version was recorded: run the same pipeline file on "
          + engine + " again to finish it first");
    }
    BoundPipeline base = pipeline.pinnedTo(increment.baseTo());
    org.apache.iceberg.Table table = lakehouse.load(Increment.productTable(pipeline));
    Long parentId = table.snapshot(increment.baseSnapshot()).parentId();
    Map<String, String> parentSummary = parentId == null ? Map.of() : table.snapshot(parentId).summary();
    Map<String, Long> from = increment.baseFrom();
    Increment parent = new Increment(parentId, parentSummary.get(Increment.SUMMARY_RUN_KEY), from, parentSummary);
    List<ReadGrant> grants = inputs.stream().map(PinnedInput::grant).filter(java.util.Objects::nonNull).toList();
    RunIdentity redo = RunIdentity.of(base, identity.keys(), identity.engine(), from);
    if (!redo.runKey().equals(increment.baseRunKey())
        && redo.withoutContext().runKey().equals(increment.baseRunKey())) {
      redo = redo.withoutContext(); // committed before the default pseudonym context entered run keys
    }
    return of(base, redo, lakehouse, parent, grants.isEmpty() ? null : grants);
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
    return new AnonymityCheck(p.k(), p.l(), p.sensitive(), p.weightColumn(), p.quasiIdentifiers(), p.added(),
        p.optimization(), p.closeness(), spillDir, memoryBudget).withRisk(p.riskThreshold(), population == null ? null
            : new PopulationTable(population, pipeline, spillDir.resolve("population-scan")));
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

  /** A leak check for this product over {@code filter}, built already (used, not copied). */
  public LeakCheck newLeakCheck(io.dataops.pipelines.privacy.LeakFilter filter) {
    RowPolicies policies = newRowFunction();
    return new LeakCheck(policies.productColumns(), policies.identifierShaped(), filter);
  }
}
