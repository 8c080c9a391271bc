package io.dataops.jobs.batch;

import io.dataops.core.digest.Digests;
import io.dataops.core.BadInputException;
import io.dataops.core.StorageFullException;
import io.dataops.core.files.OwnerOnly;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.desensitize.KeyRing;
import io.dataops.pipelines.run.PipelineRunResult;
import io.dataops.products.registry.ProductVersion;
import io.dataops.pipelines.plan.PipelineExecutor;
import io.dataops.pipelines.plan.RunControl;
import io.dataops.pipelines.plan.RunLock;
import io.dataops.pipelines.plan.RunPlan;
import io.dataops.pipelines.plan.RunRecord;
import io.dataops.pipelines.plan.RunStep;
import io.dataops.products.publish.ProductPublisher;
import io.dataops.products.publish.PipelineVersions;
import io.dataops.products.publish.PublishVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.builder.FlowBuilder;
import org.springframework.batch.core.job.flow.Flow;
import org.springframework.batch.core.job.flow.support.SimpleFlow;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a bound pipeline as a Spring Batch job: prepare, then at once the privacy classes (when the pipeline declares
 * privacy) and the leak check's filter of raw personal values, write the product's files (chunk-oriented,
 * restartable; each row tested against the filter as it is written), leak check (read-back of files an interrupted
 * process wrote, confirmation), publish (one Iceberg commit, then the draft version record). The job instance is the
 * run: its identifying parameters are the pipeline file's hash, the pinned input snapshots, the fingerprints of the
 * keys its policies use and the engine. Running the same command again
 * <ul>
 *   <li>after success is recognized: the version it made is returned, nothing runs;</li>
 *   <li>after a failure or a kill restarts the job where it stopped (a killed attempt is first marked failed, once its
 *       process is gone), giving the product the first attempt would have given;</li>
 *   <li>after a failure on the input data ({@link InputDataException}) says why again: that run is abandoned.</li>
 * </ul>
 */
public final class SpringBatchExecutor implements PipelineExecutor {
  public static final String ENGINE = "spring-batch";
  private static final Logger LOG = LoggerFactory.getLogger(SpringBatchExecutor.class);
  /** The run's record in its folder ({@link RunRecord}), for a later run of its product to judge it by. */
  static final String RECORD = "run.properties";
  /** The exit code of a run abandoned because it failed on its input data. */
  static final String REFUSED = "REFUSED";

  private final Lakehouse lakehouse;
  private final BatchInfrastructure batch;
  private final ProductPublisher publisher;
  private final KeyRing keys;
  private final Path workRoot;
  private final RunSettings settings;

  public SpringBatchExecutor(Lakehouse lakehouse, BatchInfrastructure batch, ProductPublisher publisher, KeyRing keys,
      Path workRoot, RunSettings settings) {
    this.lakehouse = lakehouse;
    this.batch = batch;
    this.publisher = publisher;
    this.keys = keys;
    this.workRoot = workRoot;
    this.settings = settings;
  }

  /** The privacy pass of {@link PrivacyClassesTasklet} alone, in a folder of its own that is removed after. */
  @Override
  public io.dataops.pipelines.privacy.PrivacyReport privacy(RunPlan plan) {
    if (plan.pipeline().privacy() == null) {
      throw new BadInputException("pipeline " + plan.pipeline().definition().name() + " declares no privacy");
    }
    if (plan.incremental()) {
      throw new BadInputException("the privacy preview is of a full run: pipeline " + plan.pipeline().definition()
          .name() + " is incremental (its classes are judged with the product's saved counts when it runs)");
    }
    Path dir = workRoot.resolve("privacy-" + java.util.UUID.randomUUID());
    io.dataops.pipelines.run.RowPolicies policies = plan.newRowFunction();
    try (DuckTransform transform = new DuckTransform(plan, dir.resolve("duck"), settings.duckMemoryLimit(),
        settings.duckThreads());
        io.dataops.pipelines.privacy.AnonymityCheck check = plan.newAnonymityCheck(dir.resolve("classes"),
            settings.privacyMemory())) {
      transform.openColumns(plan.pipeline(), policies.privacySqlColumns());
      for (Object[] row = transform.next(); row != null; row = transform.next()) {
        Object[] product = policies.applyForPrivacy(row);
        check.add(policies.quasiIdentifiers(product), policies.sensitive(product), policies.weight(product),
            policies.person(product));
      }
      return check.finish().report();
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException ignored) {
        // nothing was written, or the work folder is removed with the run's others
      }
    }
  }

  @Override
  public String engine() {
    return ENGINE;
  }

  /** The plan of a bound pipeline on this engine. */
  public RunPlan plan(BoundPipeline p) {
    return RunPlan.of(p, keys, ENGINE, lakehouse);
  }

  @Override
  public PipelineRunResult run(RunPlan plan, RunControl control) {
    if (!ENGINE.equals(plan.identity().engine())) {
      throw new IllegalArgumentException("a plan for " + plan.identity().engine() + " given to " + ENGINE);
    }
    long started = System.nanoTime();
    plan = PipelineVersions.finishInterrupted(publisher, plan, lakehouse);
    Optional<PipelineRunResult> unchanged = PipelineVersions.nothingNew(publisher, plan, ENGINE, 0);
    if (unchanged.isPresent()) {
      return unchanged.get();
    }
    BoundPipeline p = plan.pipeline();
    JobParameters params = parameters(plan);
    String jobName = plan.identity().jobName();
    String runKey = plan.runKey();
    Path workDir = workRoot.resolve("pipeline-" + runKey.substring(0, 16));
    JobRepository repo = batch.jobRepository();
    RunState run = new RunState(lakehouse, plan, workDir, settings, repo);
    run.progress = control.progress();
    run.actor = control.actor();
    Job job = job(jobName, run);
    batch.register(job);

    RunRecord record = RunRecord.of(plan);
    try (RunLock owner = RunLock.take(workDir.resolve("owner"), lakehouse.config(), runKey)) {
      OwnerOnly.writeString(workDir.resolve(RECORD), properties(record));
      PipelineRunResult result = runOwned(p, params, jobName, runKey, workDir, repo, run, job, started);
      if (!result.recognized()) {
        removeStale(record, workDir);
      }
      return result;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("the run's folder " + workDir + " cannot be used", e);
    }
  }

  /** The run itself, while this process holds its lock ({@link RunLock}). */
  private PipelineRunResult runOwned(BoundPipeline p, JobParameters params, String jobName, String runKey,
      Path workDir, JobRepository repo, RunState run, Job job, long started) {
    JobInstance instance = repo.getJobInstance(jobName, params);
    JobExecution execution;
    boolean restarted = false;
    try {
      if (instance != null) {
        JobExecution last = repo.getLastJobExecution(instance);
        if (last != null && last.getStatus() == BatchStatus.COMPLETED) {
          ProductVersion v = publisher.registry().byRunKey(runKey).orElseThrow(() -> new IllegalStateException("run " + runKey
              + " completed but recorded no product version"));
          deleteQuietly(workDir); // its lock and record: nothing resumes a finished run
          return result(v, p, true, false, started, Map.of());
        }
        if (last != null && last.getStatus() == BatchStatus.ABANDONED && REFUSED.equals(last.getExitStatus()
            .getExitCode())) {
          deleteQuietly(workDir);
          throw new InputDataException(last.getExitStatus().getExitDescription());
        }
        if (last != null && last.getStatus().isRunning()) {
          // This process holds the run's lock, so the process that ran it is gone: mark it failed to restart it.
          last = batch.jobOperator().recover(last);
        }
        execution = batch.jobOperator().restart(last);
        restarted = true;
      } else {
        execution = batch.jobOperator().start(job, params);
      }
    } catch (BadInputException e) {
      throw e;
    } catch (Exception e) {
      // A step that failed for want of space leaves the job repository, on the same disk, unable to record it.
      throw storageFullOr(e, run, () -> new IllegalStateException("Spring Batch could not run " + jobName + ": "
          + e.getMessage(), e));
    }
    if (execution.getStatus() != BatchStatus.COMPLETED) {
      List<Throwable> failures = failures(execution);
      for (Throwable t : failures) {
        for (Throwable c = t; c != null; c = c.getCause()) {
          if (c instanceof InputDataException data) {
            throw refuse(execution, p, workDir, data.getMessage());
          }
          if (c instanceof PublishVersion.QualityGateFailed gate) {
            throw discard(execution, workDir, gate);
          }
          if (c instanceof PublishVersion.RunFilesGone gone) {
            throw discard(execution, workDir, gone);
          }
          if (c instanceof BadInputException bad) {
            throw run.discarded ? discard(execution, workDir, bad) : bad;
          }
        }
      }
      Throwable first = failures.isEmpty() ? null : failures.get(0);
      RuntimeException failed = new IllegalStateException("pipeline " + p.definition().name() + " failed ("
          + execution.getStatus() + "); run the same command again to resume it", first);
      failures.forEach(t -> {
        if (t != first) {
          failed.addSuppressed(t);
        }
      });
      throw storageFullOr(failed, run, () -> failed);
    }
    ProductVersion v = publisher.registry().byRunKey(runKey).orElseThrow();
    deleteQuietly(workDir);
    Map<String, Double> steps = new LinkedHashMap<>();
    for (var step : steps(execution)) {
      if (step.getStartTime() != null && step.getEndTime() != null) {
        steps.put(step.getStepName(), java.time.Duration.between(step.getStartTime(), step.getEndTime()).toMillis()
            / 1000.0);
      }
    }
    return result(v, p, false, restarted, started, steps);
  }

  /**
   * A run that failed for want of space (on the product's files, the run's folder or the job repository: failures
   * anywhere in {@code failure}) says so in one line naming those devices; it resumes where it stopped once there is
   * space. Any other failure is {@code otherwise}'s.
   */
  private static RuntimeException storageFullOr(Exception failure, RunState run,
      java.util.function.Supplier<RuntimeException> otherwise) {
    if (!StorageFullException.isCause(failure)) {
      return otherwise.get();
    }
    List<String> places = new ArrayList<>();
    try {
      places.add(run.lakehouse.load(run.productTable).location());
    } catch (RuntimeException e) {
      // the catalog itself may be what cannot be read on a full disk: the run's folder is named still
    }
    places.add(run.workDir.toString());
    return StorageFullException.of(failure, "running pipeline " + run.pipeline.definition().name(),
        "nothing was published; free some space, then run the same command again to resume it", places);
  }

  /**
   * Marks a run that failed on its input data as abandoned, with the reason, so that the same command does not resume
   * it (it would fail on the same values) but says why again; a changed pipeline or new input snapshots are a new run.
   * Its folder (the leak filter's hashes of raw values among others) is removed: nothing resumes from it.
   */
  private InputDataException refuse(JobExecution execution, BoundPipeline p, Path workDir, String reason) {
    String message = "pipeline " + p.definition().name() + " failed on its input data, nothing was published: "
        + reason + " (change the transform or the data: this run will not be resumed)";
    execution.setStatus(BatchStatus.ABANDONED);
    execution.setExitStatus(new ExitStatus(REFUSED, message));
    batch.jobRepository().update(execution);
    deleteQuietly(workDir);
    return new InputDataException(message);
  }

  /**
   * A run whose files are gone cannot be resumed: a product that failed its quality gate was removed with its files
   * (unchecked rows never stay readable), or a destruction removed them before the publish. The run is forgotten, and
   * the same command runs it anew (the suite may have been fixed meanwhile).
   */
  private <E extends BadInputException> E discard(JobExecution execution, Path workDir, E why) {
    batch.jobRepository().deleteJobInstance(execution.getJobInstance());
    deleteQuietly(workDir);
    return why;
  }

  private Job job(String name, RunState run) {
    JobRepository repo = batch.jobRepository();
    var tm = batch.transactionManager();
    // The tasklets commit to Iceberg and the version store over their own connections: a transaction around them
    // would hold an SQLite read snapshot that those commits invalidate. Their work is not transactional anyway;
    // each is idempotent, and only the write step's chunks need the repository's transaction.
    var noTx = new org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager();
    Step prepare = new StepBuilder(RunState.STEP_PREPARE, repo).tasklet(new PrepareTasklet(run), noTx).build();
    WriteProgress progress = new WriteProgress();
    TransformReader reader = new TransformReader(run, progress);
    ProductFileWriter writer = new ProductFileWriter(run, progress);
    // The processor needs the job instance (to find the privacy step's result); it is known once the job starts.
    InstanceHolder holder = new InstanceHolder();
    // One item is a chunk's rows (TransformReader): Spring's chunk of one item commits every chunkSize rows.
    Step write = new StepBuilder(RunState.STEP_WRITE, repo).<List<Object[]>, List<Object[]>>chunk(1)
        .transactionManager(tm).reader(reader).processor(row -> holder.processor(run, progress).process(row))
        .writer(writer).listener(writer).listener(holder).build();
    Step leaks = new StepBuilder(RunState.STEP_LEAKS, repo).tasklet(new LeakCheckTasklet(run), noTx).build();
    Step publish = new StepBuilder(RunState.STEP_PUBLISH, repo).tasklet(new PublishTasklet(run, publisher), noTx)
        .build();
    Step filter = new StepBuilder(RunState.STEP_FILTER, repo).tasklet(new LeakFilterTasklet(run), noTx).build();
    if (run.pipeline.privacy() == null) {
      return new JobBuilder(name, repo).start(prepare).next(filter).next(write).next(leaks).next(publish).build();
    }
    Step classes = new StepBuilder(RunState.STEP_CLASSES, repo).tasklet(new PrivacyClassesTasklet(run), noTx).build();
    // The classes and the filter need only prepare, and the write needs both: they run at once, each mostly on a core
    // of its own. A split of two flows rather than one step doing both on two threads: each stays a step of its own in
    // the repository, so a restart redoes only the one that did not complete (a killed attempt's running steps are
    // marked failed, see run) and each keeps its own seconds. Their DuckDBs share the run's memory limit
    // (RunState.splitSettings); the repository takes one call at a time (BatchInfrastructure).
    Flow both = new FlowBuilder<SimpleFlow>(RunState.STEP_CLASSES + "+" + RunState.STEP_FILTER).split(branches())
        .add(new FlowBuilder<SimpleFlow>(RunState.STEP_CLASSES).start(classes).build(),
            new FlowBuilder<SimpleFlow>(RunState.STEP_FILTER).start(filter).build())
        .build();
    return new JobBuilder(name, repo).flow(prepare).next(both).next(write).next(leaks).next(publish).end().build();
  }

  /**
   * The split's threads: one per branch, named, daemon, each ending with its branch (nothing pooled outlives a run;
   * Spring Batch's flow executor keeps the current step in a thread local, which a reused thread would carry over).
   */
  private static SimpleAsyncTaskExecutor branches() {
    SimpleAsyncTaskExecutor threads = new SimpleAsyncTaskExecutor("pipeline-branch-");
    threads.setDaemon(true);
    threads.setConcurrencyLimit(2);
    return threads;
  }

  /** A step's place in the order of {@link RunStep} (the split's two finish in either order). */
  private static int order(StepExecution step) {
    for (RunStep s : RunStep.values()) {
      if (s.label().equals(step.getStepName())) {
        return s.ordinal();
      }
    }
    return RunStep.values().length;
  }

  /** The attempt's steps in the order of {@link RunStep}. */
  private static List<StepExecution> steps(JobExecution execution) {
    List<StepExecution> steps = new ArrayList<>(execution.getStepExecutions());
    steps.sort(java.util.Comparator.comparingInt(SpringBatchExecutor::order));
    return steps;
  }

  /** The job's failures, then its steps' in their order: the same first failure whichever branch failed first. */
  private static List<Throwable> failures(JobExecution execution) {
    List<Throwable> all = new ArrayList<>(execution.getFailureExceptions());
    for (StepExecution step : steps(execution)) {
      step.getFailureExceptions().stream().filter(t -> !all.contains(t)).forEach(all::add);
    }
    return all;
  }

  /** Hands the write step's processor the job instance when the step starts. */
  private static final class InstanceHolder implements org.springframework.batch.core.listener.StepExecutionListener {
    private JobInstance instance;
    private ProductProcessor processor;

    @Override
    public void beforeStep(org.springframework.batch.core.step.StepExecution stepExecution) {
      instance = stepExecution.getJobExecution().getJobInstance();
      processor = null;
    }

    ProductProcessor processor(RunState run, WriteProgress progress) {
      if (processor == null) {
        processor = new ProductProcessor(run, progress, instance);
      }
      return processor;
    }
  }

  /** The plan's identity as the job's identifying parameters (the job instance is the run). */
  private static JobParameters parameters(RunPlan plan) {
    JobParametersBuilder b = new JobParametersBuilder();
    plan.identity().asParameters().forEach((name, value) -> b.addString(name, value, true));
    return b.addString("pipeline.source", plan.pipeline().definition().source(), false).toJobParameters();
  }

  private static PipelineRunResult result(ProductVersion v, BoundPipeline p, boolean recognized, boolean restarted,
      long started, Map<String, Double> stepSeconds) {
    return PipelineVersions.result(v, p, ENGINE, recognized, restarted, (System.nanoTime() - started) / 1e9,
        stepSeconds);
  }

  /**
   * After a run of a product published: the folders of the product's other runs whose process is gone (their lock is
   * taken here: a run going on keeps its own) and which can no longer publish ({@link RunRecord#canStillPublish}) are
   * removed, their jobs forgotten. They hold the leak filter's hashes of raw values among others, and nothing would
   * resume them; should such a key come again, its run starts anew, as a discarded one does. A run that can still
   * publish keeps its folder, to be resumed by the same command.
   */
  private void removeStale(RunRecord published, Path own) {
    List<Path> folders;
    try (var list = Files.list(workRoot)) {
      folders = list.filter(f -> f.getFileName().toString().startsWith("pipeline-") && !f.equals(own)).toList();
    } catch (IOException e) {
      LOG.warn("the work folder's runs could not be listed to remove dead ones", e);
      return;
    }
    for (Path folder : folders) {
      try {
        removeIfStale(published, folder);
      } catch (IOException | RuntimeException e) {
        // the version is published: a folder left stays for the next run of the product
        LOG.warn("a dead run's folder {} could not be removed", folder.getFileName(), e);
      }
    }
  }

  private void removeIfStale(RunRecord published, Path folder) throws IOException {
    Optional<RunRecord> stale = record(folder).filter(r -> r.product().equals(published.product()));
    if (stale.isEmpty()) {
      return; // another product's, or a folder from before run records
    }
    RunLock lock;
    try {
      lock = RunLock.take(folder.resolve("owner"), lakehouse.config(), stale.get().runKey());
    } catch (BadInputException goingOn) {
      return;
    }
    boolean removed = false;
    try {
      if (!stale.get().canStillPublish(lakehouse, productNow(published.product()))) {
        JobParametersBuilder b = new JobParametersBuilder();
        stale.get().parameters().forEach((name, value) -> b.addString(name, value, true));
        JobInstance instance = batch.jobRepository().getJobInstance(stale.get().jobName(), b.toJobParameters());
        if (instance != null) {
          batch.jobRepository().deleteJobInstance(instance);
        }
        deleteQuietly(folder, folder.resolve("owner"));
        removed = true;
      }
    } finally {
      if (removed) {
        lock.closeRemoving();
        try {
          Files.deleteIfExists(folder);
        } catch (java.nio.file.DirectoryNotEmptyException takenAgain) {
          // a process took the run's lock anew since: the folder is its
        }
        LOG.info("removed the folder and job of run {} of product {}: its process is gone and it can no longer "
            + "publish", stale.get().runKey().substring(0, 16), published.product());
      } else {
        lock.close();
      }
    }
  }

  /** The product's current snapshot, as another run of it would find it (null: none). */
  private org.apache.iceberg.Snapshot productNow(String product) {
    var id = io.dataops.products.publish.ProductTables.id(product);
    if (!lakehouse.exists(id)) {
      return null;
    }
    var table = lakehouse.load(id);
    table.refresh();
    return table.currentSnapshot();
  }

  private static String properties(RunRecord record) throws IOException {
    java.io.StringWriter out = new java.io.StringWriter();
    record.addTo(new java.util.Properties()).store(out, "a Spring Batch run");
    return out.toString();
  }

  private static Optional<RunRecord> record(Path folder) {
    try (var in = Files.newBufferedReader(folder.resolve(RECORD))) {
      java.util.Properties p = new java.util.Properties();
      p.load(in);
      return RunRecord.from(p);
    } catch (IOException | RuntimeException unreadable) {
      return Optional.empty(); // none (a run starting, or from before records), or cut short
    }
  }

  private static void deleteQuietly(Path dir) {
    deleteQuietly(dir, null);
  }

  /** Removes {@code dir} and what it holds but {@code keep}. */
  private static void deleteQuietly(Path dir, Path keep) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).filter(f -> keep == null || !f.equals(keep)
          && !f.equals(dir)).forEach(f -> {
        try {
          Files.deleteIfExists(f);
        } catch (IOException ignored) {
          // scratch space
        }
      });
    } catch (IOException ignored) {
      // scratch space
    }
  }
}
