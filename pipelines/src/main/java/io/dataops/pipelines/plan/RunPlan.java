package io.dataops.pipelines.plan;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.desensitize.KeyRing;
import io.dataops.pipelines.privacy.AnonymityCheck;
import io.dataops.pipelines.privacy.LeakCheck;
import io.dataops.pipelines.run.RowPolicies;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

  /** The plan of a bound pipeline on an engine: its identity, its inputs pinned to their files, its steps. */
  public static RunPlan of(BoundPipeline pipeline, KeyRing keys, String engine, Lakehouse lakehouse) {
    List<PinnedInput> inputs = new ArrayList<>();
    for (BoundPipeline.BoundInput in : pipeline.inputs()) {
      inputs.add(PinnedInput.of(lakehouse, in));
    }
    List<RunStep> steps = new ArrayList<>();
    for (RunStep s : RunStep.values()) {
      if (s != RunStep.PRIVACY_CLASSES || pipeline.privacy() != null) {
        steps.add(s);
      }
    }
    return new RunPlan(pipeline, RunIdentity.of(pipeline, keys, engine), inputs, steps);
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
