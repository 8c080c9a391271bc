package io.dataops.platform.cli;

import io.dataops.core.AccessDeniedException;
import io.dataops.core.BadInputException;
import io.dataops.core.files.OwnerOnly;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.quality.expect.ExpectationCatalog;
import io.dataops.quality.run.QualityReport;
import io.dataops.quality.run.QualityRunner;
import io.dataops.quality.suite.ExpectationSuite;
import io.dataops.quality.suite.Severity;
import io.dataops.quality.suite.SuiteParser;
import io.dataops.quality.suite.SuiteRegistry;
import io.dataops.platform.config.Home;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.intake.FeedIntake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.iceberg.catalog.TableIdentifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "quality", mixinStandardHelpOptions = true,
    description = "Data quality: Great Expectations-compatible suites run by one-pass analyzers.",
    subcommands = {QualityCommand.Run.class, QualityCommand.Suggest.class, QualityCommand.Suite.class})
final class QualityCommand {

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Validate a table (or one feed of it) against a suite; prints the validation result.")
  static final class Run implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    @Option(names = "--table", required = true, paramLabel = "NAME") String table;
    @Option(names = "--suite", paramLabel = "FILE",
        description = "Suite file (JSON or YAML; default: the suite registered for the table's dataset).") Path suite;
    @Option(names = "--snapshot", paramLabel = "ID", description = "Validate the table as of this snapshot.") Long snapshot;
    @Option(names = "--feed", description = "Only the rows the snapshot's feed added.") boolean feed;
    @Option(names = "--full", description = "Read the whole table even when the stored states of its feed runs "
        + "could be added up instead.") boolean full;
    @Option(names = "--workers", paramLabel = "N", description = "Threads sharing the scan, each reading its own data "
        + "files (default: the available processors, at most 2); any number gives the same results.") Integer workers;
    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "A suite parameter for this run (repeatable; "
        + "overrides the suite's own): a number, true/false, JSON, or text such as a date.")
    List<String> params = new ArrayList<>();
    @Option(names = "--fail-on-error", description = "Exit with status 2 when a rule of severity error fails (the run,"
        + " its failing rows and metrics are recorded all the same): a scheduler then shows the run as failed.")
    boolean failOnError;

    Run(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      PlatformConfig config = cli.config(common);
      TableIdentifier id = TableNames.parse(table);
      cli.know("table", id.toString());
      if (feed && full) {
        throw new BadInputException("give --feed (the rows one feed landed) or --full (the whole table, read again), "
            + "not both");
      }
      try (Lakehouse lh = cli.lakehouse(config)) {
        TableAccess.checkRows(cli, config, lh, id, snapshot, null, "quality run");
        ExpectationSuite s;
        if (suite != null) {
          if (!Files.isRegularFile(suite)) {
            throw new BadInputException("no suite file at " + suite);
          }
          s = SuiteParser.parse(suite, Quality.parameters(params));
        } else {
          Path registered = Quality.suiteFor(config, lh, id).map(SuiteRegistry.Registered::file).orElseThrow(() ->
              new BadInputException("no suite registered for " + id + ": pass --suite FILE or register one "
                  + "(dataops quality suite register)"));
          s = SuiteParser.parse(registered, Quality.parameters(params));
        }
        // The other tables the suite reads are read as the caller, checked as the table itself is (before any of
        // them is looked at); the runner asks again, at the snapshots it pins, before it compiles against them.
        var references = ExpectationCatalog.references(s, id.toString());
        references.forEach(Quality.reads(cli, config, lh)::checkCurrent);
        QualityRunner runner = Quality.runner(cli, lh, config, workers);
        if ((suite != null || !params.isEmpty()) && TableAccess.personalValuesMasked(cli, id)) {
          // rules of the caller's own (or the registered ones steered by its parameters) on values it sees masked
          runner.personalValuesHidden("the department that owns " + id);
        }
        QualityReport r;
        try {
          r = Quality.intake(cli, config, lh).run(runner, id, snapshot, s,
              feed ? QualityRunner.Scope.FEED : QualityRunner.Scope.TABLE, !full);
        } catch (io.dataops.quality.run.PersonalValuesRefusedException refused) {
          cli.session().refuse(refused, List.of("table:" + id, "personal-values"));
          throw refused;
        } catch (AccessDeniedException refused) {
          throw refused; // audited as the refusal it is (a reference named by a parameter), no run stopped
        } catch (BadInputException stopped) {
          FeedIntake.recordQualityRunStopped(cli.audit(), id.toString(), snapshot, references, stopped);
          throw stopped;
        }
        FeedIntake.recordQualityRun(cli.audit(), r, id.toString());
        Map<String, Object> json = new LinkedHashMap<>(Cli.JSON.convertValue(r.validation(), Map.class));
        // The results themselves, not their conversion: a floating column's 1e+22 is written as GX writes it, where
        // the conversion's Double is written 1.0E22.
        json.put("results", r.validation().results());
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = new LinkedHashMap<>((Map<String, Object>) json.get("meta"));
        meta.put("failing_rows", r.failingRows());
        meta.put("failures_table", QualityRunner.ROW_FAILURES.toString());
        meta.put("metrics", r.metrics());
        meta.put("seconds", r.seconds());
        json.put("meta", meta);
        cli.print(common, json, Quality.text(r));
        // The rules that failed, by position, type and column; one that raised says why it could not be checked.
        List<String> failedRules = new ArrayList<>();
        List<io.dataops.quality.result.ExpectationResult> results = r.validation().results();
        for (int i = 0; i < results.size(); i++) {
          var e = results.get(i);
          if (!e.success() && !Severity.WARNING.spelling().equals(e.expectationConfig().severity())) {
            Object column = e.expectationConfig().kwargs().get("column");
            failedRules.add("rule " + (i + 1) + " " + e.expectationConfig().type() + (column == null ? ""
                : "(" + column + ")") + (e.exceptionInfo() == null ? ""
                : " could not be checked: " + e.exceptionInfo().exceptionMessage()));
          }
        }
        long failed = failedRules.size();
        if (failOnError && failed > 0) {
          cli.err.println("dataops: " + failed + (failed == 1 ? " rule" : " rules") + " of severity error failed on "
              + id + " (quality run " + r.runId() + ", " + String.format("%,d", r.failingRows())
              + " failing rows in " + QualityRunner.ROW_FAILURES + "): " + String.join("; ", failedRules));
          return 2;
        }
      }
      return 0;
    }
  }

  @Command(name = "suggest", mixinStandardHelpOptions = true,
      description = "Profile a table and write a starter suite (Great Expectations 1.x JSON) to review and register.")
  static final class Suggest implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    @Option(names = "--table", required = true, paramLabel = "NAME") String table;
    @Option(names = "--out", paramLabel = "FILE",
        description = "Where to write the suite (default: <home>/suites/suggested/<table>.json).") Path out;

    Suggest(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() throws java.io.IOException {
      // Without --out the suite goes into the home, which must then be writable.
      PlatformConfig config = out != null ? cli.configToRead(common) : cli.config(common);
      if (out != null) {
        OutputPaths.outsideHome(config, out, "--out");
      }
      TableIdentifier id = TableNames.parse(table);
      cli.know("table", id.toString());
      io.dataops.quality.suggest.Suggester.Suggestion s;
      byte[] written;
      // Exact uniqueness spills sorted runs: to the home's scratch folder, or a private one when the home is read-only.
      boolean homeScratch = Home.writable(config.home());
      Path work = homeScratch ? config.work() : io.dataops.core.files.ProcessScratch.newFolder("suggest");
      try (Lakehouse lh = cli.lakehouse(config)) {
        var version = TableAccess.checkRead(cli, config, lh, id, null, null);
        var reads = version.isEmpty() ? null : io.dataops.platform.product.ProductReads.of(config, cli.audit());
        Long grant = version.isEmpty() ? null : reads.provided(version.get(), cli.session().actor(), id,
            "quality suggest");
        s = new io.dataops.quality.suggest.Suggester(lh, work, LandCommand.workers()).suggest(id);
        written = Cli.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(s.suite());
        recordSuggestion(reads, id, version.orElse(null), grant, s.rows(), written.length);
      } finally {
        if (!homeScratch) {
          try (var files = Files.walk(work)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
          }
        }
      }
      Path file = out != null ? out : config.suites().resolve("suggested").resolve(id + ".json");
      if (file.toAbsolutePath().getParent() != null) {
        OwnerOnly.directories(file.toAbsolutePath().getParent());
      }
      io.dataops.core.files.OutFiles.replace(file, written, "the suggested suite");
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("file", file.toString());
      json.put("rows", s.rows());
      json.put("suite", s.suite());
      json.put("profile", s.profile());
      @SuppressWarnings("unchecked")
      var expectations = (java.util.List<Map<String, Object>>) s.suite().get("expectations");
      StringBuilder text = new StringBuilder(String.format("profiled %,d rows of %s; suggested %d expectations in %s%n",
          s.rows(), id, expectations.size(), file));
      for (var e : expectations) {
        text.append(String.format("  %-58s %s  -- %s%n", e.get("type"), e.get("kwargs"),
            ((Map<?, ?>) e.get("meta")).get("suggested_because")));
      }
      text.append("review it, then: dataops quality suite register --department D --dataset S --file ").append(file)
          .append('\n');
      cli.print(common, json, text.toString());
      return 0;
    }

    /**
     * The suggestion's event. Another organization's suggestion from a version holds its distinct values, a copy its
     * destruction lists as a table show's rows are (found by a probe: the event named the table only): it names the
     * version and the grant, and is recorded while the version is as it was checked, or refused.
     */
    private void recordSuggestion(io.dataops.platform.product.ProductReads reads, TableIdentifier id,
        io.dataops.products.registry.ProductVersion v, Long grant, long rows, long bytes) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("rows", rows);
      details.put("bytes", bytes);
      String action = io.dataops.platform.product.ProductReads.SUGGEST_ACTION;
      if (grant == null) {
        cli.audit().record(io.dataops.core.audit.AuditEvent.ok(action, java.util.List.of("table:" + id), details));
        return;
      }
      details.put("product", v.product());
      details.put("version", v.version());
      details.put("grant", grant);
      reads.recordCopy(v, io.dataops.core.audit.AuditEvent.ok(action, java.util.List.of("table:" + id, "product:"
          + v.product() + "@" + v.version()), details), "nothing is written");
    }
  }

  @Command(name = "suite", mixinStandardHelpOptions = true, description = "Suites registered per department dataset.",
      subcommands = {Suite.Register.class})
  static final class Suite {
    @Command(name = "register", mixinStandardHelpOptions = true,
        description = "Check a suite and register it: it then runs on every feed of the dataset.")
    static final class Register implements Callable<Integer> {
      private final Cli cli;
      final CommonOptions common;
      @Option(names = "--department", required = true, paramLabel = "D") String department;
      @Option(names = "--dataset", required = true, paramLabel = "S") String dataset;
      @Option(names = "--file", required = true, paramLabel = "SUITE") Path file;
      @Option(names = "--schedule", paramLabel = "CRON", description = "Also run the suite on the whole table by "
          + "this cron (seconds first: '0 0 6 * * MON'), as you, with 'dataops scheduler start' (see: schedule list).")
      String schedule;
      @Option(names = "--timeout", paramLabel = "AGE", description = "With --schedule: stop a scheduled run still "
          + "going after this long (e.g. 90m, 2h; default 24h, at most 30d; a schedule replaced keeps its own).")
      String timeout;

      Register(Cli cli) {
        this.cli = cli;
        this.common = cli.common;
      }

      @Override
      public Integer call() {
        if (!Files.isRegularFile(file)) {
          throw new BadInputException("no suite file at " + file);
        }
        if (timeout != null && schedule == null) {
          throw new BadInputException("--timeout bounds the scheduled runs: give --schedule CRON with it");
        }
        // Checked before anything is registered (null: unsaid).
        java.time.Duration limit = timeout == null ? null
            : io.dataops.platform.schedule.ScheduleServices.timeout(timeout, "--timeout");
        PlatformConfig config = cli.config(common);
        TableIdentifier id = TableNames.ods(department, dataset);
        cli.session().requireOrganization(department, "the suite of " + department + "/" + dataset,
            java.util.List.of("table:" + id));
        // Check the suite now rather than at the next feed, as the intake will: against the dataset's registered
        // contract (the table its next feed makes) or the table.
        java.util.List<String> warnings;
        try (Lakehouse lh = cli.lakehouse(config)) {
          // The other tables it refers to are read as the registering department at every feed: refused now, as
          // that department's read of them is (a parameter naming one is checked at each run).
          warnings = FeedIntake.checkSuiteFits(SuiteParser.parseDeferred(file).resolvedOnly(), id,
              new io.dataops.lakehouse.contract.ContractRegistry(config.contracts()).find(department, dataset)
                  .map(c -> c.contract()).orElse(null), lh, Quality.reads(cli, config, lh));
        }
        if (schedule != null) {
          ScheduleCommand.checkCron(schedule);
          ScheduleCommand.checkReplaceable(cli, config, "quality:" + id);
        }
        var r = io.dataops.platform.intake.RegisteredSuites.register(config, department, dataset, file, cli.audit());
        String scheduleId = null;
        if (schedule != null) {
          scheduleId = ScheduleCommand.saveQuality(cli, config, id.toString(), null, schedule, null, limit);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("department", department);
        json.put("dataset", dataset);
        json.put("suite", r.suite().name());
        json.put("expectations", r.suite().expectations().size());
        json.put("file", r.file().toString());
        json.put("schedule", scheduleId);
        json.put("warnings", warnings);
        StringBuilder text = new StringBuilder(String.format("registered suite %s (%d expectations) for %s/%s: it "
            + "runs on every feed%s%n", r.suite().name(), r.suite().expectations().size(), department, dataset,
            scheduleId == null ? "" : " and by cron '" + schedule + "' (schedule " + scheduleId + ")"));
        warnings.forEach(w -> text.append("  warning: ").append(w).append('\n'));
        cli.print(common, json, text.toString());
        return 0;
      }
    }
  }
}
