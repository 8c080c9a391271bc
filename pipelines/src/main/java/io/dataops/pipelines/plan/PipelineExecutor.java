package io.dataops.pipelines.plan;

import io.dataops.pipelines.run.PipelineRunResult;

/**
 * An engine that carries out run plans: Spring Batch (jobs/spring-batch), Apache Flink (jobs/flink). Both read the
 * pinned inputs, apply the plan's row function, count the privacy classes, test every value against the leak filter,
 * write the product's files, and publish the version through the products module; the same plan on the same
 * snapshots gives the same product on either engine. Engines are found through {@link Factory} (a
 * {@link java.util.ServiceLoader} service), so the platform names none of them.
 */
public interface PipelineExecutor {
  /** The engine's name, as {@code --engine} takes it. */
  String engine();

  /**
   * Runs the plan: a finished identical run is recognized (its version returned, nothing runs), an interrupted one
   * resumed. Throws {@link io.dataops.core.BadInputException} for what the user can fix (a failed gate, a leak, data
   * the transform cannot convert).
   */
  PipelineRunResult run(RunPlan plan, RunControl control);

  /**
   * The privacy check's first pass and verdict over the plan's inputs, writing nothing: the report a run would give
   * (with the generalization search: the chosen node, the frontier, the loss and the risks). For a full run's plan.
   */
  default io.dataops.pipelines.privacy.PrivacyReport privacy(RunPlan plan) {
    throw new io.dataops.core.BadInputException("the " + engine() + " engine cannot preview the privacy check: use "
        + "--engine spring-batch");
  }

  /**
   * Runs a full plan's steps up to the publish and publishes nothing: the product's files stay in the run's scratch
   * area until the caller closes the trial, no version is recorded, nothing of the product table changes. What another
   * engine's version is compared with ({@code products.publish.EngineComparison}). An engine without trials refuses.
   */
  default TrialRun trial(RunPlan plan, RunControl control) {
    throw new io.dataops.core.BadInputException("the " + engine() + " engine cannot run a trial (a run that "
        + "publishes nothing)");
  }

  /** Makes an engine's executor from the platform's environment. Registered in META-INF/services. */
  interface Factory {
    String engine();

    /** Lower first: the engine {@code --engine} defaults to. */
    default int priority() {
      return 100;
    }

    PipelineExecutor create(ExecutorEnvironment environment);

    /**
     * Starts loading, in the background, what this engine's first run in the process would load (a caller that will
     * run it soon, such as the demo, overlaps that with its other work); reads and writes no data. Nothing by default.
     */
    default void warmUp() {}

    /**
     * Refuses, with the pipeline file's name and line ({@link io.dataops.pipelines.definition.PipelineException}),
     * what this engine cannot run with the same meaning as every other engine; called when a pipeline is validated
     * for this engine and before it runs on it. Nothing by default.
     */
    default void validate(io.dataops.pipelines.definition.BoundPipeline pipeline) {}
  }
}
