package io.dataops.quality.run;

import io.dataops.core.BadInputException;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.QualityTables;
import io.dataops.lakehouse.contract.PersonalData;
import io.dataops.lakehouse.landing.FeedTables;
import io.dataops.lakehouse.table.PreviewMask;
import io.dataops.quality.engine.Analyzer;
import io.dataops.quality.engine.FailureSink;
import io.dataops.quality.engine.IdentifierValuesAnalyzer;
import io.dataops.quality.engine.ScanContext;
import io.dataops.quality.engine.ScanRunner;
import io.dataops.quality.engine.ValueGroupsAnalyzer;
import io.dataops.quality.engine.ValueMemory;
import io.dataops.quality.expect.CompiledExpectation;
import io.dataops.quality.expect.ExpectationCatalog;
import io.dataops.quality.expect.ReferenceCheck;
import io.dataops.quality.expect.States;
import io.dataops.quality.expect.TableFacts;
import io.dataops.quality.result.ExpectationResult;
import io.dataops.quality.result.ValidationResult;
import io.dataops.quality.suite.Expectation;
import io.dataops.quality.suite.ExpectationSuite;
import io.dataops.quality.suite.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types.NestedField;

/**
 * Validates one snapshot of a table against a suite: every expectation checked before any data is read, all
 * analyzers in one scan, a Great Expectations-shaped result with masked values, and every failing row recorded in
 * {@code quality.row_failures} (one commit per run).
 */
public final class QualityRunner {
  public static final TableIdentifier ROW_FAILURES = QualityTables.ROW_FAILURES;
  private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  /** A run's id: its time and a random suffix, always eight hex digits so that ids line up (a probe saw seven). */
  static String runId(OffsetDateTime now, int random) {
    return RUN_TIME.format(now) + "-" + String.format("%08x", random);
  }

  private final Lakehouse lakehouse;
  private final Path workDir;
  private final int threads;
  private final long spillBudgetBytes;
  private ReferenceCheck reads = ReferenceCheck.ANY;
  private String personalValuesOwner;

  public QualityRunner(Lakehouse lakehouse, Path workDir, int threads, long spillBudgetBytes) {
    this.lakehouse = lakehouse;
    this.workDir = workDir;
    this.threads = threads;
    this.spillBudgetBytes = spillBudgetBytes;
  }

  /**
   * Who may read the other tables a suite refers to: asked for each before the suite is compiled against them (the
   * platform passes its caller's table access; by default any).
   */
  public QualityRunner readsChecked(ReferenceCheck check) {
    this.reads = check;
    return this;
  }

  /**
   * For a caller who sees the table's personal values only masked and brings rules of its own: a suite whose rules
   * read the values of a personal column (anything beyond whether they are null) is refused, before any of its rules
   * runs, with {@link PersonalValuesRefusedException}. {@code owner} says who may run such rules (in the message).
   */
  public QualityRunner personalValuesHidden(String owner) {
    this.personalValuesOwner = owner;
    return this;
  }

  /** What a run reads: the whole table at the snapshot, or only the rows that snapshot's feed added. */
  public enum Scope { TABLE, FEED }

  public QualityReport run(TableIdentifier id, Long snapshotId, ExpectationSuite suite) {
    return run(id, snapshotId, suite, Scope.TABLE);
  }

  public QualityReport run(TableIdentifier id, Long snapshotId, ExpectationSuite suite, Scope scope) {
    return run(id, snapshotId, suite, scope, true);
  }

  /**
   * @param incremental for a whole-table run: add up the stored states of its feeds instead of scanning, when every
   *     feed has them and every analyzer keeps its state (exact uniqueness and references do not: they scan)
   */
  public QualityReport run(TableIdentifier id, Long snapshotId, ExpectationSuite suite, Scope scope,
      boolean incremental) {
    return run(id, snapshotId, suite, scope, incremental, Map.of());
  }

  /**
   * @param referenceSnapshots the snapshot to read each other table the suite refers to at, by table name (the
   *     caller's pins: a run is then reproducible from what it recorded, whatever lands meanwhile); another table not
   *     in it is read at its current snapshot, taken once for the whole run
   */
  public QualityReport run(TableIdentifier id, Long snapshotId, ExpectationSuite suite, Scope scope,
      boolean incremental, Map<String, Long> referenceSnapshots) {
    long started = System.nanoTime();
    Table table;
    try {
      table = lakehouse.load(id); // not exists() first: the catalog answers that by loading the table too
    } catch (org.apache.iceberg.exceptions.NoSuchTableException missing) {
      throw new BadInputException("no table " + id + " (see: dataops table list)");
    }
    Snapshot snapshot = snapshotId != null ? table.snapshot(snapshotId) : table.currentSnapshot();
    if (snapshotId != null && snapshot == null) {
      throw new BadInputException("table " + id + " has no snapshot " + snapshotId);
    }
    var schema = snapshot == null ? table.schema() : table.schemas().get(snapshot.schemaId());
    List<String> key = new ArrayList<>();
    for (NestedField f : schema.columns()) {
      if (schema.identifierFieldIds().contains(f.fieldId())) {
        key.add(f.name());
      }
    }
    Map<String, String> personal = new HashMap<>();
    table.properties().forEach((k, v) -> {
      if (k.startsWith(FeedTables.PERSONAL_PREFIX)) {
        personal.put(k.substring(FeedTables.PERSONAL_PREFIX.length()), v);
      }
    });
    String scopeName = scope.name().toLowerCase(java.util.Locale.ROOT);
    MetricStore metricStore = new MetricStore(lakehouse);
    Map<String, Long> references = referenceSnapshots(suite, id, referenceSnapshots);
    TableFacts facts = new TableFacts(id.toString(), schema, snapshot, key, personal, lakehouse,
        metricStore.history(id.toString(), scopeName), reads, references);
    if (personalValuesOwner != null) {
      // before compiling: a query rule runs its SQL when compiled
      for (Expectation e : suite.expectations()) {
        if (e.type().equals("unexpected_rows_expectation")) {
          throw personalValuesRead(suite, e, "unexpected_rows_query", personal.isEmpty()
              ? "its SQL may read the values of any column (IDs and mobiles in any of them are masked for you)"
              : "its SQL may read " + String.join(", ", new TreeSet<>(personal.keySet())) + ", personal columns", id);
        }
      }
    }
    List<CompiledExpectation> compiled = ExpectationCatalog.compile(suite, facts);
    // The other columns whose values the caller's rules read: refused after the scan if their values hold
    // identifiers, which the caller sees masked there too (found by a probe: pattern rules on a free-text column
    // answered digit by digit what its masked view hid).
    Map<String, IdentifierValuesAnalyzer> identifierProbes = new LinkedHashMap<>();
    if (personalValuesOwner != null) {
      for (CompiledExpectation c : compiled) {
        valuesRead(c).forEach((column, kwarg) -> {
          if (personal.containsKey(column)) {
            throw personalValuesRead(suite, c.config(), kwarg, (kwarg.equals("row_condition") ? "its row_condition"
                + " reads" : "it reads") + " the values of " + column + ", a personal column", id);
          }
          identifierProbes.computeIfAbsent(column, IdentifierValuesAnalyzer::new);
        });
      }
    }
    List<Analyzer<?>> analyzers = new ArrayList<>(ExpectationCatalog.analyzers(compiled));
    // Every run records the size, and the completeness of each column it reads anyway: the history that anomaly
    // checks and trends need, at no extra I/O.
    java.util.Set<String> keys = new java.util.HashSet<>();
    java.util.Set<String> read = new java.util.TreeSet<>();
    analyzers.forEach(an -> {
      keys.add(an.key());
      read.addAll(an.columns());
    });
    List<Analyzer<?>> always = new ArrayList<>();
    always.add(io.dataops.quality.engine.SizeAnalyzer.INSTANCE);
    for (String column : read) {
      always.add(new io.dataops.quality.engine.CompletenessAnalyzer(column));
    }
    always.addAll(identifierProbes.values());
    for (Analyzer<?> an : always) {
      if (keys.add(an.key())) {
        analyzers.add(an);
      }
    }
    for (Analyzer<?> analyzer : analyzers) {
      Analyzer<?> a = analyzer instanceof io.dataops.quality.engine.FilteredAnalyzer<?> f ? f.inner() : analyzer;
      if (a instanceof ValueGroupsAnalyzer g) {
        g.displayWith((column, value) -> display(personal, column, value));
      } else if (a instanceof io.dataops.quality.engine.ReferenceAnalyzer r) {
        r.displayWith((column, value) -> display(personal, column, value));
      }
    }

    java.util.function.Predicate<String> scanned = path -> true;
    if (scope == Scope.FEED && snapshot == null) {
      throw new BadInputException("--feed checks the rows the table's last commit added, and " + id + " has no "
          + "snapshot");
    }
    if (scope == Scope.FEED) {
      // A feed that replaced another also added other feeds' rows, written again without the replaced ones.
      java.util.Set<String> others = FeedTables.rewrittenFiles(snapshot.summary());
      java.util.Set<String> added = new java.util.HashSet<>();
      snapshot.addedDataFiles(table.io()).forEach(f -> {
        if (!others.contains(f.location())) {
          added.add(f.location());
        }
      });
      if (added.isEmpty() && snapshot.summary().get(FeedTables.SUMMARY_FEED_ID) == null) {
        // Found by a probe: a commit that added no rows, checked "as a feed", scanned nothing and passed. (A feed
        // whose every row was quarantined is still checked: its report says so.)
        throw new BadInputException("--feed checks the rows a commit added, and snapshot " + snapshot.snapshotId()
            + " of " + id + " added none (" + snapshot.operation() + "): check the table without --feed");
      }
      scanned = added::contains;
    }
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    String runId = runId(now, ThreadLocalRandom.current().nextInt());
    List<Expectation> expectations = suite.expectations();
    List<String> columnsOf = expectations.stream().map(QualityRunner::columnsOf).toList();
    Table failures = lakehouse.createOrLoad(ROW_FAILURES, new org.apache.iceberg.Schema(
        RowFailureWriter.SCHEMA.columns()), Map.of());
    Path spill = workDir.resolve("quality-" + runId);
    io.dataops.quality.engine.RowLocator locator = new io.dataops.quality.engine.RowLocator(key,
        key.stream().map(k -> schema.findField(k).type()).toList(), (column, value) -> display(personal, column, value));
    StateStore stateStore = new StateStore(lakehouse);
    ValueMemory memory = ValueMemory.forRun();
    ScanRunner.Outcome outcome = null;
    String incrementalNote = null;
    if (scope == Scope.TABLE && incremental && snapshot != null) {
      Incremental inc = fromFeedStates(table, snapshot, analyzers, stateStore, id.toString(),
          context(NO_FAILURES, spill, personal, locator, memory));
      outcome = inc.outcome();
      incrementalNote = inc.note();
    }
    // The failing rows' writers stay open until their commit (or close on the way out when the run fails).
    try (FailureFiles failureRows = new FailureFiles(failures, runId, id.toString(),
        snapshot == null ? null : snapshot.snapshotId(), expectations, columnsOf, now)) {
      if (outcome == null) try {
        outcome = ScanRunner.run(table, snapshot == null ? null : snapshot.snapshotId(), scanned, analyzers, key, threads,
            slot -> context(failureRows.writer(slot), spill, personal, locator, memory));
      } finally {
        deleteQuietly(spill);
      }
      List<Analyzer<?>> second = new ArrayList<>();
      States first = new States(outcome.states());
      compiled.forEach(c -> second.addAll(c.secondPass(first)));
      if (!second.isEmpty()) {
        ScanRunner.Outcome again;
        try {
          // Slots after the first scan's, so the failure files of the two scans never share a name.
          again = ScanRunner.run(table, snapshot == null ? null : snapshot.snapshotId(), scanned, second, key, threads,
              slot -> context(failureRows.writer(threads + slot), spill, personal, locator, memory));
        } finally {
          deleteQuietly(spill);
        }
        Map<String, io.dataops.quality.engine.AnalyzerState<?>> all = new LinkedHashMap<>(outcome.states());
        all.putAll(again.states());
        outcome = new ScanRunner.Outcome(all, Math.max(outcome.rows(), again.rows()), outcome.files() + again.files(),
            outcome.bytes() + again.bytes());
      }
      checkIdentifiersUnread(suite, compiled, identifierProbes, outcome.states(), id);
      if (scope == Scope.FEED && snapshot != null) {
        Map<String, byte[]> keep = new LinkedHashMap<>();
        for (Analyzer<?> an : analyzers) {
          if (an.persistKey() != null) {
            keep.put(an.persistKey(), saveState(an, outcome.states().get(an.key())));
          }
        }
        stateStore.save(runId, id.toString(), snapshot.snapshotId(),
            snapshot.summary().get(FeedTables.SUMMARY_FEED_ID), now, keep);
      }

      States states = new States(outcome.states());
      List<ExpectationResult> results = new ArrayList<>();
      for (CompiledExpectation c : compiled) {
        try {
          results.add(maskRowValues(c.evaluate(states), personal));
        } catch (RuntimeException e) {
          results.add(ExpectationResult.error(c.config(), e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
      }
      boolean success = true;
      for (ExpectationResult r : results) {
        if (!r.success() && !Severity.WARNING.spelling().equals(r.expectationConfig().severity())) {
          success = false;
        }
      }
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("run_id", runId);
      meta.put("validation_time", now.toString());
      meta.put("table", id.toString());
      meta.put("snapshot_id", snapshot == null ? null : snapshot.snapshotId());
      meta.put("scope", scopeName);
      if (scope == Scope.FEED && snapshot != null) {
        meta.put("feed_id", snapshot.summary().get(FeedTables.SUMMARY_FEED_ID));
      }
      if (!references.isEmpty()) {
        meta.put("reference_snapshot_ids", references); // what the run read of the other tables, as snapshot_id
      }
      meta.put("rows_scanned", outcome.rows());
      meta.put("incremental", incrementalNote != null && outcome.files() == 0);
      if (incrementalNote != null) {
        meta.put("incremental_note", incrementalNote);
      }
      meta.put("engine", "dataops quality-rules (one-pass analyzers; Great Expectations 1.x result format)");
      ValidationResult validation = new ValidationResult(success, results, suite.name(), suite.suiteParameters(),
          ValidationResult.Statistics.of(results), meta);

      // Recorded after evaluating, so a run is never part of its own history. Two writes to two tables: the metrics
      // go on a thread of their own while the failing rows' files are closed and committed (one after the other, the
      // second core sat idle through both).
      List<io.dataops.quality.expect.Metrics.Metric> metrics = io.dataops.quality.expect.Metrics.of(analyzers,
          outcome.states(), personal.keySet());
      String feedId = scope == Scope.FEED && snapshot != null ? snapshot.summary().get(FeedTables.SUMMARY_FEED_ID) : null;
      Long snapshotIdRead = snapshot == null ? null : snapshot.snapshotId();
      CompletableFuture<Void> recorded = CompletableFuture.runAsync(() -> metricStore.record(runId, id.toString(),
          snapshotIdRead, feedId, scopeName, now, metrics), QualityRunner::inBackground);
      FailureFiles.Committed committed;
      try {
        // An expectation that raised (a pattern's overrun) has no verdict on any row: the rows it failed before
        // raising are not recorded.
        java.util.BitSet raised = new java.util.BitSet();
        for (int i = 0; i < results.size(); i++) {
          if (results.get(i).exceptionInfo() != null) {
            raised.set(i);
          }
        }
        committed = failureRows.commit(raised);
      } finally {
        awaitQuietly(recorded);
      }
      awaitRecorded(recorded);
      return new QualityReport(runId, id.toString(), snapshotIdRead, feedId, scopeName, validation, metrics,
          outcome.rows(), committed.rows(), committed.snapshotId(), (System.nanoTime() - started) / 1e9,
          ExpectationCatalog.references(suite, id.toString()).stream().map(TableIdentifier::toString).toList(),
          references);
    }
  }

  /**
   * The snapshot each other table of the suite is read at: the one given (pinned by the caller), else its current
   * one, taken here once so that every rule reading it reads the same snapshot. The caller's read of each is checked
   * first, at the snapshot it reads, as compiling does, since this loads the table; a table missing, or without a
   * snapshot, is left out (its rules say it does not exist, or read nothing).
   */
  private Map<String, Long> referenceSnapshots(ExpectationSuite suite, TableIdentifier id, Map<String, Long> given) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (TableIdentifier other : ExpectationCatalog.references(suite, id.toString())) {
      Long pinned = given.get(other.toString());
      reads.check(other, pinned);
      if (pinned != null) {
        out.put(other.toString(), pinned);
        continue;
      }
      try {
        Snapshot current = lakehouse.load(other).currentSnapshot();
        if (current != null) {
          out.put(other.toString(), current.snapshotId());
        }
      } catch (org.apache.iceberg.exceptions.NoSuchTableException missing) {
        // compiling refuses the rule that names it, at its line
      }
    }
    return out;
  }

  private static void inBackground(Runnable task) {
    Thread t = new Thread(task, "quality-metrics");
    t.setDaemon(true);
    t.start();
  }

  /** Waits for the metrics' write without throwing: a failed commit of the failing rows is the error to report. */
  private static void awaitQuietly(CompletableFuture<Void> recorded) {
    try {
      recorded.join();
    } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException ignored) {
      // reported by awaitRecorded when nothing failed before it
    }
  }

  private static void awaitRecorded(CompletableFuture<Void> recorded) {
    try {
      recorded.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  private static final FailureSink NO_FAILURES = (e, k, f, r, reason, v) -> { };

  /** A table run assembled from stored feed states (outcome set), or why it could not be (note only). */
  private record Incremental(ScanRunner.Outcome outcome, String note) {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static byte[] saveState(Analyzer analyzer, io.dataops.quality.engine.AnalyzerState<?> state) {
    return analyzer.save(state);
  }

  /**
   * The table at {@code snapshot} is the sum of its feeds when its history is appends of landed feeds: add up
   * their stored states. Any other history, a missing state, or an analyzer that keeps none means a scan.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Incremental fromFeedStates(Table table, Snapshot snapshot, List<Analyzer<?>> analyzers,
      StateStore store, String tableName, ScanContext context) {
    for (Analyzer<?> a : analyzers) {
      if (a.persistKey() == null) {
        return new Incremental(null, "scanned: " + a.key() + " keeps no state between runs");
      }
    }
    List<Long> feeds = new ArrayList<>();
    for (Snapshot s = snapshot; s != null; s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
      if (!"append".equals(s.operation()) || s.summary().get(FeedTables.SUMMARY_FEED_ID) == null) {
        return new Incremental(null, "scanned: snapshot " + s.snapshotId() + " is not a landed feed");
      }
      feeds.add(s.snapshotId());
    }
    Map<Long, Map<String, byte[]>> stored = store.load(tableName, feeds);
    Map<String, io.dataops.quality.engine.AnalyzerState<?>> merged = new LinkedHashMap<>();
    for (Long feed : feeds) {
      Map<String, byte[]> states = stored.get(feed);
      for (Analyzer a : analyzers) {
        byte[] bytes = states == null ? null : states.get(a.persistKey());
        if (bytes == null) {
          return new Incremental(null, "scanned: feed snapshot " + feed + " has no stored state for " + a.key());
        }
        io.dataops.quality.engine.AnalyzerState restored = (io.dataops.quality.engine.AnalyzerState) a.restore(bytes,
            context);
        merged.merge(a.key(), restored, (x, y) -> (io.dataops.quality.engine.AnalyzerState<?>)
            ((io.dataops.quality.engine.AnalyzerState) x).merge(y));
      }
    }
    long rows = ((io.dataops.quality.engine.SizeAnalyzer.State) merged.getOrDefault(
        io.dataops.quality.engine.SizeAnalyzer.INSTANCE.key(), new io.dataops.quality.engine.SizeAnalyzer.State())).rows;
    return new Incremental(new ScanRunner.Outcome(merged, rows, 0, 0),
        "added up the stored states of " + feeds.size() + " feeds; no data read");
  }

  private ScanContext context(FailureSink sink, Path spill, Map<String, String> personal,
      io.dataops.quality.engine.RowLocator locator, ValueMemory memory) {
    return new ScanContext() {
      @Override
      public ValueMemory valueMemory() {
        return memory;
      }

      @Override
      public io.dataops.quality.engine.RowLocator rowLocator() {
        return locator;
      }

      @Override
      public FailureSink failures() {
        return sink;
      }

      @Override
      public Path spillDirectory() {
        return spill;
      }

      @Override
      public long spillBudgetBytes() {
        return spillBudgetBytes;
      }

      @Override
      public String display(String column, String value) {
        return QualityRunner.display(personal, column, value);
      }
    };
  }

  /**
   * The expectations whose observed value is the value of single rows: a minimum, maximum, median or quantile of a
   * personal column is one person's value (the oldest person's birth date), shown to departments and the authority.
   */
  private static final java.util.Set<String> ROW_VALUE_RESULTS = java.util.Set.of(
      "expect_column_min_to_be_between", "expect_column_max_to_be_between", "expect_column_median_to_be_between",
      "expect_column_quantile_values_to_be_between");

  /**
   * Rules that learn nothing of a personal column's values beyond whether they are null, repeated, or found in another
   * table (whose rows the caller's read of it was checked for): the rest compare them with constants the caller chose
   * (a pattern, a set, a bound), each run answering a question about the values.
   */
  private static final java.util.Set<String> VALUE_BLIND = java.util.Set.of("expect_column_to_exist",
      "expect_column_values_to_not_be_null", "expect_column_values_to_be_null", "expect_column_values_to_be_unique",
      "expect_compound_columns_to_be_unique", "expect_select_column_values_to_be_unique_within_record",
      "expect_column_unique_value_count_to_be_between", "expect_column_proportion_of_unique_values_to_be_between",
      "expect_column_values_to_exist_in_table", "expect_column_values_to_be_of_type",
      "expect_column_values_to_be_in_type_list");

  /**
   * The columns whose values rule {@code c} reads, each with the argument that reads them: {@code row_condition} (it
   * narrows the rows by their values) or {@code column}, unless the rule is {@link #VALUE_BLIND} to them or reads them
   * only for their nulls.
   */
  private static Map<String, String> valuesRead(CompiledExpectation c) {
    Expectation e = c.config();
    java.util.Set<String> named = new java.util.HashSet<>();
    if (VALUE_BLIND.contains(e.type())) {
      for (String kwarg : List.of("column", "column_list", "column_A", "column_B")) {
        Object v = e.kwargs().get(kwarg);
        if (v instanceof String s) {
          named.add(s);
        } else if (v instanceof List<?> l) {
          l.forEach(x -> named.add(String.valueOf(x)));
        }
      }
    }
    Map<String, String> read = new LinkedHashMap<>();
    for (Analyzer<?> a : c.analyzers()) {
      if (a instanceof io.dataops.quality.engine.FilteredAnalyzer<?> f) {
        f.filter().columns().forEach(column -> read.putIfAbsent(column, "row_condition"));
      }
      for (String column : a.columns()) {
        if (!named.contains(column) && !a.nullsOnlyColumns().contains(column)) {
          read.putIfAbsent(column, "column");
        }
      }
    }
    return read;
  }

  /**
   * Refuses the first rule that read the values of a column where {@code probes} found identifiers: the caller sees
   * them masked, as in a personal column. Nothing of the run is kept.
   */
  private void checkIdentifiersUnread(ExpectationSuite suite, List<CompiledExpectation> compiled,
      Map<String, IdentifierValuesAnalyzer> probes, Map<String, io.dataops.quality.engine.AnalyzerState<?>> states,
      TableIdentifier table) {
    if (probes.isEmpty()) {
      return;
    }
    for (CompiledExpectation c : compiled) {
      for (Map.Entry<String, String> read : valuesRead(c).entrySet()) {
        IdentifierValuesAnalyzer probe = probes.get(read.getKey());
        long holding = probe == null ? 0 : ((IdentifierValuesAnalyzer.State) states.get(probe.key())).holding;
        if (holding > 0) {
          throw personalValuesRead(suite, c.config(), read.getValue(), (read.getValue().equals("row_condition")
              ? "its row_condition reads" : "it reads") + " the values of " + read.getKey() + ", where " + holding
              + (holding == 1 ? " value holds" : " values hold") + " a resident ID, mobile or bank card number", table);
        }
      }
    }
  }

  /** The refusal of rule {@code e}, at the line of its argument {@code kwarg} (else its own). */
  private PersonalValuesRefusedException personalValuesRead(ExpectationSuite suite, Expectation e, String kwarg,
      String why, TableIdentifier table) {
    int rule = suite.expectations().indexOf(e) + 1;
    return new PersonalValuesRefusedException(suite.source() + ":" + e.lineOf(kwarg) + ": rule " + rule + " ("
        + e.type() + ") is refused: " + why + " of " + table + ", which you see masked; only " + personalValuesOwner
        + " runs its own rules on them (the dataset's registered suite runs as registered, without --param)");
  }

  /** {@code r} with its observed row values masked as the rows' own values are, when its column is personal. */
  static ExpectationResult maskRowValues(ExpectationResult r, Map<String, String> personal) {
    Object column = r.expectationConfig().kwargs() == null ? null : r.expectationConfig().kwargs().get("column");
    if (!ROW_VALUE_RESULTS.contains(r.expectationConfig().type()) || r.result() == null || column == null
        || !personal.containsKey(column.toString())) {
      return r;
    }
    Map<String, Object> result = new LinkedHashMap<>(r.result());
    result.computeIfPresent("observed_value", (k, v) -> masked(personal, column.toString(), v));
    return new ExpectationResult(r.success(), r.expectationConfig(), result, r.meta(), r.exceptionInfo());
  }

  private static Object masked(Map<String, String> personal, String column, Object v) {
    if (v instanceof Map<?, ?> m) { // quantiles: {"quantiles": [the ranks asked], "values": [the column's values]}
      Map<Object, Object> out = new LinkedHashMap<>(m);
      out.computeIfPresent("values", (k, values) -> masked(personal, column, values));
      return out;
    }
    if (v instanceof List<?> l) {
      return l.stream().map(x -> masked(personal, column, x)).toList();
    }
    return v == null ? null : display(personal, column, String.valueOf(v));
  }

  /** A value as reports may show it: masked when the column holds personal data, shortened when long. */
  static String display(Map<String, String> personal, String column, String value) {
    if (value == null) {
      return null;
    }
    String kind = personal.get(column);
    if (kind != null) {
      return PreviewMask.mask(PersonalData.parse(kind), value);
    }
    String shown = PreviewMask.maskIdentifiers(value);
    return shown.length() > 200 ? shown.substring(0, 200) + "..." : shown;
  }

  private static String columnsOf(Expectation e) {
    Object column = e.kwargs().get("column");
    if (column != null) {
      return column.toString();
    }
    Object list = e.kwargs().get("column_list");
    if (list instanceof List<?> l) {
      return String.join(",", l.stream().map(String::valueOf).toList());
    }
    Object a = e.kwargs().get("column_A");
    Object b = e.kwargs().get("column_B");
    return a != null && b != null ? a + "," + b : null;
  }

  private static void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // temporary spill files; the work folder is cleared again next time
    }
  }
}
