package io.dataops.platform.cli;

import io.dataops.core.AccessDeniedException;
import io.dataops.core.BadInputException;
import io.dataops.core.audit.AuditEvent;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.pipelines.definition.PipelineDefinition;
import io.dataops.pipelines.definition.PipelineParser;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.governance.GrantServices;
import io.dataops.platform.pipeline.PipelineRuns;
import io.dataops.platform.schedule.ScheduleServices;
import io.dataops.scheduler.embedded.EmbeddedScheduler;
import io.dataops.scheduler.embedded.Schedule;
import io.dataops.scheduler.embedded.ScheduleStore;
import io.dataops.scheduler.embedded.ScheduledRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dataops schedule ...}: the embedded scheduler's schedules and their run history. */
@Command(name = "schedule", mixinStandardHelpOptions = true,
    description = "Schedules of the embedded scheduler (run by 'dataops scheduler start') and their runs.",
    subcommands = {ScheduleCommand.AddPipeline.class, ScheduleCommand.AddQuality.class, ScheduleCommand.ListAll.class,
        ScheduleCommand.Runs.class, ScheduleCommand.Trigger.class, ScheduleCommand.Pause.class,
        ScheduleCommand.Resume.class, ScheduleCommand.Remove.class})
final class ScheduleCommand {
  /** Attempts of a run failing for an internal reason when neither the flag nor the pipeline file says. */
  static final int DEFAULT_ATTEMPTS = 3;

  private ScheduleCommand() {}

  static Map<String, Object> describe(Schedule s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.id());
    m.put("kind", s.kind());
    m.put("target", s.target());
    m.put("cron", s.cron());
    m.put("onFeed", s.onFeed());
    m.put("inputs", s.inputs());
    m.put("command", s.command());
    m.put("runAs", s.runAs());
    m.put("maxAttempts", s.maxAttempts());
    m.put("timeout", Schedule.text(s.timeout()));
    m.put("timeoutSeconds", s.timeout().getSeconds());
    m.put("paused", s.paused());
    m.put("lastDue", s.lastDue() == null ? null : Instant.ofEpochMilli(s.lastDue()).toString());
    if (s.cron() != null && !s.paused()) {
      var next = EmbeddedScheduler.parse(s.cron()).next(java.time.ZonedDateTime.now(EmbeddedScheduler.ZONE));
      m.put("nextDue", next == null ? null : next.toInstant().toString());
    }
    return m;
  }

  /** The next due time as the list shows it: "never" for an active cron that no date matches (stored before). */
  private static Object next(Schedule s, Map<String, Object> described) {
    if (described.get("nextDue") != null) {
      return described.get("nextDue");
    }
    return s.cron() != null && !s.paused() ? "never (no date matches its cron)" : "-";
  }

  static Map<String, Object> describe(ScheduledRun r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id());
    m.put("schedule", r.scheduleId());
    m.put("trigger", r.trigger());
    m.put("triggerKey", r.triggerKey());
    m.put("dueAt", Instant.ofEpochMilli(r.dueAt()).toString());
    m.put("occurrences", r.occurrences());
    m.put("firstDue", Instant.ofEpochMilli(r.firstDue()).toString());
    m.put("state", r.state());
    m.put("attempts", r.attempts());
    m.put("startedAt", r.startedAt() == null ? null : Instant.ofEpochMilli(r.startedAt()).toString());
    m.put("finishedAt", r.finishedAt() == null ? null : Instant.ofEpochMilli(r.finishedAt()).toString());
    m.put("exitStatus", r.exitStatus());
    m.put("error", r.error());
    return m;
  }

  /**
   * The longest cron expression taken: six fields with lists and ranges fit well within it; a probe's 10 KB one was
   * stored and echoed by every list and audit event.
   */
  static final int MAX_CRON = 200;

  /** A cron expression as Spring reads it, or a bad-input error saying what is wrong. */
  static String checkCron(String cron) {
    if (cron.length() > MAX_CRON) {
      throw new BadInputException("--cron is at most " + MAX_CRON + " characters, not " + cron.length()
          + " (six fields: second minute hour day-of-month month day-of-week)");
    }
    try {
      EmbeddedScheduler.parseFiring(cron);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("--cron '" + cron + "': " + e.getMessage().lines().findFirst().orElse("")
          + " (six fields: second minute hour day-of-month month day-of-week)");
    }
    return cron;
  }

  /**
   * Adds or replaces a schedule that runs as the current user; audited. Returns its id. A null {@code maxAttempts} or
   * {@code timeout} is unsaid: a schedule replaced keeps its own, a new one gets the default.
   */
  static String save(Cli cli, PlatformConfig config, Lakehouse lh, String id, String kind, String target,
      List<String> command, String cron, boolean onFeed, List<String> inputs, Integer maxAttempts, Duration timeout) {
    String user = cli.session().principal().name();
    Duration given = timeout == null ? Schedule.DEFAULT_TIMEOUT : timeout;
    int attempts = maxAttempts == null ? DEFAULT_ATTEMPTS : maxAttempts;
    Schedule s = new Schedule(id, kind, target, command, cron, onFeed, inputs, user, attempts, false,
        System.currentTimeMillis(), user, null, null, given);
    String baseline = onFeed ? ScheduleServices.inputSnapshots(lh, s) : null;
    s = new Schedule(id, kind, target, command, cron, onFeed, inputs, user, attempts, false, s.createdAt(), user,
        null, baseline, given);
    try {
      ScheduleServices.store(config).save(s, timeout == null, maxAttempts == null, cli.audit(), saved -> {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("cron", cron);
        details.put("onFeed", onFeed);
        details.put("maxAttempts", saved.maxAttempts());
        details.put("timeout", Schedule.text(saved.timeout()));
        details.put("runAs", user);
        return AuditEvent.ok("schedule.add", List.of("schedule:" + id), details);
      });
    } catch (AccessDeniedException e) {
      cli.session().refuse(e, List.of("schedule:" + id));
      throw e;
    }
    return id;
  }

  /**
   * Refuses, before a command changes anything, a schedule that {@link #save} would refuse: one of the same id that
   * runs as another user (found by a probe: {@code quality suite register --schedule} put the new suite in force, then
   * exited 2 on the schedule, and the clerk took the registration for refused).
   */
  static void checkReplaceable(Cli cli, PlatformConfig config, String id) {
    String user = cli.session().principal().name();
    var other = ScheduleServices.store(config).schedule(id).filter(s -> !s.runAs().equals(user));
    if (other.isPresent()) {
      AccessDeniedException e = io.dataops.scheduler.embedded.ScheduleStore.notReplaceable(other.get());
      cli.session().refuse(e, List.of("schedule:" + id));
      throw e;
    }
  }

  /**
   * A schedule of a table's quality suite (the registered one, or the given file) by cron, as the current user; a null
   * {@code maxAttempts} or {@code timeout} keeps the one a replaced schedule had.
   */
  static String saveQuality(Cli cli, PlatformConfig config, String table, Path suite, String cron, Integer maxAttempts,
      Duration timeout) {
    // A failing rule fails the run (exit 2, not retried: the same rows fail again), which `schedule runs` shows with
    // its reason; without it a failing suite was a succeeded run.
    List<String> command = new ArrayList<>(List.of("quality", "run", "--table", table, "--fail-on-error"));
    if (suite != null) {
      command.addAll(List.of("--suite", suite.toAbsolutePath().toString()));
    }
    return save(cli, config, null, "quality:" + table, "quality", table, command, checkCron(cron), false,
        List.of(table), maxAttempts, timeout);
  }

  /** Common to the two ways of adding: cron or feed trigger, attempts; the schedule runs as the user adding it. */
  abstract static class Add implements Callable<Integer> {
    final Cli cli;
    final CommonOptions common;
    @Option(names = "--cron", paramLabel = "EXPR",
        description = "Cron with seconds: 'sec min hour day month weekday', e.g. '0 0 2 * * *' (02:00 daily).")
    String cron;
    @Option(names = "--max-attempts", paramLabel = "N",
        description = "Attempts of a run that fails for an internal reason (retried with backoff; default 3).")
    Integer maxAttempts;
    @Option(names = "--timeout", paramLabel = "AGE",
        description = "Stop a run's attempt still going after this long and fail the run, not retried (e.g. 90m, 2h; "
            + "default 24h, at most 30d).")
    String timeout;

    Add(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    /** --max-attempts, checked; null when not given (a schedule replaced then keeps its own). */
    Integer attempts() {
      if (maxAttempts != null && maxAttempts < 1) {
        throw new BadInputException("--max-attempts must be at least 1");
      }
      return maxAttempts;
    }

    /**
     * --timeout as the maintenance ages are written, checked before anything is saved; null when not given (a
     * schedule replaced then keeps its own).
     */
    Duration timeout() {
      return timeout == null ? null : ScheduleServices.timeout(timeout, "--timeout");
    }

    int save(PlatformConfig config, Lakehouse lh, String id, String kind, String target, List<String> command,
        boolean onFeed, List<String> inputs) {
      Integer attempts = attempts();
      Duration limit = timeout();
      String checked = cron == null ? null : checkCron(cron);
      if (checked == null && !onFeed) {
        throw new BadInputException("say when it runs: --cron EXPR" + (kind.equals("pipeline") ? " and/or --on-feed" : ""));
      }
      ScheduleStore store = ScheduleServices.store(config);
      Schedule saved = store.require(ScheduleCommand.save(cli, config, lh, id, kind, target, command, checked,
          onFeed, inputs, attempts, limit));
      String user = saved.runAs();
      cli.print(common, describe(saved), "schedule " + id + " runs as " + user
          + (checked == null ? "" : ", cron '" + checked + "'") + (onFeed ? ", on each new snapshot of "
          + String.join(", ", inputs) : "") + "\n(runs start when 'dataops scheduler start' is running)");
      return 0;
    }
  }

  @Command(name = "add-pipeline", mixinStandardHelpOptions = true,
      description = "Run a pipeline by cron and/or when a new snapshot of one of its input tables arrives. Runs act "
          + "as you (operator).")
  static final class AddPipeline extends Add {
    @Parameters(index = "0", paramLabel = "FILE") Path file;
    @Option(names = "--on-feed", description = "Run when an input table has a new snapshot.") boolean onFeed;
    @Option(names = "--engine", paramLabel = "ENGINE") String engine;
    // The file's schedule: section says cron and onFeed (unless --cron or --on-feed is given), the engine, the
    // attempts and the timeout; a flag given wins over the file for what it says.

    AddPipeline(Cli cli) {
      super(cli);
    }

    @Override
    public Integer call() {
      PlatformConfig config = cli.config(common);
      io.dataops.core.yaml.LinedYaml.requireFile(file, "pipeline");
      PipelineDefinition p = PipelineParser.parse(file);
      PipelineRuns.checkSchedule(p);
      // Only the pipeline's owner schedules it (as only it runs it): a probe's operator of another organization took
      // a pipeline's schedule name, which only it could then replace, and the owner was locked out for good.
      PipelineCommand.ownPipeline(cli, config, p);
      var fromFile = p.schedule();
      if (fromFile != null) {
        if (cron == null && !onFeed) {
          cron = fromFile.cron();
          onFeed = fromFile.onFeed();
        }
        engine = engine == null ? fromFile.engine() : engine;
        maxAttempts = maxAttempts == null ? fromFile.maxAttempts() : maxAttempts;
        // checked at its line by checkSchedule; unsaid in both, a schedule replaced keeps its own
        timeout = timeout == null ? fromFile.timeout() : timeout;
      }
      List<String> command = new ArrayList<>(List.of("pipeline", "run", file.toAbsolutePath().toString()));
      if (engine != null) {
        // A probe's '--engine bogus' was saved, and every run then failed on it: refused now, as dag refuses it.
        PipelineRuns.checkEngine(engine);
        command.addAll(List.of("--engine", engine));
      }
      List<String> inputs = p.inputs().stream().map(i -> TableNames.parse(i.table()).toString()).distinct().toList();
      try (Lakehouse lh = cli.lakehouse(config)) {
        // Every run asks a live grant of the owner's covering what it reads: one without it is told now, not by each
        // run's failure at night. Asked of the file's inputs and columns; no row is read.
        GrantServices.authorize(GrantServices.enforcement(config, cli.audit()), p, cli.session().actor(),
            "schedule add-pipeline");
        return save(config, lh, "pipeline:" + p.name(), "pipeline", file.toAbsolutePath().toString(), command,
            onFeed, inputs);
      }
    }
  }

  @Command(name = "add-quality", mixinStandardHelpOptions = true,
      description = "Run a table's quality suite (the registered one, or --suite) by cron. Runs act as you.")
  static final class AddQuality extends Add {
    @Option(names = "--table", required = true, paramLabel = "NAME") String table;
    @Option(names = "--suite", paramLabel = "FILE") Path suite;

    AddQuality(Cli cli) {
      super(cli);
    }

    @Override
    public Integer call() {
      PlatformConfig config = cli.config(common);
      String name = TableNames.parse(table).toString();
      if (suite != null && !Files.isRegularFile(suite)) {
        throw new BadInputException("no suite file at " + suite);
      }
      if (cron == null) {
        throw new BadInputException("say when it runs: --cron EXPR");
      }
      // Its runs read the table as the caller: one who may not read it is told now, not by every run's failure.
      try (Lakehouse lh = cli.lakehouse(config)) {
        TableAccess.checkRows(cli, config, lh, TableNames.parse(table), null, null, "schedule add-quality");
        // Without --suite each run reads the suite registered for the table: a probe's schedule of a table with none
        // was saved, and every occurrence failed on it. Refused now, as a missing --suite file is.
        if (suite == null && Quality.suiteFor(config, lh, TableNames.parse(table)).isEmpty()) {
          throw new BadInputException("no suite registered for " + name + ": pass --suite FILE or register one "
              + "(dataops quality suite register)");
        }
      }
      Integer attempts = attempts();
      Duration limit = timeout();
      String id = saveQuality(cli, config, name, suite, cron, attempts, limit);
      Schedule saved = ScheduleServices.store(config).require(id);
      cli.print(common, describe(saved), "schedule " + id + " runs as " + saved.runAs() + ", cron '" + cron
          + "'\n(runs start when 'dataops scheduler start' is running)");
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Every schedule, with its next due time.")
  static final class ListAll implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;

    ListAll(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      PlatformConfig config = cli.configToRead(common);
      List<Map<String, Object>> all = new ArrayList<>();
      StringBuilder text = new StringBuilder();
      java.util.function.Predicate<Schedule> visible = visibleTo(cli);
      for (Schedule s : ScheduleServices.store(config).schedules()) {
        if (!visible.test(s)) {
          continue;
        }
        Map<String, Object> d = describe(s);
        all.add(d);
        text.append(String.format("%-40s %-18s %-6s %-8s %-12s timeout %-4s next %s%n", s.id(),
            s.cron() == null ? "-" : s.cron(), s.onFeed() ? "feed" : "", s.paused() ? "paused" : "active", s.runAs(),
            Schedule.text(s.timeout()), next(s, d)));
      }
      cli.print(common, Map.of("schedules", all), all.isEmpty() ? "no schedules" : text.toString());
      return 0;
    }
  }

  @Command(name = "runs", mixinStandardHelpOptions = true, description = "The run history, newest first.")
  static final class Runs implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    @Parameters(index = "0", arity = "0..1", paramLabel = "SCHEDULE") String id;
    @Option(names = "--limit", defaultValue = "50", paramLabel = "N") int limit;

    Runs(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      if (limit < 1) {
        throw new BadInputException("--limit is the number of runs to show: at least 1, not " + limit);
      }
      PlatformConfig config = cli.configToRead(common);
      ScheduleStore store = ScheduleServices.store(config);
      java.util.function.Predicate<Schedule> visible = visibleTo(cli);
      java.util.Set<String> shown = new java.util.HashSet<>();
      for (Schedule s : store.schedules()) {
        if (visible.test(s)) {
          shown.add(s.id());
        }
      }
      if (id != null && !shown.contains(store.require(id).id())) {
        AccessDeniedException e = new AccessDeniedException("schedule " + id + " runs as a user of another"
            + " organization: its runs are for that organization, the authority, the auditors and the admin",
            List.of("authority", "auditor", "admin"));
        cli.session().refuse(e, List.of("schedule:" + id));
        throw e;
      }
      List<Map<String, Object>> runs = new ArrayList<>();
      StringBuilder text = new StringBuilder();
      for (ScheduledRun r : store.runs(id, shown::contains, limit)) {
        runs.add(describe(r));
        text.append(String.format("#%-5d %-36s %-7s due %s  %-9s attempts %d%s%s%n", r.id(), r.scheduleId(),
            r.trigger(), Instant.ofEpochMilli(r.dueAt()), r.state(), r.attempts(), r.occurrences() == 1 ? ""
                : "  for " + (r.occurrences() >= EmbeddedScheduler.COUNTED ? "at least " : "") + r.occurrences()
                    + " occurrences since " + Instant.ofEpochMilli(r.firstDue()),
            r.error() == null ? "" : "  " + r.error()));
      }
      cli.print(common, Map.of("runs", runs), runs.isEmpty() ? "no runs yet" : text.toString());
      return 0;
    }
  }

  /**
   * Which schedules (and their runs) the caller sees: every one for the authority, the auditors and the admin; for
   * others those that run as a user of their own organization. A run's error names the rules a department's data
   * failed and where its failing rows are: a probe's operator of another organization read them in `schedule runs`,
   * which `feedback list` refuses it.
   */
  static java.util.function.Predicate<Schedule> visibleTo(Cli cli) {
    var session = cli.session();
    var actor = session.actor();
    if (actor.has("authority") || actor.has("auditor") || actor.has("admin")) {
      return s -> true;
    }
    String organization = session.principal().organization();
    Map<String, Boolean> ours = new java.util.HashMap<>();
    return s -> ours.computeIfAbsent(s.runAs(), user -> session.identities().user(user)
        .map(u -> u.organization().equals(organization)).orElse(false));
  }

  /** Pause, resume and trigger: the schedule's own user, the authority or the admin. */
  abstract static class OnSchedule implements Callable<Integer> {
    final Cli cli;
    final CommonOptions common;
    @Parameters(index = "0", paramLabel = "SCHEDULE") String id;

    OnSchedule(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    Schedule mine(ScheduleStore store) {
      Schedule s = store.require(id);
      var session = cli.session();
      var actor = session.actor();
      if (!s.runAs().equals(session.principal().name()) && !actor.has("authority") && !actor.has("admin")) {
        AccessDeniedException e = new AccessDeniedException("schedule " + id + " runs as " + s.runAs() + "; only "
            + "that user, the authority or the admin may change it", List.of("authority", "admin"));
        session.refuse(e, List.of("schedule:" + id));
        throw e;
      }
      return s;
    }
  }

  @Command(name = "trigger", mixinStandardHelpOptions = true, description = "Queue a run now.")
  static final class Trigger extends OnSchedule {
    Trigger(Cli cli) {
      super(cli);
    }

    @Override
    public Integer call() {
      ScheduleStore store = ScheduleServices.store(cli.config(common));
      if (mine(store).paused()) {
        throw new BadInputException("schedule " + id + " is paused: it starts no run until it is resumed (dataops"
            + " schedule resume " + id + ")");
      }
      long now = System.currentTimeMillis();
      String key = "manual:" + UUID.randomUUID();
      store.claim(id, key, "manual", now, now, cli.audit(), AuditEvent.ok("schedule.trigger", List.of("schedule:"
          + id), Map.of("triggerKey", key)));
      cli.print(common, Map.of("schedule", id, "triggerKey", key, "state", ScheduledRun.QUEUED),
          "run of " + id + " queued (it starts when 'dataops scheduler start' is running)");
      return 0;
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true, description = "No runs until resumed, queued ones included.")
  static final class Pause extends OnSchedule {
    Pause(Cli cli) {
      super(cli);
    }

    @Override
    public Integer call() {
      ScheduleStore store = ScheduleServices.store(cli.config(common));
      mine(store);
      boolean changed = store.pause(id, true, System.currentTimeMillis(), cli.audit(),
          c -> AuditEvent.ok("schedule.pause", List.of("schedule:" + id), Map.of("changed", c)));
      cli.print(common, Map.of("schedule", id, "paused", true, "changed", changed),
          id + (changed ? " paused" : " was paused already"));
      return 0;
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true,
      description = "Run again from now on (occurrences that fell while paused are not run).")
  static final class Resume extends OnSchedule {
    Resume(Cli cli) {
      super(cli);
    }

    @Override
    public Integer call() {
      ScheduleStore store = ScheduleServices.store(cli.config(common));
      mine(store);
      boolean changed = store.pause(id, false, System.currentTimeMillis(), cli.audit(),
          c -> AuditEvent.ok("schedule.resume", List.of("schedule:" + id), Map.of("changed", c)));
      cli.print(common, Map.of("schedule", id, "paused", false, "changed", changed),
          id + (changed ? " resumed" : " was not paused"));
      return 0;
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true,
      description = "Remove a schedule (its runs stay in the history); refused while a run of it is not over. The user"
          + " it runs as, the authority or the admin.")
  static final class Remove extends OnSchedule {
    Remove(Cli cli) {
      super(cli);
    }

    @Override
    public Integer call() {
      ScheduleStore store = ScheduleServices.store(cli.config(common));
      Schedule s = mine(store);
      if (!store.remove(id, cli.audit(), AuditEvent.ok("schedule.remove", List.of("schedule:" + id),
          Map.of("runAs", s.runAs(), "kind", s.kind())))) {
        // Found by a probe: two removes at once both said "removed", with one event between them.
        throw ScheduleStore.removedMeanwhile(id);
      }
      cli.print(common, Map.of("schedule", id, "removed", true), id + " removed (its runs stay in the history)");
      return 0;
    }
  }
}
