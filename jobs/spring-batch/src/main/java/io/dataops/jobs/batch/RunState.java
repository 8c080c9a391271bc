package io.dataops.jobs.batch;

import io.dataops.products.publish.ProductTables;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.privacy.AnonymityCheck;
import io.dataops.pipelines.privacy.LeakFilterCache;
import io.dataops.pipelines.privacy.PrivacyReport;
import io.dataops.pipelines.plan.RunPlan;
import io.dataops.pipelines.plan.RunStep;
import io.dataops.pipelines.run.RowPolicies;
import java.nio.file.Path;
import org.apache.iceberg.catalog.TableIdentifier;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;

/** What the steps of one run share: the bound pipeline, its policies, the run's folder, and the job repository. */
final class RunState {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunState.class);
  static final ObjectMapper JSON = new ObjectMapper();
  static final String STEP_PREPARE = RunStep.PREPARE.label();
  static final String STEP_CLASSES = RunStep.PRIVACY_CLASSES.label();
  static final String STEP_FILTER = RunStep.LEAK_FILTER.label();
  static final String STEP_WRITE = RunStep.WRITE.label();
  static final String STEP_LEAKS = RunStep.LEAK_CHECK.label();
  static final String STEP_PUBLISH = RunStep.PUBLISH.label();

  final Lakehouse lakehouse;
  final RunPlan plan;
  final BoundPipeline pipeline;
  final RowPolicies policies;
  final Path workDir;
  final RunSettings settings;
  /**
   * The settings of the privacy classes and the leak filter, which run at once when the pipeline declares privacy
   * (SpringBatchExecutor's split): each DuckDB gets half the memory limit, so the two stay within the one limit the
   * run settings promise beside the heap, and half the threads (at least one), so the two branches ask for the cores
   * the run settings give one DuckDB. 1M-row first runs, the two steps' seconds against the same steps one after the
   * other: one thread each, 1.83-1.89 s against 2.27-2.30 s at load 2 (2 alternated pairs; 4.25 s against 4.63 s
   * mean at load 3-9, 6 pairs); two threads each (four DuckDB threads beside the two branches on two cores), 1.4 s
   * longer and 1.2 s more CPU (5 pairs, load 6-8); two for the filter and one for the classes, 1.0 s longer (3 pairs,
   * load 4).
   */
  final RunSettings splitSettings;
  final String runKey;
  final TableIdentifier productTable;
  final JobRepository jobRepository;
  final LeakFilterCache leakFilters;
  /**
   * A full run with privacy keeps its suppressed rows (desensitized) as the held rows of its version, with its class
   * counts: the state an incremental run of the product continues from ({@code ProductClasses.keepsState}).
   */
  final boolean keepsSuppressed;
  private AnonymityCheck.Verdict verdict;
  private io.dataops.pipelines.privacy.LeakCheck leakCheck;
  /** Product files whose every row the in-memory leak check has tested (as the write step wrote them). */
  final java.util.Set<String> leakCheckedFiles = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** Told the transform rows processed so far after each chunk (progress display). */
  java.util.function.LongConsumer progress = rows -> { };
  /** Who runs the pipeline. */
  io.dataops.core.audit.Actor actor = io.dataops.core.audit.Actor.SYSTEM;
  /**
   * The run's product files are gone and it can never be resumed: the leak check failed, or the publish refused the
   * run and removed its staged snapshot.
   */
  volatile boolean discarded;

  RunState(Lakehouse lakehouse, RunPlan plan, Path workDir, RunSettings settings, JobRepository jobRepository) {
    this.lakehouse = lakehouse;
    this.plan = plan;
    this.pipeline = plan.pipeline();
    this.policies = plan.newRowFunction();
    this.workDir = workDir;
    this.settings = settings;
    this.splitSettings = pipeline.privacy() == null ? settings : new RunSettings(half(settings.duckMemoryLimit()),
        Math.max(1, settings.duckThreads() / 2), settings.privacyMemory(), settings.chunkSize(),
        settings.rowsPerFile());
    this.runKey = plan.runKey();
    this.productTable = ProductTables.id(pipeline.definition().product());
    this.jobRepository = jobRepository;
    this.leakFilters = LeakFilterCache.in(workDir.getParent());
    this.keepsSuppressed = !plan.incremental() && io.dataops.pipelines.plan.ProductClasses.keepsState(plan);
  }

  /** Half of a DuckDB memory limit ({@code 256MB}, {@code 1GiB}, ...), in whole kilobytes (DuckDB's {@code KB}). */
  static String half(String limit) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*([KMGT]I?B?|B|BYTES)?\\s*")
        .matcher(limit.toUpperCase(java.util.Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("not a DuckDB memory limit: " + limit);
    }
    String unit = m.group(2) == null ? "B" : m.group(2);
    int power = "BKMGT".indexOf(unit.equals("BYTES") ? 'B' : unit.charAt(0));
    double bytes = Double.parseDouble(m.group(1)) * Math.pow(unit.contains("I") ? 1024 : 1000, power);
    return Math.max(1, (long) (bytes / 2 / 1000)) + "KB";
  }

  Path leakFilterFile() {
    return workDir.resolve("leak-filter.bin");
  }

  synchronized void useLeakCheck(io.dataops.pipelines.privacy.LeakCheck check) {
    leakCheck = check;
    leakCheckedFiles.clear();
  }

  /** The leak check of this process, or one over the saved filter (a restarted run: it has tested nothing yet). */
  synchronized io.dataops.pipelines.privacy.LeakCheck leakCheck() {
    if (leakCheck == null) {
      try {
        // The folder of an interrupted run may have been cleared since, or its filter torn by a power failure
        // (refused by its digest): then the filter is built again, the same bits from the same pinned input.
        leakCheck = null;
        if (java.nio.file.Files.isRegularFile(leakFilterFile())) {
          try {
            leakCheck = io.dataops.pipelines.privacy.LeakCheck.loadFilter(leakFilterFile(), policies.productColumns(),
                policies.identifierShaped());
          } catch (io.dataops.core.files.CheckedFiles.Refused e) {
            LOG.warn("the leak check's saved filter is refused ({}): building it again", e.getMessage());
          }
        }
        if (leakCheck == null) {
          leakCheck = LeakFilterTasklet.build(this);
        }
      } catch (java.io.IOException e) {
        throw new IllegalStateException("the leak check's filter of this run is unreadable", e);
      }
      leakCheckedFiles.clear();
    }
    return leakCheck;
  }

  Path verdictFile() {
    return workDir.resolve("verdict.bin");
  }

  /** The last execution of a step of this job instance (a restarted run finds the steps an earlier attempt did). */
  StepExecution lastStep(JobInstance instance, String step) {
    return jobRepository.getLastStepExecution(instance, step);
  }

  PrivacyReport privacyReport(JobInstance instance) {
    if (pipeline.privacy() == null) {
      return null;
    }
    StepExecution s = lastStep(instance, STEP_CLASSES);
    try {
      return JSON.readValue(s.getExecutionContext().getString("privacy.report"), PrivacyReport.class);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("the privacy report of this run is unreadable", e);
    }
  }

  synchronized AnonymityCheck.Verdict verdict(JobInstance instance) {
    if (pipeline.privacy() == null) {
      return null;
    }
    if (verdict == null) {
      try {
        verdict = AnonymityCheck.Verdict.readFrom(verdictFile(), privacyReport(instance));
      } catch (java.io.IOException e) {
        // Torn by a power failure (refused by its digest), or the run's folder cleared since: counted again over the
        // same pinned input, which decides the same. The class counts the classes step saved for an incremental
        // product's next version stay the ones its context names; this pass's copy goes.
        LOG.warn("the privacy decision saved by the classes step is refused ({}): counting the classes again",
            e.getMessage());
        try {
          PrivacyClassesTasklet.Counted counted = PrivacyClassesTasklet.count(this);
          if (counted.savedClasses() != null) {
            lakehouse.io().deleteFile(counted.savedClasses());
          }
          counted.verdict().writeTo(verdictFile());
          verdict = counted.verdict();
        } catch (Exception again) {
          throw new IllegalStateException("the privacy decision of this run cannot be counted again", again);
        }
      }
    }
    return verdict;
  }

  /**
   * Removes the product files of a run the executor discards (a failed leak check, a refusal at the publish): nothing
   * resumes it, and they hold the product's rows. {@code whose} says which run, when one cannot be removed.
   */
  void removeProductFiles(java.util.List<String> files, String whose) {
    var io = lakehouse.load(productTable).io();
    for (String f : files) {
      try {
        if (io.newInputFile(f).exists()) {
          io.deleteFile(f);
        }
      } catch (RuntimeException e) {
        LOG.warn("could not remove {}, a product file of {}", f, whose, e);
      }
    }
  }
}
