package io.dataops.platform.pipeline;

import io.dataops.products.publish.ProductTables;
import io.dataops.core.BadInputException;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.definition.PipelineDefinition;
import io.dataops.pipelines.definition.PipelineException;
import io.dataops.pipelines.definition.PipelineParser;
import io.dataops.pipelines.definition.PipelineValidator;
import io.dataops.pipelines.plan.ExecutorEnvironment;
import io.dataops.pipelines.privacy.SmallestGroupsCache;
import io.dataops.pipelines.plan.Executors;
import io.dataops.pipelines.plan.PipelineExecutor;
import io.dataops.pipelines.plan.ReadGrant;
import io.dataops.pipelines.plan.RunControl;
import io.dataops.pipelines.plan.RunPins;
import io.dataops.pipelines.plan.RunPlan;
import io.dataops.pipelines.plan.TrialRun;
import io.dataops.pipelines.run.PipelineRunResult;
import io.dataops.core.audit.Actor;
import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.platform.product.ProductServices;
import io.dataops.products.publish.EngineComparison;
import io.dataops.products.publish.ProductPublisher;
import io.dataops.products.registry.ProductVersion;
import io.dataops.products.publish.QualityGate;
import io.dataops.products.registry.ProductRegistry;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.governance.GrantServices;
import io.dataops.platform.session.Sessions;
import io.dataops.platform.intake.FeedIntake;
import io.dataops.platform.product.ProductReads;
import io.dataops.quality.expect.ExpectationCatalog;
import io.dataops.quality.expect.ReferenceCheck;
import io.dataops.quality.expect.TableFacts;
import io.dataops.quality.suite.SuiteParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Pipelines as the platform runs them: a file validated against the lakehouse (and its quality suite against the
 * product's columns), and run on an executor with the configured keys, the platform database for the job repository
 * and version records, and the quality engine as its gate.
 */
public final class PipelineRuns {

  private final PlatformConfig config;
  private final Lakehouse lakehouse;
  private final int workers;

  private Actor actor = Actor.SYSTEM;
  private AuditSink audit = AuditSink.NONE;
  private ReferenceCheck reads = ReferenceCheck.NONE;

  /** Who runs the pipelines, and where their events go (the pipeline run, the version it made). */
  public PipelineRuns as(Actor actor, AuditSink audit) {
    this.actor = actor;
    this.audit = audit;
    return this;
  }

  /**
   * Whether the caller may read each other table the quality gate's suite refers to (the command's table access):
   * asked when the pipeline is validated, before the suite is compiled against them; without it such a suite is
   * refused.
   */
  public PipelineRuns readsChecked(ReferenceCheck check) {
    this.reads = check;
    return this;
  }

  public PipelineRuns(PlatformConfig config, Lakehouse lakehouse, int workers) {
    this.config = config;
    this.lakehouse = lakehouse;
    this.workers = workers;
  }

  /**
   * Everything that can be checked without running, and what {@code engine} cannot run as every engine does; throws
   * {@link PipelineException} with file and line.
   */
  public BoundPipeline validate(Path file, String engine) {
    BoundPipeline p = validate(file);
    Executors.factory(engine).validate(p);
    return p;
  }

  /** Everything that can be checked without running; throws {@link PipelineException} with file and line. */
  public BoundPipeline validate(Path file) {
    io.dataops.core.yaml.LinedYaml.requireFile(file, "pipeline");
    // A measure of undeclared quasi-identifiers is kept by snapshot: a re-run (or validate, then run) reads once.
    PipelineDefinition definition = PipelineParser.parse(file);
    checkSchedule(definition); // what the file alone shows wrong is said before any grant is asked
    // The measure of undeclared quasi-identifiers reads the inputs' rows: under the caller's grant, asked first.
    BoundPipeline p = new PipelineValidator(lakehouse, config.keys(), config.keepLimits())
        .measuresCachedIn(SmallestGroupsCache.in(config.work()))
        .readsUnder(productReadsChecked(GrantServices.readAccess(GrantServices.enforcement(config, audit), actor,
            "pipeline measure"), "pipeline measure"))
        .bind(definition, file.toAbsolutePath().getParent());
    ProductTables.checkOwner(lakehouse, p);
    if (p.qualitySuite() != null) {
      try {
        ExpectationCatalog.compile(SuiteParser.parse(p.qualitySuite()), new TableFacts(
            ProductTables.id(p.definition().product()).toString(), ProductTables.schemaOf(p), null, List.of(),
            Map.of(), lakehouse, io.dataops.quality.expect.MetricHistory.NONE, reads));
      } catch (io.dataops.core.AccessDeniedException refused) {
        throw refused; // a refusal, not a misfit: said as a read of that table is
      } catch (BadInputException e) {
        throw new PipelineException(p.definition().source(), p.definition().quality().line(),
            "the quality suite does not fit the product: " + e.getMessage());
      }
    }
    return p;
  }

  /**
   * The file's {@code schedule:}: a cron the scheduler can read, a timeout within its bounds and an engine this build
   * has, or the file's line and what is wrong (so that a bad schedule is found by validate, not by the scheduler at
   * night).
   */
  public static void checkSchedule(PipelineDefinition d) {
    var s = d.schedule();
    if (s == null) {
      return;
    }
    if (s.cron() != null) {
      try {
        io.dataops.scheduler.embedded.EmbeddedScheduler.parseFiring(s.cron());
      } catch (IllegalArgumentException e) {
        throw new PipelineException(d.source(), s.cronLine(), "schedule.cron '" + s.cron() + "': "
            + e.getMessage().lines().findFirst().orElse("")
            + " (six fields: second minute hour day-of-month month day-of-week, e.g. '0 0 2 * * *')");
      }
    }
    if (s.timeout() != null) {
      try {
        io.dataops.platform.schedule.ScheduleServices.timeout(s.timeout(), "schedule.timeout");
      } catch (BadInputException e) {
        throw new PipelineException(d.source(), s.timeoutLine(), e.getMessage());
      }
    }
    if (s.engine() != null) {
      try {
        checkEngine(s.engine());
      } catch (BadInputException e) {
        throw new PipelineException(d.source(), s.engineLine(), "schedule.engine: " + e.getMessage());
      }
    }
  }

  /** Refuses an engine this build does not have (before any work), naming those it has. */
  public static void checkEngine(String engine) {
    Executors.factory(engine);
  }

  /**
   * The run's user as it stands now, asked again before the version becomes visible, as the grant is: a user disabled
   * (or moved to another organization, or no longer an operator) while the run went on records no version (a probe's
   * run went on to record one for a user disabled meanwhile). A run as the system (no user) is not asked.
   */
  private void checkStillActing() {
    if (actor == Actor.SYSTEM) {
      return;
    }
    var user = new io.dataops.governance.identity.Identities(Sessions.database(config), audit).user(actor.user());
    String why = user.isEmpty() ? "no longer exists" : user.get().disabled() ? "was disabled"
        : !user.get().organization().equals(actor.organization()) ? "moved to " + user.get().organization()
        : !user.get().roles().contains(io.dataops.governance.identity.Role.OPERATOR) ? "is no longer an operator"
        : null;
    if (why != null) {
      throw new io.dataops.core.AccessDeniedException("user " + actor.user() + " " + why + " while the run went on: "
          + "no version is recorded", List.of("operator"));
    }
  }

  /** Runs a validated pipeline; {@code progress} is told the transform rows processed after each chunk. */
  public PipelineRunResult run(BoundPipeline p, String engine, LongConsumer progress) {
    return run(p, engine, null, progress, verdict -> { });
  }

  /**
   * As above, at {@code parallelism} (null: the engine's default); {@code verdicts} is told the quality gate's
   * verdict as soon as there is one, passed or not.
   */
  public PipelineRunResult run(BoundPipeline p, String engine, Integer parallelism, LongConsumer progress,
      Consumer<QualityGate.Verdict> verdicts) {
    checkEngine(engine);
    LakehouseConfig lc = config.lakehouse();
    QualityGate suites = new SuiteGate(new FeedIntake(config, lakehouse, workers).reads(reads).qualityRunner());
    QualityGate gate = (table, snapshotId, suite) -> {
      QualityGate.Verdict v = suites.check(table, snapshotId, suite);
      verdicts.accept(v);
      return v;
    };
    // The grant is asked again right before the version becomes visible: one revoked (or expired) while the run read
    // and wrote must not let it add a version after (a version made so was submitted and approved as any other).
    // So are the product versions of other organizations it reads: still provided by their makers.
    ProductPublisher publisher = new ProductPublisher(lakehouse, registry(), gate, audit, config.digest())
        .checkingBeforePublish(product -> {
          checkStillActing();
          GrantServices.authorize(GrantServices.enforcement(config, audit), p, actor, "pipeline publish");
          checkProductReads(p.inputs(), population(p), "pipeline publish");
        });
    List<String> objects = new java.util.ArrayList<>(List.of("pipeline:" + p.definition().name(),
        "product:" + p.definition().product()));
    p.inputSnapshots().forEach((table, snapshot) -> objects.add("table:" + table));
    Map<String, Object> details = new java.util.LinkedHashMap<>();
    details.put("pipelineSha256", p.definition().sha256());
    details.put("engine", engine);
    if (parallelism != null) {
      details.put("parallelism", parallelism);
    }
    details.put("inputs", p.inputSnapshots()); // the exact snapshots the run reads
    PipelineRunResult r;
    try {
      registry().checkOwner(p.definition().product(), p.definition().owner());
      // The covering grant, before any engine is picked so that none can skip it: refused (exit 2) when no live
      // grant of the caller's organization covers every table and column; metering counts the reads against it.
      List<ReadGrant> grants = GrantServices.readGrants(GrantServices.authorize(GrantServices.enforcement(config, audit),
          p, actor, "pipeline run"));
      details.put("grant", grants.isEmpty() ? null : grants.get(0).grantId());
      ExecutorEnvironment env = new ExecutorEnvironment(lakehouse, config.keys(), config.work(), lc.catalogUri(),
          lc.catalogUser(), lc.catalogPassword(), config.engineSettings(parallelism),
          Map.of(ProductPublisher.class, publisher));
      PipelineExecutor executor = Executors.create(engine, env);
      Executors.factory(engine).validate(p);
      RunPlan plan = RunPlan.of(p, config.keys(), executor.engine(), lakehouse, grants);
      // Table maintenance keeps what the run reads while it goes on.
      try (RunPins.Held pin = pins(config).hold(plan.runKey(), p.definition().product(), RunPins.snapshotsOf(plan))) {
        io.dataops.core.CommitPoint.reached("inputs-pinned");
        // Other organizations' product versions it reads, at the pinned snapshots before anything is read or written:
        // a provision ended since the validation stops the run here (and again right before its version is made).
        checkProductReads(p.inputs(), population(p), "pipeline run");
        r = executor.run(plan, new RunControl(actor, progress));
        pin.release();
      }
    } catch (BadInputException refused) {
      details.put("reason", refused.getMessage());
      if (refused instanceof io.dataops.pipelines.privacy.LeakDetectedException) {
        details.put("leakCheck", "failed"); // what supervision alerts on
      }
      refusedBy(refused).ifPresent(by -> details.put("refusedBy", by));
      audit.record(new AuditEvent("pipeline.run", objects, AuditEvent.REFUSED, details));
      throw refused;
    }
    details.put("version", r.version());
    details.put("snapshotId", r.snapshotId());
    details.put("recognized", r.recognized());
    details.put("rowsIn", r.rowsIn());
    details.put("rowsOut", r.rowsOut());
    details.put("runKey", r.runKey());
    if (r.recognized()) {
      // When the run that made this version was not recorded (its process was killed, or the platform database was
      // full, between the version and its event), its event comes first, late, with what it read (metering counts it).
      Map<String, Object> late = new java.util.LinkedHashMap<>(details);
      late.put("recognized", false);
      late.put("reads", reads(p));
      late.put("recordedLate", true);
      audit.recordUnlessHeld(AuditEvent.ok("pipeline.run", objects, late), "product:" + p.definition().product(),
          "runKey", r.runKey());
    }
    if (r.madeByAnotherFile()) {
      details.put("madeBy", r.madeBy()); // nothing appended: another file's version, not made by this run
    }
    // a recognized run, or one that found nothing appended, read nothing
    details.put("reads", r.recognized() || r.madeByAnotherFile() ? List.of() : reads(p));
    audit.record(AuditEvent.ok("pipeline.run", objects, details));
    return r;
  }

  /**
   * What refused a run or a privacy check when no rule of access did: {@code input} for a pipeline that cannot run as
   * written or now (an incremental file asked for a privacy preview, a run of it already going on, a bad policy),
   * {@code state} for an object's state. Supervision counts neither as probing (found by a probe: five previews of an
   * incremental pipeline raised a refusal-burst alert); a refused role, organization or grant, and a failed leak check,
   * are left unmarked and count.
   */
  static java.util.Optional<String> refusedBy(BadInputException refused) {
    if (refused instanceof io.dataops.core.AccessDeniedException
        || refused instanceof io.dataops.governance.grant.GrantRefusedException
        || refused.getCause() instanceof io.dataops.governance.grant.GrantRefusedException // at its file's line
        || refused instanceof io.dataops.pipelines.privacy.LeakDetectedException) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(refused instanceof io.dataops.core.StateRefusedException ? "state" : "input");
  }

  /**
   * The privacy check a run of {@code p} would make, over its pinned inputs under the caller's grant, writing nothing
   * (audited as pipeline.privacy with the snapshots read).
   */
  public io.dataops.pipelines.privacy.PrivacyReport privacy(BoundPipeline p, String engine) {
    checkEngine(engine);
    LakehouseConfig lc = config.lakehouse();
    List<String> objects = List.of("pipeline:" + p.definition().name(), "product:" + p.definition().product());
    Map<String, Object> details = new java.util.LinkedHashMap<>();
    details.put("pipelineSha256", p.definition().sha256());
    details.put("engine", engine);
    details.put("inputs", p.inputSnapshots());
    io.dataops.pipelines.privacy.PrivacyReport report;
    try {
      List<ReadGrant> grants = GrantServices.readGrants(GrantServices.authorize(GrantServices.enforcement(config, audit),
          p, actor, "pipeline privacy"));
      details.put("grant", grants.isEmpty() ? null : grants.get(0).grantId());
      checkProductReads(p.inputs(), population(p), "pipeline privacy");
      ExecutorEnvironment env = new ExecutorEnvironment(lakehouse, config.keys(), config.work(), lc.catalogUri(),
          lc.catalogUser(), lc.catalogPassword(), config.engineSettings(null), Map.of(ProductPublisher.class,
          new ProductPublisher(lakehouse, registry(), new SuiteGate(new FeedIntake(config, lakehouse, workers)
              .reads(reads).qualityRunner()), audit, config.digest()))); // an executor is made with it; the preview publishes nothing
      PipelineExecutor executor = Executors.create(engine, env);
      report = executor.privacy(RunPlan.of(p, config.keys(), executor.engine(), lakehouse, grants));
    } catch (BadInputException refused) {
      details.put("reason", refused.getMessage());
      refusedBy(refused).ifPresent(by -> details.put("refusedBy", by));
      audit.record(new AuditEvent("pipeline.privacy", objects, AuditEvent.REFUSED, details));
      throw refused;
    }
    details.put("reads", reads(p));
    audit.record(AuditEvent.ok("pipeline.privacy", objects, details));
    return report;
  }

  /**
   * Runs the pipeline of {@code reference} on {@code engine} as a trial (the same pinned snapshots, under the same
   * grant; nothing published, no version recorded, its files removed after) and compares what it made with the
   * version: rows as multisets, privacy report, leak check. Recorded as one {@code pipeline.compare} event.
   */
  public EngineComparison.Outcome compare(BoundPipeline p, PipelineRunResult reference, String engine,
      Integer parallelism) {
    checkEngine(engine);
    ProductVersion version = registry().find(reference.product(), reference.version()).orElseThrow(
        () -> new BadInputException("no version " + reference.version() + " of product " + reference.product()));
    if (!p.inputSnapshots().equals(version.lineage().inputs())) {
      throw new BadInputException(version.label() + " was made from other snapshots than the pipeline pins now");
    }
    LakehouseConfig lc = config.lakehouse();
    List<ReadGrant> grants = GrantServices.readGrants(GrantServices.authorize(GrantServices.enforcement(config, audit),
        p, actor, "pipeline compare"));
    checkProductReads(p.inputs(), population(p), "pipeline compare");
    ProductPublisher publisher = new ProductPublisher(lakehouse, registry(), (t, s, suite) -> {
      throw new IllegalStateException("a trial publishes nothing");
    }, AuditSink.NONE, config.digest());
    ExecutorEnvironment env = new ExecutorEnvironment(lakehouse, config.keys(), config.work(), lc.catalogUri(),
        lc.catalogUser(), lc.catalogPassword(), config.engineSettings(parallelism),
        Map.of(ProductPublisher.class, publisher));
    PipelineExecutor executor = Executors.create(engine, env);
    Executors.factory(engine).validate(p);
    EngineComparison.Outcome outcome;
    try (TrialRun trial = executor.trial(RunPlan.of(p, config.keys(), executor.engine(), lakehouse, grants),
        RunControl.of(actor))) {
      outcome = EngineComparison.compare(lakehouse, p, version, trial);
    }
    Map<String, Object> details = new java.util.LinkedHashMap<>();
    details.put("engine", engine);
    details.put("parallelism", outcome.parallelism());
    details.put("reference", version.label());
    details.put("inputs", p.inputSnapshots());
    details.put("grant", grants.isEmpty() ? null : grants.get(0).grantId());
    details.put("matched", outcome.matched());
    details.put("differences", outcome.differences());
    audit.record(AuditEvent.ok("pipeline.compare", List.of("pipeline:" + p.definition().name(),
        "product:" + version.product()), details));
    return outcome;
  }

  /**
   * The validator's check before it reads the inputs' rows ({@code grants}: the run's own grant), and then each
   * product input's read as {@link #checkProductReads} asks it.
   */
  private io.dataops.pipelines.definition.ReadAccess productReadsChecked(
      io.dataops.pipelines.definition.ReadAccess grants, String via) {
    return (d, inputs) -> {
      List<ReadGrant> granted = grants.authorize(d, inputs);
      checkProductReads(inputs, null, via);
      return granted;
    };
  }

  private static BoundPipeline.Population population(BoundPipeline p) {
    return p.privacy() == null ? null : p.privacy().population();
  }

  /**
   * The product versions a run reads (its {@code inputs} and the privacy {@code population} at their pinned
   * snapshots), each checked as a read of its rows by the caller ({@link ProductReads}): one of another organization
   * only while its maker may still provide it; a version the caller may not read at all (a draft or sealed version of
   * another, a snapshot that is no version) as {@code table show} refuses it. A refusal is a refused {@code table.read}
   * event and thrown. Asked when a run starts, again once its inputs are pinned (before anything is written), and
   * right before its version becomes visible.
   */
  private void checkProductReads(List<BoundPipeline.BoundInput> inputs, BoundPipeline.Population population,
      String via) {
    Map<String, Long> reads = new java.util.LinkedHashMap<>();
    inputs.forEach(in -> reads.put(in.table().toString(), in.snapshotId()));
    if (population != null) {
      reads.putIfAbsent(population.table().toString(), population.snapshotId());
    }
    ProductReads products = null;
    for (Map.Entry<String, Long> read : reads.entrySet()) {
      org.apache.iceberg.catalog.TableIdentifier id = org.apache.iceberg.catalog.TableIdentifier.parse(read.getKey());
      if (id.namespace().level(0).equals(io.dataops.lakehouse.catalog.Zone.PRODUCT.namespaceName())) {
        products = products != null ? products : ProductReads.of(config, audit);
        products.checkRead(lakehouse, id, read.getValue(), actor, via);
      }
    }
  }

  private ProductRegistry registry() {
    return ProductServices.registry(config);
  }

  /** The input snapshots of the runs going on now (table maintenance keeps them). */
  public static RunPins pins(PlatformConfig config) {
    LakehouseConfig lc = config.lakehouse();
    return new RunPins(lc.catalogUri(), lc.catalogUser(), lc.catalogPassword());
  }

  /**
   * What a run reads, for metering: each pinned input snapshot whole (table, its department, snapshot, rows, the bytes
   * of its data files).
   */
  private List<Map<String, Object>> reads(BoundPipeline p) {
    List<Map<String, Object>> out = new java.util.ArrayList<>();
    for (var in : p.inputs()) {
      var table = lakehouse.load(in.table());
      Map<String, String> sum = table.snapshot(in.snapshotId()).summary();
      Map<String, Object> read = new java.util.LinkedHashMap<>();
      read.put("table", in.table().toString());
      read.put("department", table.properties().get(io.dataops.lakehouse.landing.FeedTables.PROP_DEPARTMENT));
      read.put("snapshot", in.snapshotId());
      read.put("rows", Long.parseLong(sum.getOrDefault("total-records", "0")));
      read.put("bytes", Long.parseLong(sum.getOrDefault("total-files-size", "0")));
      out.add(read);
    }
    return out;
  }

  /** The rows of the pinned input snapshots, for a progress bar's scale. */
  public long inputRows(BoundPipeline p) {
    long total = 0;
    for (var in : p.inputs()) {
      var s = lakehouse.load(in.table()).snapshot(in.snapshotId());
      total += Long.parseLong(s.summary().getOrDefault("total-records", "0"));
    }
    return total;
  }
}
