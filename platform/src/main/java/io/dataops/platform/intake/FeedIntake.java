package io.dataops.platform.intake;

import io.dataops.core.BadInputException;
import io.dataops.core.CommitPoint;
import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.contract.ColumnSpec;
import io.dataops.lakehouse.contract.FeedContract;
import io.dataops.lakehouse.landing.FeedTables;
import io.dataops.lakehouse.landing.Landing;
import io.dataops.lakehouse.landing.LandingRequest;
import io.dataops.lakehouse.landing.LandingResult;
import io.dataops.lakehouse.landing.ProgressListener;
import io.dataops.pipelines.plan.RunPins;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.quality.expect.ExpectationCatalog;
import io.dataops.quality.expect.MetricHistory;
import io.dataops.quality.expect.ReferenceCheck;
import io.dataops.quality.expect.TableFacts;
import io.dataops.quality.feedback.Feedback;
import io.dataops.quality.feedback.OutboxUnwritable;
import io.dataops.quality.feedback.TicketStore;
import io.dataops.quality.run.EarlierFeedChecks;
import io.dataops.quality.run.QualityReport;
import io.dataops.quality.run.QualityRunner;
import io.dataops.quality.suite.ExpectationSuite;
import io.dataops.quality.suite.SuiteRegistry;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;

/**
 * A department feed's way in: land it, check the rows it brought with the suite the department registered for the
 * dataset (when there is one), and hand the department its feedback: tickets and the reports in its outbox.
 */
public final class FeedIntake {
  /**
   * Memory for exact grouping per analyzer and scan thread before it spills: 64 MB, less in a small heap (a
   * sixteenth of it: two unique columns on two threads then hold a quarter of the heap).
   */
  public static final long SPILL_BUDGET = Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 16);

  private final PlatformConfig config;
  private final Lakehouse lakehouse;
  private final int workers;

  private AuditSink audit = AuditSink.NONE;
  private ReferenceCheck reads = ReferenceCheck.NONE;

  public FeedIntake(PlatformConfig config, Lakehouse lakehouse, int workers) {
    this.config = config;
    this.lakehouse = lakehouse;
    this.workers = workers;
  }

  /** Where the landing, the feed's quality run and the feedback delivered are recorded. */
  public FeedIntake audit(AuditSink sink) {
    this.audit = sink;
    return this;
  }

  /**
   * Whether the caller may read each other table a suite refers to (the command's table access); without it a suite
   * that refers to another table is refused.
   */
  public FeedIntake reads(ReferenceCheck check) {
    this.reads = check;
    return this;
  }

  /**
   * The landing, and (when the dataset has a suite) the feed's quality run and what its department received.
   *
   * @param unchecked when the feed was sent again and its check never completed but is no longer run here (later
   *     feeds landed since): what to do, else null
   */
  public record Result(LandingResult landing, QualityReport quality, Feedback.Delivery feedback, String unchecked) {}

  /**
   * Lands the feed, then runs its quality check and delivers the department's feedback. The feed sent again after an
   * intake stopped between its landing's commit and the feedback (killed, a full disk) lands nothing and completes
   * what was left: the check and the feedback of the feed it found, when that is the table's last landing.
   */
  public Result take(LandingRequest request, ProgressListener progress) {
    Optional<SuiteRegistry.Registered> suite = RegisteredSuites.find(config, request.department(),
        request.dataset());
    suite.ifPresent(s -> {
      // The suite reads its other tables as the one landing (a department's suite, another department's register).
      // Refused before anything lands, as a read of that table is.
      ExpectationCatalog.references(s.suite(), TableNames.ods(request.department(), request.dataset()).toString())
          .forEach(reads::checkCurrent);
      checkFits(s, request);
    });
    LandingResult landing = new Landing(lakehouse, workers, progress).audit(audit).land(request);
    if (!landing.isDuplicate()) {
      CommitPoint.reached("landed");
    }
    QualityReport quality = null;
    Feedback.Delivery delivery = null;
    String feedId = suite.isEmpty() ? null : feedId(landing);
    // From the decision to check to the feedback, one process at a time per table (see TicketStore.feedCheck).
    try (var held = feedId == null ? null : tickets().feedCheck(landing.table(), feedId)) {
      Checked checked;
      try {
        checked = check(suite, landing, feedId);
      } catch (BadInputException e) {
        Long read = landing.isDuplicate() ? landing.duplicateOf() : landing.snapshotId();
        recordQualityRunStopped(audit, landing.table(), read, ExpectationCatalog.references(suite.get().suite(),
            landing.table()), e);
        throw checkStopped(landing, e);
      }
      quality = checked == null ? null : checked.report();
      if (quality != null) {
        CommitPoint.reached("quality-run-committed");
        recordQualityRun(audit, quality, landing.table(), checked.superseded());
        try {
          delivery = feedback().deliver(quality, request.department(), request.dataset(), audit);
        } catch (OutboxUnwritable e) {
          throw feedbackUndelivered(landing, e);
        }
      }
    }
    return new Result(landing, quality, delivery, quality == null && suite.isPresent() && landing.isDuplicate()
        ? neverChecked(landing) : null);
  }

  /** The feed id of the snapshot the landing made or found, null when that snapshot is gone. */
  private String feedId(LandingResult landing) {
    org.apache.iceberg.Snapshot s = lakehouse.load(TableIdentifier.parse(landing.table()))
        .snapshot(landing.isDuplicate() ? landing.duplicateOf() : landing.snapshotId());
    return s == null ? null : s.summary().get(FeedTables.SUMMARY_FEED_ID);
  }

  /**
   * A landed feed whose check stopped on bad input (a suite's pattern past its budget, say) stays landed: the message
   * says so, and that the same file sent again after the mend lands nothing and runs the check it missed.
   */
  private static BadInputException checkStopped(LandingResult landing, BadInputException e) {
    return new BadInputException(landed(landing) + ", but its quality check stopped: " + e.getMessage() + ". Once the "
        + "suite is mended (quality suite register), send the same file again: it lands nothing and runs the check", e);
  }

  /**
   * A landed and checked feed whose feedback could not be written to its outbox folder stays landed, and its delivery
   * recorded nothing: the same file sent again lands nothing and delivers it (the check runs again, {@link #check}).
   */
  private static OutboxUnwritable feedbackUndelivered(LandingResult landing, OutboxUnwritable e) {
    return new OutboxUnwritable(landed(landing) + " and its quality check ran, but its feedback could not be written "
        + "to the outbox folder " + e.folder() + ": " + e.reason() + ". Once that folder (and each folder above it) "
        + "can be written, run the same command again: it lands nothing and delivers the feedback", e.folder(),
        e.reason(), e.getCause());
  }

  private static String landed(LandingResult landing) {
    return landing.isDuplicate() ? "the feed landed before (snapshot " + landing.duplicateOf() + ")"
        : "the feed landed (" + landing.rowsLanded() + " rows, snapshot " + landing.snapshotId() + " of "
            + landing.table() + ")";
  }

  /**
   * A quality run as the audit trail records it: the table and snapshot it read, the other tables its suite read (and
   * at which snapshots), its verdict.
   */
  public static void recordQualityRun(AuditSink audit, QualityReport r, String table) {
    recordQualityRun(audit, r, table, List.of());
  }

  /** As above, for a feed's check that replaced what {@code superseded} runs of the same feed had recorded. */
  static void recordQualityRun(AuditSink audit, QualityReport r, String table, List<String> superseded) {
    Map<String, Object> d = new java.util.LinkedHashMap<>();
    d.put("runId", r.runId());
    d.put("success", r.validation().success());
    d.put("evaluated", r.validation().results().size());
    d.put("scope", r.scope());
    if (!r.referenceSnapshots().isEmpty()) {
      d.put("referenceSnapshots", r.referenceSnapshots());
    }
    if (!superseded.isEmpty()) {
      d.put("supersedes", superseded);
    }
    audit.record(AuditEvent.ok("quality.run", objects(table, r.snapshotId(), r.references()), d));
  }

  private static List<String> objects(String table, Long snapshot, List<?> references) {
    List<String> objects = new java.util.ArrayList<>(List.of("table:" + table));
    if (snapshot != null) {
      objects.add("snapshot:" + snapshot);
    }
    references.forEach(other -> objects.add("table:" + other));
    return List.copyOf(objects);
  }

  /**
   * A quality run that read the table and then stopped on bad input (a suite's pattern past its budget): recorded as
   * failed with the reason, which names patterns, expectations and rows, never values.
   */
  public static void recordQualityRunStopped(AuditSink audit, String table, Long snapshot, List<?> references,
      BadInputException e) {
    String reason = e.getMessage().length() <= 400 ? e.getMessage() : e.getMessage().substring(0, 400) + "...";
    audit.record(new AuditEvent("quality.run", objects(table, snapshot, references), AuditEvent.FAILED,
        Map.of("reason", reason)));
  }

  public TicketStore tickets() {
    return tickets(config);
  }

  public static TicketStore tickets(PlatformConfig config) {
    var l = config.lakehouse();
    return new TicketStore(l.catalogUri(), l.catalogUser(), l.catalogPassword());
  }

  public Feedback feedback() {
    return new Feedback(tickets(), lakehouse, config.documents("outbox"), config.work());
  }

  /**
   * Runs {@code runner} holding a pin ({@link RunPins}, as a pipeline run pins its inputs) of the snapshot it scans and
   * of the current snapshot of each other table its suite reads, which the runner then reads them at: unpinned,
   * table maintenance meanwhile (a feed landed or a compaction, then an expiry with a short maximum age) deleted the
   * files under the scan and the run failed. A null {@code snapshot} is the table's current one, resolved here so that
   * the pin and the scan are of one snapshot.
   * Each run pins under a key of its own (two runs of one suite on one snapshot must not release each other's pin);
   * released when the run ends, since nothing resumes a quality run (a killed one's pin lapses after the safety age).
   */
  public QualityReport run(QualityRunner runner, TableIdentifier id, Long snapshot, ExpectationSuite suite,
      QualityRunner.Scope scope, boolean incremental) {
    Map<String, Set<Long>> scanned = new LinkedHashMap<>();
    Long at = snapshot;
    Snapshot current = currentOf(id);
    if (at == null && current != null) {
      at = current.snapshotId();
    }
    if (at != null) {
      scanned.computeIfAbsent(id.toString(), t -> new TreeSet<>()).add(at); // one it lacks: the runner refuses it
    }
    // The runner reads each other table at the snapshot pinned here, not at its current one when it gets to it: a
    // feed landed there meanwhile was read unpinned, and the run was not reproducible from what it recorded.
    Map<String, Long> references = new LinkedHashMap<>();
    for (TableIdentifier other : ExpectationCatalog.references(suite, id.toString())) {
      Snapshot s = currentOf(other);
      if (s != null) {
        scanned.computeIfAbsent(other.toString(), t -> new TreeSet<>()).add(s.snapshotId());
        references.put(other.toString(), s.snapshotId());
      }
    }
    if (scanned.isEmpty()) {
      return runner.run(id, at, suite, scope, incremental); // no table, or no snapshot: no file to keep
    }
    RunPins.Held pin = io.dataops.platform.pipeline.PipelineRuns.pins(config).hold(
        "quality-" + UUID.randomUUID().toString().replace("-", ""), "quality:" + id, scanned);
    try {
      CommitPoint.reached("quality-inputs-pinned");
      return runner.run(id, at, suite, scope, incremental, references);
    } finally {
      pin.release();
    }
  }

  private Snapshot currentOf(TableIdentifier id) {
    try {
      return lakehouse.load(id).currentSnapshot();
    } catch (NoSuchTableException missing) {
      return null; // the runner, or the suite's compilation, says which table is missing
    }
  }

  public QualityRunner qualityRunner() {
    return qualityRunner(workers);
  }

  /** A runner whose scans are shared by {@code scanWorkers} threads (any number gives the same results). */
  public QualityRunner qualityRunner(int scanWorkers) {
    return new QualityRunner(lakehouse, config.work(), scanWorkers, SPILL_BUDGET).readsChecked(reads);
  }

  /**
   * Refuses, before anything lands, a feed that its department's suite cannot check: a rule naming a column neither
   * the feed's contract nor the table has, or one its type cannot take. Landed first, such a feed stood without its
   * check (the command failing after the commit) until the suite was mended and the file sent again.
   */
  private void checkFits(SuiteRegistry.Registered suite, LandingRequest request) {
    if (request.contract() == null) {
      return;
    }
    try {
      checkSuiteFits(suite.suite(), TableNames.ods(request.department(), request.dataset()), request.contract(),
          lakehouse, reads);
    } catch (BadInputException unfit) {
      throw new BadInputException("nothing was landed: the quality suite registered for " + request.department()
          + "/" + request.dataset() + " cannot check this feed: " + unfit.getMessage()
          + " (register a corrected suite with `dataops quality suite register`, then send the feed again)");
    }
  }

  /**
   * Refuses a suite that cannot check the dataset's table: it must compile against the table a feed under
   * {@code contract} makes (its ods schema, key and personal columns) or, for a column the table keeps from earlier
   * feeds, against the table itself. The contract's reason is given; with no contract, the table's. With neither a
   * contract nor a table there is nothing to check against, and the first landing checks it. The other tables it
   * refers to are checked as reads by {@code reads} first, since compiling looks at their schemas. Returns what the
   * suite as compiled reports as an error at every run ({@link ExpectationCatalog#warnings}).
   */
  public static List<String> checkSuiteFits(ExpectationSuite suite, TableIdentifier id, FeedContract contract,
      Lakehouse lakehouse, ReferenceCheck reads) {
    ExpectationCatalog.references(suite, id.toString()).forEach(reads::checkCurrent);
    Map<String, String> personal = new HashMap<>();
    List<String> key = List.of();
    BadInputException againstContract = null;
    if (contract != null) {
      for (ColumnSpec c : contract.columns()) {
        if (c.personal() != null) {
          personal.put(c.name(), c.personal().spelling());
        }
      }
      key = contract.primaryKey();
      try {
        return ExpectationCatalog.warnings(suite, ExpectationCatalog.compile(suite, new TableFacts(
            id.toString(), FeedTables.odsSchema(contract), null, key, personal, lakehouse, MetricHistory.NONE, reads)));
      } catch (BadInputException e) {
        againstContract = e;
      }
    }
    if (lakehouse.exists(id)) {
      try {
        return ExpectationCatalog.warnings(suite, ExpectationCatalog.compile(suite, new TableFacts(
            id.toString(), lakehouse.load(id).schema(), null, key, personal, lakehouse, MetricHistory.NONE, reads)));
      } catch (BadInputException againstTable) {
        if (againstContract == null) {
          throw againstTable;
        }
      }
    }
    if (againstContract != null) {
      throw againstContract;
    }
    return List.of();
  }

  /** A feed's check, and the earlier runs of the same feed whose records it replaced. */
  private record Checked(QualityReport report, List<String> superseded) {}

  /**
   * The feed's check, or null when there is none to run. A duplicate completing an intake that stopped after its
   * check's commit first removes what that check recorded, so the feed's rows, metrics and states are kept once.
   */
  private Checked check(Optional<SuiteRegistry.Registered> suite, LandingResult landing, String feedId) {
    Long snapshot = suite.isEmpty() || feedId == null ? null : landing.isDuplicate() ? unchecked(landing)
        : tickets().fed(landing.table(), feedId) ? null : landing.snapshotId(); // a send of it at once checked it
    if (snapshot == null) {
      return null;
    }
    List<String> superseded = landing.isDuplicate()
        ? EarlierFeedChecks.remove(lakehouse, landing.table(), snapshot) : List.of();
    return new Checked(run(qualityRunner(), TableIdentifier.parse(landing.table()), snapshot, suite.get().suite(),
        QualityRunner.Scope.FEED, true), superseded);
  }

  /**
   * A duplicate's feed whose check never completed and that is no longer the table's last landing: said, with the
   * command that checks it (found by a probe: the department saw only "nothing landed" and never learnt its rows
   * went unchecked).
   */
  private String neverChecked(LandingResult landing) {
    org.apache.iceberg.Snapshot found = lakehouse.load(TableIdentifier.parse(landing.table()))
        .snapshot(landing.duplicateOf());
    String feedId = found == null ? null : found.summary().get(FeedTables.SUMMARY_FEED_ID);
    if (feedId == null || tickets().fed(landing.table(), feedId)) {
      return null;
    }
    return "its quality check did not complete when it landed (the intake stopped after the landing), and later "
        + "feeds have landed since, so it is not checked again here; check it with: dataops quality run --table "
        + landing.table() + " --snapshot " + landing.duplicateOf() + " --feed";
  }

  /**
   * The snapshot a duplicate found, when it is the table's last landing and its feed has no recorded run: its intake
   * stopped after the landing's commit. Only the last landing: landings complete one by one, as for their events.
   * Maintenance's compactions ({@code replace} snapshots) since are no landings (found by a probe: after a routine
   * {@code table maintain} the killed intake's check was never completed).
   */
  private Long unchecked(LandingResult landing) {
    org.apache.iceberg.Table table = lakehouse.load(TableIdentifier.parse(landing.table()));
    org.apache.iceberg.Snapshot current = io.dataops.lakehouse.maintenance.SameRows.asOf(table,
        table.currentSnapshot());
    if (current == null || current.snapshotId() != landing.duplicateOf()) {
      return null;
    }
    String feedId = current.summary().get(FeedTables.SUMMARY_FEED_ID);
    return feedId == null || tickets().fed(landing.table(), feedId) ? null : current.snapshotId();
  }
}
