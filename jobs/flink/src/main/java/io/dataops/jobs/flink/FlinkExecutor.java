package io.dataops.jobs.flink;

import io.dataops.core.files.OwnerOnly;
import io.dataops.jobs.flink.run.FlinkRun;
import io.dataops.jobs.flink.sql.FlinkSql;
import io.dataops.jobs.flink.sql.FlinkTransform;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.desensitize.KeyRing;
import io.dataops.pipelines.plan.PipelineExecutor;
import io.dataops.pipelines.plan.RunControl;
import io.dataops.pipelines.plan.RunLock;
import io.dataops.pipelines.plan.RunPlan;
import io.dataops.pipelines.plan.TrialRun;
import io.dataops.pipelines.run.PipelineRunResult;
import io.dataops.products.publish.PipelineVersions;
import io.dataops.products.publish.ProductPublisher;
import io.dataops.products.registry.ProductVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Runs run plans on Apache Flink ({@code --engine flink}): in an in-process mini-cluster, or on a session cluster
 * when {@code flink.cluster} names its JobManager (each job then goes with the job jar). The transform runs as Flink
 * SQL with DuckDB's meaning ({@link FlinkSql}); the steps are the plan's, as {@link FlinkRun} carries them out.
 *
 * <p>Recognition: a run whose key already made a version (the registry's {@code byRunKey}) returns that version and
 * runs nothing. A run killed mid-way is simply run again: the key is the same, the publish completes whatever an
 * interrupted attempt of it left, and the next attempt removes the scratch and unpublished files of attempts whose
 * process is gone ({@code RunAttempts}).
 */
public final class FlinkExecutor implements PipelineExecutor {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FlinkExecutor.class);
  public static final String ENGINE = FlinkRun.ENGINE;

  private final Lakehouse lakehouse;
  private final ProductPublisher publisher;
  private final Path workRoot;
  private final FlinkSettings settings;

  public FlinkExecutor(Lakehouse lakehouse, ProductPublisher publisher, Path workRoot, FlinkSettings settings) {
    this.lakehouse = lakehouse;
    this.publisher = publisher;
    this.workRoot = workRoot;
    this.settings = settings;
  }

  @Override
  public String engine() {
    return ENGINE;
  }

  /** The plan of a bound pipeline on this engine. */
  public RunPlan plan(BoundPipeline p, KeyRing keys) {
    return RunPlan.of(p, keys, ENGINE, lakehouse);
  }

  @Override
  public PipelineRunResult run(RunPlan plan, RunControl control) {
    if (!ENGINE.equals(plan.identity().engine())) {
      throw new IllegalArgumentException("a plan for " + plan.identity().engine() + " given to " + ENGINE);
    }
    long started = System.nanoTime();
    plan = PipelineVersions.finishInterrupted(publisher, plan, lakehouse);
    Optional<PipelineRunResult> unchanged = PipelineVersions.nothingNew(publisher, plan, ENGINE, seconds(started));
    if (unchanged.isPresent()) {
      return unchanged.get();
    }
    BoundPipeline p = plan.pipeline();
    Optional<ProductVersion> done = publisher.registry().byRunKey(plan.runKey());
    if (done.isPresent()) {
      return PipelineVersions.result(done.get(), p, ENGINE, true, false, seconds(started), Map.of());
    }
    // One process at a time runs a run (a second one at once failed on its publish commit, its files left behind).
    Path lockFile = workRoot.resolve("flink-" + plan.runKey().substring(0, 16) + ".lock");
    RunLock lock;
    try {
      lock = RunLock.take(lockFile, lakehouse.config(), plan.runKey());
    } catch (IOException e) {
      throw new UncheckedIOException("the run's lock " + lockFile + " cannot be taken", e);
    }
    try {
      done = publisher.registry().byRunKey(plan.runKey()); // the holder before us may have just finished it
      if (done.isPresent()) {
        return PipelineVersions.result(done.get(), p, ENGINE, true, false, seconds(started), Map.of());
      }
      FlinkRun run = newRun(plan);
      run.execute(control.actor());
      // as recorded (the registry's JSON), as a recognized run reads it
      ProductVersion v = publisher.registry().byRunKey(plan.runKey()).orElseThrow();
      control.progress().accept(v.lineage().rowsIn());
      try {
        run.removeStaleRuns(this::lockOf);
      } catch (RuntimeException e) {
        // the version is published: what is left stays for the next run of the product
        LOG.warn("what dead runs of product {} left could not be removed", p.definition().product(), e);
      }
      return PipelineVersions.result(v, p, ENGINE, false, false, seconds(started), run.stepSeconds());
    } finally {
      // However the run ended: a process that opened the file meanwhile finds the run done, or runs it anew.
      lock.closeRemoving();
    }
  }

  /** The lock of another run, for its leftovers to be removed; empty while a process runs it. */
  private Optional<RunLock> lockOf(io.dataops.pipelines.plan.RunRecord run) {
    Path file = workRoot.resolve("flink-" + run.runKey().substring(0, 16) + ".lock");
    try {
      return Optional.of(RunLock.take(file, lakehouse.config(), run.runKey()));
    } catch (io.dataops.core.BadInputException goingOn) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("the run's lock " + file + " cannot be taken", e);
    }
  }

  /** The plan's steps up to the publish, publishing nothing; the product's files stay until the trial is closed. */
  @Override
  public TrialRun trial(RunPlan plan, RunControl control) {
    if (!ENGINE.equals(plan.identity().engine())) {
      throw new IllegalArgumentException("a plan for " + plan.identity().engine() + " given to " + ENGINE);
    }
    TrialRun trial = newRun(plan).trial();
    control.progress().accept(trial.rowsIn());
    return trial;
  }

  private FlinkRun newRun(RunPlan plan) {
    FlinkTransform transform = FlinkSql.translate(plan); // the inputs' views under their grant's row filters
    Path workDir = workRoot.resolve("flink-" + plan.runKey().substring(0, 16) + "-" + ProcessHandle.current().pid());
    FlinkRun run = new FlinkRun(engine(workRoot), lakehouse, publisher, plan, transform, settings.parallelism(),
        settings.keysFile(), workDir, settings.privacyMemory(), settings.filterMemory());
    if (settings.failAfterRows() >= 0) {
      run.failOnceAfter(settings.failAfterRows());
    }
    return run;
  }

  private FlinkEngine engine(Path workRoot) {
    if (!settings.remote()) {
      return FlinkEngine.local();
    }
    try {
      OwnerOnly.directories(workRoot);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return FlinkEngine.remote(settings.clusterHost(), settings.clusterPort(), JobJar.write(workRoot.resolve(
        "flink-job.jar")));
  }

  private static double seconds(long started) {
    return (System.nanoTime() - started) / 1e9;
  }
}
