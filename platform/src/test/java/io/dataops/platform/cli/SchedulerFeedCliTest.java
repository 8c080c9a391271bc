package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.core.testing.ChildJvm;
import io.dataops.platform.cli.CliTest.Run;
import io.dataops.platform.session.Sessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A feed arriving starts the pipelines that read it: with the scheduler running (a child JVM), a department lands a
 * feed, and the operator's feed-triggered schedule runs the pipeline as the operator, making version 2 — once.
 */
class SchedulerFeedCliTest {
  @TempDir Path dir;

  Run run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--home", dir.resolve("home").toString()));
    return CliTest.exactly(all.toArray(String[]::new));
  }

  Run ok(String... args) {
    Run r = run(args);
    assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
    return r;
  }

  /** {@code dataops scheduler start} in a child JVM, its output appended to {@code log}. */
  static Process startScheduler(Path home, Path log) throws java.io.IOException {
    List<String> cmd = ChildJvm.command(io.dataops.platform.Main.class, List.of(), List.of("scheduler", "start",
        "--home", home.toString(), "--as", Sessions.LOCAL_ADMIN, "--tick-seconds", "1", "--lease-seconds", "3"));
    return new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
  }

  /** Found by a probe: a negative backoff was refused as a bad tick or lease, and any number of runs at once taken. */
  @Test
  void aSchedulersSettingsAreRefusedEachWithItsOwnReason() {
    TestCast.enroll(dir.resolve("home"));
    String[][] cases = {
        {"--backoff-seconds", "-1", "--backoff-seconds must be 0 or more, not -1"},
        {"--max-concurrent", "100000", "--max-concurrent is 1 to 64 runs at a time"},
        {"--max-concurrent", "0", "--max-concurrent is 1 to 64 runs at a time"},
        {"--tick-seconds", "0", "--tick-seconds and --lease-seconds must be positive"}};
    for (String[] c : cases) {
      Run r = run("scheduler", "start", c[0], c[1], "--as", Sessions.LOCAL_ADMIN);
      assertThat(r.exit()).as(String.join(" ", c)).isEqualTo(2);
      assertThat(r.err()).hasLineCount(1).contains(c[2]);
    }
  }

  /**
   * Found by a probe: a scheduler started while another held the lease recorded {@code scheduler.start} at once and
   * then waited; the event now says that it holds the lease and runs the schedules.
   */
  @Test
  void aSchedulerWaitingForTheLeaseRecordsItsStartOnlyOnceItHoldsIt() throws Exception {
    Path home = dir.resolve("home");
    TestCast.enroll(home);
    // Another scheduler's lease, held by this JVM (an OS lock: the child cannot take it while this one holds it).
    var other = new io.dataops.scheduler.embedded.FileLease(home.resolve("scheduler.lock"));
    assertThat(other.acquire("another-scheduler", 0)).isTrue();
    Path log = dir.resolve("scheduler.log");
    Path homeLog = home.resolve("logs/dataops.log");
    Process scheduler = startScheduler(home, log);
    try {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!(Files.exists(homeLog) && Files.readString(homeLog).contains(
          "waiting for the scheduler lease held by another-scheduler"))) {
        assertThat(System.nanoTime()).as("the scheduler waiting; log:\n" + Files.readString(log)).isLessThan(end);
        Thread.sleep(200);
      }
      assertThat(schedulerStarts()).as("no start recorded while it waits").isEmpty();
      assertThat(Files.readString(log)).contains("waiting for the scheduler lease held by another-scheduler")
          .doesNotContain(" running (");
      other.release("another-scheduler");
      JsonNode starts;
      do {
        Thread.sleep(200);
        starts = schedulerStarts();
        assertThat(System.nanoTime()).as("the start once it holds the lease; log:\n" + Files.readString(log))
            .isLessThan(end);
      } while (starts.isEmpty());
      assertThat(starts).hasSize(1);
      assertThat(starts.get(0).get("objects").get(0).asText()).startsWith("scheduler:");
    } finally {
      scheduler.destroy();
      if (!scheduler.waitFor(120, TimeUnit.SECONDS)) {
        scheduler.destroyForcibly();
      }
    }
  }

  JsonNode schedulerStarts() {
    return ok("audit", "list", "--action", "scheduler.start", "--json", "--as", TestCast.AUDITOR).json()
        .get("events");
  }

  @Test
  void aNewFeedStartsThePipelineThatReadsItOnceAsItsOperator() throws Exception {
    Path home = dir.resolve("home");
    TestCast.enroll(home);
    Path feed1 = dir.resolve("feeds/c1.csv");
    ok("generate", "--dataset", "citizens", "--rows", "1500", "--out", feed1.toString());
    ok("land", "--department", "public-security", "--dataset", "citizens", "--file", feed1.toString(), "--as",
        TestCast.PUBLIC_SECURITY);
    Path pipelines = Files.createDirectories(dir.resolve("pipelines"));
    Files.writeString(pipelines.resolve("gate.yaml"), """
        name: gate
        expectations:
          - type: expect_table_row_count_to_be_between
            kwargs: {min_value: 1}
        """);
    Path pipeline = pipelines.resolve("income.yaml");
    // The file's schedule: section says when it runs (a bad cron there is refused by validate, at its line).
    Files.writeString(pipeline, CliTest.PIPELINE + "schedule:\n  cron: 'at night'\n");
    Run badFileCron = run("pipeline", "validate", pipeline.toString(), "--as", TestCast.OPERATOR);
    assertThat(badFileCron.exit()).isEqualTo(2);
    assertThat(badFileCron.err()).contains("income.yaml:" + (CliTest.PIPELINE.lines().count() + 2)
        + ": schedule.cron 'at night'");
    Files.writeString(pipeline, CliTest.PIPELINE + "schedule: {onFeed: true, maxAttempts: 2}\n");
    Path unscheduled = pipelines.resolve("unscheduled.yaml");
    Files.writeString(unscheduled, CliTest.PIPELINE);
    // Found by a probe: a schedule was saved without a grant covering its reads, and every run of it failed.
    Run ungranted = run("schedule", "add-pipeline", pipeline.toString(), "--as", TestCast.OPERATOR);
    assertThat(ungranted.exit()).isEqualTo(2);
    assertThat(ungranted.err()).contains("no grant for scenario 'test'");
    TestCast.grant(home, "test", "income-by-street");
    ok("pipeline", "run", pipeline.toString(), "--as", TestCast.OPERATOR);

    Run refused = run("schedule", "add-pipeline", pipeline.toString(), "--on-feed", "--as", TestCast.PUBLIC_SECURITY);
    assertThat(refused.exit()).isEqualTo(2);
    // Found by a probe: an operator of another organization took the pipeline's schedule (only it could replace it).
    Run notTheirs = run("schedule", "add-pipeline", pipeline.toString(), "--on-feed", "--as", TestCast.OTHER_OPERATOR);
    assertThat(notTheirs.exit()).isEqualTo(2);
    assertThat(notTheirs.err()).hasLineCount(1).contains("pipeline income-by-street is for " + TestCast.OPERATOR_ORG
        + "; " + TestCast.OTHER_OPERATOR + " acts for other-op");
    Run noWhen = run("schedule", "add-pipeline", unscheduled.toString(), "--as", TestCast.OPERATOR);
    assertThat(noWhen.exit()).isEqualTo(2);
    assertThat(noWhen.err()).contains("say when it runs");
    Run badCron = run("schedule", "add-pipeline", unscheduled.toString(), "--cron", "every day", "--as",
        TestCast.OPERATOR);
    assertThat(badCron.exit()).isEqualTo(2);
    assertThat(badCron.err()).hasLineCount(1).contains("--cron 'every day'");
    for (String never : new String[] {"0 0 0 31 2 *", "0 0 0 30 2 MON"}) { // found by a probe: listed as "next null"
      Run neverRuns = run("schedule", "add-pipeline", unscheduled.toString(), "--cron", never, "--as",
          TestCast.OPERATOR);
      assertThat(neverRuns.exit()).isEqualTo(2);
      assertThat(neverRuns.err()).hasLineCount(1).contains("--cron '" + never + "': no date matches it");
    }
    assertThat(ok("schedule", "list", "--json", "--as", TestCast.OPERATOR).json().get("schedules")).isEmpty();
    JsonNode added = ok("schedule", "add-pipeline", pipeline.toString(), "--json", "--as", TestCast.OPERATOR)
        .json();
    String id = added.get("id").asText();
    assertThat(added.get("onFeed").asBoolean()).as("from the file's schedule").isTrue();
    assertThat(added.get("maxAttempts").asInt()).isEqualTo(2);
    assertThat(added.get("timeout").asText()).as("the default").isEqualTo("24h");
    assertThat(added.get("target").asText()).endsWith("income.yaml");
    assertThat(added.get("inputs").toString()).contains("ods.public_security__citizens");

    Path log = dir.resolve("scheduler.log");
    Process scheduler = startScheduler(home, log);
    // Polled by reading the database only: a test writing beside a running job would be one more writer for it.
    var store = io.dataops.platform.schedule.ScheduleServices.store(
        io.dataops.platform.config.PlatformConfig.load(home, java.util.Map.of()));
    try {
      Thread.sleep(3000); // nothing new: no run
      assertThat(store.runs(id, 10)).isEmpty();
      Path feed2 = dir.resolve("feeds/c2.csv");
      ok("generate", "--dataset", "citizens", "--rows", "300", "--offset", "1500", "--out", feed2.toString());
      ok("land", "--department", "public-security", "--dataset", "citizens", "--file", feed2.toString(), "--as",
          TestCast.PUBLIC_SECURITY);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      List<io.dataops.scheduler.embedded.ScheduledRun> done;
      do {
        Thread.sleep(500);
        done = store.runs(id, 10);
        assertThat(System.nanoTime()).as("the feed-triggered run; log:\n" + Files.readString(log)).isLessThan(end);
      } while (done.isEmpty() || !done.get(0).state().matches("succeeded|failed"));
      JsonNode runs = ok("schedule", "runs", id, "--json", "--as", TestCast.OPERATOR).json().get("runs");
      assertThat(runs).hasSize(1);
      Path homeLog = home.resolve("logs/dataops.log");
      assertThat(runs.get(0).get("state").asText()).as(runs + "\n" + (Files.exists(homeLog)
          ? Files.readString(homeLog) : "")).isEqualTo("succeeded");
      assertThat(runs.get(0).get("trigger").asText()).isEqualTo("feed");
      Thread.sleep(2500); // and no second run for the same arrival
      assertThat(store.runs(id, 10)).hasSize(1);
    } finally {
      scheduler.destroy();
      if (!scheduler.waitFor(120, TimeUnit.SECONDS)) {
        scheduler.destroyForcibly();
      }
    }
    JsonNode v2 = ok("product", "show", "income-by-street", "2", "--json", "--as", TestCast.OPERATOR).json();
    assertThat(v2.get("state").asText()).isEqualTo("draft");
    JsonNode events = ok("audit", "list", "--actor", TestCast.OPERATOR, "--action", "pipeline.run", "--json", "--as",
        TestCast.AUDITOR).json().get("events");
    assertThat(events).as("the scheduled run acted as the operator").hasSize(2);
    JsonNode list = ok("schedule", "list", "--json", "--as", TestCast.AUDITOR).json().get("schedules");
    assertThat(list.get(0).get("runAs").asText()).isEqualTo(TestCast.OPERATOR);
    // Found by a probe: another organization's users read the schedules and their runs (whose errors name the rules a
    // department's data failed). Each sees its own organization's; the authority, the auditors and the admin all.
    assertThat(ok("schedule", "list", "--json", "--as", TestCast.OTHER_OPERATOR).json().get("schedules")).isEmpty();
    assertThat(ok("schedule", "runs", "--json", "--as", TestCast.OTHER_OPERATOR).json().get("runs")).isEmpty();
    assertThat(ok("schedule", "runs", "--json", "--as", TestCast.MARKET_REGULATION).json().get("runs")).isEmpty();
    assertThat(ok("schedule", "runs", "--json", "--as", TestCast.AUTHORITY).json().get("runs")).hasSize(1);
    Run othersRuns = run("schedule", "runs", id, "--as", TestCast.OTHER_OPERATOR);
    assertThat(othersRuns.exit()).isEqualTo(2);
    assertThat(othersRuns.err()).hasLineCount(1).contains("runs as a user of another organization");
    Run noRuns = run("schedule", "runs", "--limit", "0", "--as", TestCast.OPERATOR);
    assertThat(noRuns.exit()).isEqualTo(2);
    assertThat(noRuns.err()).contains("--limit is the number of runs to show: at least 1, not 0");
    ok("schedule", "pause", id, "--as", TestCast.OPERATOR);
    Run notHers = run("schedule", "resume", id, "--as", TestCast.OTHER_OPERATOR);
    assertThat(notHers.exit()).isEqualTo(2);
    assertThat(notHers.err()).contains("runs as " + TestCast.OPERATOR);
    assertThat(ok("schedule", "list", "--json", "--as", TestCast.OPERATOR).json().at("/schedules/0/paused")
        .asBoolean()).isTrue();
    ok("schedule", "resume", id, "--as", TestCast.OPERATOR);
    ok("schedule", "trigger", id, "--as", TestCast.OPERATOR);
    JsonNode changes = ok("audit", "list", "--object", "schedule:" + id, "--action", "schedule.*", "--oldest-first",
        "--json", "--as", TestCast.AUDITOR).json().get("events");
    List<String> actions = new ArrayList<>();
    changes.forEach(e -> actions.add(e.get("action").asText()));
    assertThat(actions).as("each change with its event, committed together").containsExactly("schedule.add",
        "schedule.run", "schedule.pause", "schedule.resume", "schedule.trigger");

    // A department's suite scheduled where it is registered.
    Path suite = dir.resolve("citizens.suite.yaml");
    Files.writeString(suite, """
        name: citizens
        expectations:
          - type: expect_table_row_count_to_be_between
            kwargs: {min_value: 1}
        """);
    Run badCronSuite = run("quality", "suite", "register", "--department", "public-security", "--dataset",
        "citizens", "--file", suite.toString(), "--schedule", "weekly", "--as", TestCast.PUBLIC_SECURITY);
    assertThat(badCronSuite.exit()).isEqualTo(2);
    assertThat(badCronSuite.err()).hasLineCount(1).contains("--cron 'weekly'");
    JsonNode registered = ok("quality", "suite", "register", "--department", "public-security", "--dataset",
        "citizens", "--file", suite.toString(), "--schedule", "0 0 6 * * MON", "--json", "--as",
        TestCast.PUBLIC_SECURITY).json();
    assertThat(registered.get("schedule").asText()).isEqualTo("quality:ods.public_security__citizens");
    JsonNode all = ok("schedule", "list", "--json", "--as", TestCast.AUTHORITY).json().get("schedules");
    assertThat(all).hasSize(2);
    assertThat(all.get(1).get("id").asText()).isEqualTo("quality:ods.public_security__citizens");
    assertThat(all.get(1).get("runAs").asText()).isEqualTo(TestCast.PUBLIC_SECURITY);
    assertThat(all.get(1).get("command").toString()).as("a failing rule fails the scheduled run")
        .contains("\"--fail-on-error\"");
    assertThat(all.get(1).get("nextDue").asText()).isNotEmpty();

    // Found by a probe: another department (or another operator, by a copy of a pipeline file) added a schedule of
    // the same id and so replaced this one, its command and run-as user with theirs, locking its owner out.
    // A department that may not read the table is told so when it adds the schedule, not by every run's failure.
    Run unreadable = run("schedule", "add-quality", "--table", "ods.public_security__citizens", "--cron",
        "0 0 7 * * *", "--as", TestCast.MARKET_REGULATION);
    assertThat(unreadable.exit()).isEqualTo(2);
    assertThat(unreadable.err()).hasLineCount(1).contains("reading ods.public_security__citizens requires its "
        + "department");
    Run taken = run("schedule", "add-quality", "--table", "ods.public_security__citizens", "--cron", "0 0 7 * * *",
        "--as", TestCast.AUTHORITY);
    assertThat(taken.exit()).isEqualTo(2);
    assertThat(taken.err()).hasLineCount(1).contains("schedule quality:ods.public_security__citizens runs as "
        + TestCast.PUBLIC_SECURITY + "; only that user replaces it");
    JsonNode kept = ok("schedule", "list", "--json", "--as", TestCast.AUTHORITY).json().get("schedules").get(1);
    assertThat(kept.get("runAs").asText()).isEqualTo(TestCast.PUBLIC_SECURITY);
    assertThat(kept.get("cron").asText()).isEqualTo("0 0 6 * * MON");
    assertThat(ok("audit", "list", "--action", "command.refused", "--actor", TestCast.AUTHORITY, "--json",
        "--as", TestCast.AUDITOR).json().get("events")).hasSize(1);
  }

  /**
   * Found by a probe: a schedule that could never run was saved, and every occurrence then failed (an engine not in
   * this build; a quality schedule of a table with no registered suite and no --suite), and a 10 KB cron was stored
   * and echoed by every list. Each is refused when added (exit 2, one line), nothing saved.
   */
  @Test
  void aScheduleThatCouldNeverRunIsRefusedWhenAdded() throws Exception {
    TestCast.enroll(dir.resolve("home"));
    CliTest.landedCitizensAndARowCountSuite(dir);
    TestCast.grant(dir.resolve("home"), "test", "income-by-street");
    Path pipeline = Files.writeString(dir.resolve("income.yaml"), CliTest.PIPELINE);
    Run engine = run("schedule", "add-pipeline", pipeline.toString(), "--cron", "0 0 2 * * *", "--engine", "bogus",
        "--as", TestCast.OPERATOR);
    assertThat(engine.exit()).as(engine.err()).isEqualTo(2);
    assertThat(engine.err()).hasLineCount(1).contains("engine 'bogus' is not in this build");
    Run noSuite = run("schedule", "add-quality", "--table", "ods.public_security__citizens", "--cron", "0 0 4 * * *",
        "--as", TestCast.PUBLIC_SECURITY);
    assertThat(noSuite.exit()).as(noSuite.err()).isEqualTo(2);
    assertThat(noSuite.err()).hasLineCount(1).contains("no suite registered for ods.public_security__citizens: "
        + "pass --suite FILE");
    String longCron = "0 0 2 * * " + "MON,".repeat(2500) + "MON";
    Run cron = run("schedule", "add-pipeline", pipeline.toString(), "--cron", longCron, "--as", TestCast.OPERATOR);
    assertThat(cron.exit()).as(cron.err()).isEqualTo(2);
    assertThat(cron.err()).hasLineCount(1).contains("--cron is at most 200 characters, not " + longCron.length())
        .doesNotContain("MON,MON");
    assertThat(ok("schedule", "list", "--json", "--as", TestCast.AUTHORITY).json().get("schedules")).isEmpty();
  }

  /** The timeouts the {@code schedule.add} events of {@code id} say, oldest first. */
  List<String> timeoutsAdded(String id) {
    List<String> out = new ArrayList<>();
    ok("audit", "list", "--object", "schedule:" + id, "--action", "schedule.add", "--oldest-first", "--json", "--as",
        TestCast.AUDITOR).json().get("events").forEach(e -> out.add(e.at("/details/timeout").asText()));
    return out;
  }

  /**
   * Found by review: a pipeline file's schedule: section could not say a timeout. It says {@code timeout: AGE}, read
   * as --timeout is (a bad one refused at its line by validate and by add-pipeline, nothing saved); --timeout wins
   * over it, and a file that says none leaves a replaced schedule the timeout it had, as the command line does.
   */
  @Test
  void aPipelineFilesScheduleSaysItsTimeoutABadOneRefusedAtItsLine() throws Exception {
    TestCast.enroll(dir.resolve("home"));
    Path feed = dir.resolve("c1.csv");
    ok("generate", "--dataset", "citizens", "--rows", "50", "--out", feed.toString());
    ok("land", "--department", "public-security", "--dataset", "citizens", "--file", feed.toString(), "--as",
        TestCast.PUBLIC_SECURITY);
    TestCast.grant(dir.resolve("home"), "test", "income-by-street"); // as every run, add-pipeline asks a grant
    Path pipeline = dir.resolve("income.yaml");
    long line = CliTest.PIPELINE.lines().count() + 3;
    for (String bad : new String[] {"31d", "soon", "0", "PT0.5S"}) {
      Files.writeString(pipeline, CliTest.PIPELINE + "schedule:\n  cron: '0 0 2 * * *'\n  timeout: " + bad + "\n");
      for (Run refused : List.of(run("pipeline", "validate", pipeline.toString(), "--as", TestCast.OPERATOR),
          run("schedule", "add-pipeline", pipeline.toString(), "--as", TestCast.OPERATOR))) {
        assertThat(refused.exit()).as(bad + ": " + refused.err()).isEqualTo(2);
        assertThat(refused.err()).as(bad).hasLineCount(1).contains("income.yaml:" + line + ": schedule.timeout");
      }
    }
    assertThat(ok("schedule", "list", "--json", "--as", TestCast.OPERATOR).json().get("schedules")).isEmpty();
    Files.writeString(pipeline, CliTest.PIPELINE + "schedule:\n  cron: '0 0 2 * * *'\n  timeout: 90m\n");
    JsonNode added = ok("schedule", "add-pipeline", pipeline.toString(), "--json", "--as", TestCast.OPERATOR).json();
    assertThat(added.get("timeout").asText()).isEqualTo("90m");
    assertThat(added.get("timeoutSeconds").asLong()).isEqualTo(5400);
    String id = added.get("id").asText();
    assertThat(ok("schedule", "add-pipeline", pipeline.toString(), "--timeout", "2h", "--json", "--as",
        TestCast.OPERATOR).json().get("timeout").asText()).as("the flag wins over the file").isEqualTo("2h");
    Files.writeString(pipeline, CliTest.PIPELINE + "schedule:\n  cron: '0 0 3 * * *'\n");
    JsonNode replaced = ok("schedule", "add-pipeline", pipeline.toString(), "--json", "--as", TestCast.OPERATOR)
        .json();
    assertThat(replaced.get("cron").asText()).isEqualTo("0 0 3 * * *");
    assertThat(replaced.get("timeout").asText()).as("unsaid: kept").isEqualTo("2h");
    assertThat(timeoutsAdded(id)).containsExactly("90m", "2h", "2h");
  }

  /**
   * Found by review: a suite registered with --schedule was always scheduled with the default timeout. It takes
   * --timeout too, checked before anything is registered; a timeout without a schedule is refused.
   */
  @Test
  void aSuiteRegisteredWithAScheduleTakesATimeoutABadOneSavingNothing() throws Exception {
    TestCast.enroll(dir.resolve("home"));
    Path suite = CliTest.landedCitizensAndARowCountSuite(dir);
    List<String> register = List.of("quality", "suite", "register", "--department", "public-security", "--dataset",
        "citizens", "--file", suite.toString(), "--as", TestCast.PUBLIC_SECURITY);
    List<List<String>> refusals = new ArrayList<>();
    refusals.add(List.of("--timeout", "2h"));
    for (String bad : new String[] {"31d", "soon", "-1h"}) {
      refusals.add(List.of("--schedule", "0 0 6 * * MON", "--timeout", bad));
    }
    for (List<String> extra : refusals) {
      List<String> args = new ArrayList<>(register);
      args.addAll(extra);
      Run refused = run(args.toArray(String[]::new));
      assertThat(refused.exit()).as(extra + ": " + refused.err()).isEqualTo(2);
      assertThat(refused.err()).as(extra.toString()).hasLineCount(1).contains("--timeout");
    }
    assertThat(ok("schedule", "list", "--json", "--as", TestCast.PUBLIC_SECURITY).json().get("schedules")).isEmpty();
    assertThat(ok("audit", "list", "--action", "quality.suite.register", "--json", "--as", TestCast.AUDITOR).json()
        .get("events")).as("no suite registered").isEmpty();
    List<String> args = new ArrayList<>(register);
    args.addAll(List.of("--schedule", "0 0 6 * * MON", "--timeout", "90m", "--json"));
    String id = ok(args.toArray(String[]::new)).json().get("schedule").asText();
    JsonNode saved = ok("schedule", "list", "--json", "--as", TestCast.PUBLIC_SECURITY).json().at("/schedules/0");
    assertThat(saved.get("id").asText()).isEqualTo(id);
    assertThat(saved.get("timeout").asText()).isEqualTo("90m");
    assertThat(timeoutsAdded(id)).containsExactly("90m");
  }

  /**
   * Found by a probe: a registration whose schedule another user's schedule of the table refused put the suite in
   * force all the same, then exited 2, and the clerk took it for refused. It is now refused before anything is saved;
   * the authority removes its schedule, and the department's registration with a schedule goes through.
   */
  @Test
  void aSuiteWhoseScheduleIsAnotherUsersIsNotRegisteredUntilThatScheduleIsRemoved() throws Exception {
    TestCast.enroll(dir.resolve("home"));
    Path suite = CliTest.landedCitizensAndARowCountSuite(dir);
    ok("schedule", "add-quality", "--table", "ods.public_security__citizens", "--suite", suite.toString(), "--cron",
        "0 0 4 * * *", "--as", TestCast.AUTHORITY);
    Run refused = run("quality", "suite", "register", "--department", "public-security", "--dataset", "citizens",
        "--file", suite.toString(), "--schedule", "0 0 5 * * *", "--as", TestCast.PUBLIC_SECURITY);
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err()).hasLineCount(1).contains("schedule quality:ods.public_security__citizens runs as "
        + TestCast.AUTHORITY + "; only that user replaces it");
    assertThat(ok("audit", "list", "--action", "quality.suite.register", "--json", "--as", TestCast.AUDITOR).json()
        .get("events")).as("no suite registered").isEmpty();
    assertThat(dir.resolve("home/suites/public-security")).doesNotExist();

    // Found by the same probe: a schedule could not be removed at all. The user it runs as, the authority or the
    // admin removes it; its runs stay in the history.
    String id = "quality:ods.public_security__citizens";
    Run notTheirs = run("schedule", "remove", id, "--as", TestCast.PUBLIC_SECURITY);
    assertThat(notTheirs.exit()).isNotZero();
    assertThat(notTheirs.err()).contains("runs as " + TestCast.AUTHORITY + "; only that user, the authority or the "
        + "admin may change it");
    ok("schedule", "remove", id, "--as", TestCast.AUTHORITY);
    assertThat(ok("schedule", "list", "--json", "--as", TestCast.AUTHORITY).json().get("schedules")).isEmpty();
    assertThat(ok("audit", "list", "--action", "schedule.remove", "--json", "--as", TestCast.AUDITOR).json()
        .get("events")).hasSize(1);
    ok("quality", "suite", "register", "--department", "public-security", "--dataset", "citizens", "--file",
        suite.toString(), "--schedule", "0 0 5 * * *", "--as", TestCast.PUBLIC_SECURITY);
    ok("schedule", "trigger", id, "--as", TestCast.PUBLIC_SECURITY);
    Run running = run("schedule", "remove", id, "--as", TestCast.PUBLIC_SECURITY);
    assertThat(running.exit()).isEqualTo(2);
    assertThat(running.err()).contains("has a run that is not over: pause it");
    assertThat(ok("schedule", "list", "--json", "--as", TestCast.AUTHORITY).json().get("schedules")).hasSize(1);
  }

  /**
   * Found by review: a schedule added again without --timeout (to change its cron, say) was reset to the default
   * 24h. It keeps the timeout it had, whichever command adds it again; an explicit --timeout replaces it.
   */
  @Test
  void aScheduleAddedAgainWithoutATimeoutKeepsItsOwn() throws Exception {
    TestCast.enroll(dir.resolve("home"));
    Path suite = CliTest.landedCitizensAndARowCountSuite(dir);
    String table = "ods.public_security__citizens";
    String id = ok("schedule", "add-quality", "--table", table, "--suite", suite.toString(), "--cron",
        "0 0 6 * * MON", "--timeout", "20s", "--max-attempts", "5", "--json", "--as", TestCast.PUBLIC_SECURITY)
        .json().get("id").asText();
    JsonNode again = ok("schedule", "add-quality", "--table", table, "--suite", suite.toString(), "--cron",
        "0 0 7 * * MON", "--json", "--as", TestCast.PUBLIC_SECURITY).json();
    assertThat(again.get("cron").asText()).isEqualTo("0 0 7 * * MON");
    assertThat(again.get("timeout").asText()).as("kept").isEqualTo("20s");
    assertThat(again.get("maxAttempts").asInt()).as("kept").isEqualTo(5);
    ok("quality", "suite", "register", "--department", "public-security", "--dataset", "citizens", "--file",
        suite.toString(), "--schedule", "0 0 8 * * MON", "--as", TestCast.PUBLIC_SECURITY);
    JsonNode registered = ok("schedule", "list", "--json", "--as", TestCast.PUBLIC_SECURITY).json()
        .at("/schedules/0");
    assertThat(registered.get("cron").asText()).isEqualTo("0 0 8 * * MON");
    assertThat(registered.get("timeout").asText()).as("kept by the suite's registration too").isEqualTo("20s");
    assertThat(registered.get("maxAttempts").asInt()).as("kept by the suite's registration too").isEqualTo(5);
    assertThat(ok("schedule", "add-quality", "--table", table, "--cron", "0 0 8 * * MON", "--timeout", "2h",
        "--json", "--as", TestCast.PUBLIC_SECURITY).json().get("timeout").asText()).isEqualTo("2h");
    assertThat(ok("schedule", "list", "--as", TestCast.PUBLIC_SECURITY).out()).contains("timeout 2h");
    assertThat(timeoutsAdded(id)).as("each event says the timeout saved").containsExactly("20s", "20s", "20s", "2h");
  }

  /**
   * Found by review: a run that never ended held its schedule (one run at a time) until the scheduler died. Here the
   * run's child JVM is frozen (SIGSTOP: it cannot end, nor heed SIGTERM); at the schedule's timeout the scheduler
   * stops it (SIGTERM, then SIGKILL after the grace), records it failed as timed out, audits it, and the run queued
   * behind it goes on. Bad timeouts are refused with exit 2 and save nothing.
   */
  @Test
  void aHungRunIsStoppedAtItsTimeoutAndTheRunQueuedBehindItGoesOn() throws Exception {
    Path home = dir.resolve("home");
    TestCast.enroll(home);
    Path suite = CliTest.landedCitizensAndARowCountSuite(dir);
    String table = "ods.public_security__citizens";
    for (String bad : new String[] {"0", "-1h", "PT-5M", "soon", "PT0.5S", "31d", "99999999999999999d"}) {
      Run refused = run("schedule", "add-quality", "--table", table, "--suite", suite.toString(), "--cron",
          "0 0 6 * * MON", "--timeout", bad, "--as", TestCast.PUBLIC_SECURITY);
      assertThat(refused.exit()).as(bad + ": " + refused.err()).isEqualTo(2);
      assertThat(refused.err()).as(bad).hasLineCount(1).contains("--timeout");
    }
    assertThat(ok("schedule", "list", "--json", "--as", TestCast.PUBLIC_SECURITY).json().get("schedules")).isEmpty();
    JsonNode added = ok("schedule", "add-quality", "--table", table, "--suite", suite.toString(), "--cron",
        "0 0 6 * * MON", "--timeout", "20s", "--json", "--as", TestCast.PUBLIC_SECURITY).json();
    assertThat(added.get("timeout").asText()).isEqualTo("20s");
    assertThat(added.get("timeoutSeconds").asLong()).isEqualTo(20);
    String id = added.get("id").asText();
    assertThat(ok("schedule", "list", "--as", TestCast.PUBLIC_SECURITY).out()).contains("timeout 20s");
    ok("schedule", "trigger", id, "--as", TestCast.PUBLIC_SECURITY);
    ok("schedule", "trigger", id, "--as", TestCast.PUBLIC_SECURITY);
    var store = io.dataops.platform.schedule.ScheduleServices.store(
        io.dataops.platform.config.PlatformConfig.load(home, java.util.Map.of()));
    Path log = dir.resolve("scheduler.log");
    Process scheduler = startScheduler(home, log);
    ProcessHandle frozen = null;
    try {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (frozen == null) {
        frozen = scheduler.descendants().filter(SchedulerFeedCliTest::isRun).findFirst().orElse(null);
        assertThat(System.nanoTime()).as("the first run's process; log:\n" + Files.readString(log)).isLessThan(end);
        Thread.sleep(20);
      }
      assertThat(new ProcessBuilder("kill", "-STOP", String.valueOf(frozen.pid())).start().waitFor()).isZero();
      assertThat(store.runs(id, 10)).as("the first run frozen, the second queued behind it")
          .extracting(io.dataops.scheduler.embedded.ScheduledRun::state).containsExactly("queued", "running");
      List<io.dataops.scheduler.embedded.ScheduledRun> runs;
      do {
        Thread.sleep(500);
        runs = store.runs(id, 10);
        assertThat(System.nanoTime()).as("both runs over: " + runs + "; log:\n" + Files.readString(log))
            .isLessThan(end);
      } while (!runs.stream().allMatch(r -> r.state().matches("succeeded|failed")));
      assertThat(frozen.isAlive()).as("killed after the grace").isFalse();
      var hung = runs.get(1);
      assertThat(hung.state()).isEqualTo("failed");
      assertThat(hung.error()).isEqualTo("timed out after 20s");
      assertThat(hung.exitStatus()).isEqualTo(124);
      assertThat(hung.attempts()).as("not retried").isEqualTo(1);
      assertThat(runs.get(0).state()).as("the run behind it; log:\n" + Files.readString(log))
          .isEqualTo("succeeded");
    } finally {
      if (frozen != null) {
        frozen.destroyForcibly();
      }
      scheduler.destroy();
      if (!scheduler.waitFor(120, TimeUnit.SECONDS)) {
        scheduler.destroyForcibly();
      }
    }
    assertThat(ok("schedule", "runs", id, "--as", TestCast.PUBLIC_SECURITY).out()).contains("timed out after 20s");
    JsonNode events = ok("audit", "list", "--action", "schedule.run", "--oldest-first", "--json", "--as",
        TestCast.AUDITOR).json().get("events");
    assertThat(events).hasSize(2);
    assertThat(events.get(0).get("outcome").asText()).isEqualTo("failed");
    assertThat(events.get(0).at("/details/error").asText()).isEqualTo("timed out after 20s");
    assertThat(events.get(0).at("/details/exitStatus").asInt()).isEqualTo(124);
    assertThat(events.get(1).get("outcome").asText()).isEqualTo("ok");
  }

  /**
   * Found by a probe: a cron schedule whose user was disabled kept firing, each occurrence a JVM refused and one more
   * failed event. Its first run now fails without starting a process, and the schedule is paused, audited with the
   * reason.
   */
  @Test
  void aScheduleWhoseUserWasDisabledIsPausedAtItsFirstRunWithoutStartingIt() throws Exception {
    Path home = dir.resolve("home");
    TestCast.enroll(home);
    Path suite = CliTest.landedCitizensAndARowCountSuite(dir);
    String id = ok("schedule", "add-quality", "--table", "ods.public_security__citizens", "--suite", suite.toString(),
        "--cron", "0 0 6 * * MON", "--json", "--as", TestCast.PUBLIC_SECURITY).json().get("id").asText();
    ok("schedule", "trigger", id, "--as", TestCast.PUBLIC_SECURITY);
    ok("user", "disable", TestCast.PUBLIC_SECURITY, "--as", Sessions.LOCAL_ADMIN);
    var store = io.dataops.platform.schedule.ScheduleServices.store(
        io.dataops.platform.config.PlatformConfig.load(home, java.util.Map.of()));
    Path log = dir.resolve("scheduler.log");
    Process scheduler = startScheduler(home, log);
    boolean launched = false;
    List<io.dataops.scheduler.embedded.ScheduledRun> runs;
    try {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      do {
        launched |= scheduler.descendants().anyMatch(SchedulerFeedCliTest::isRun);
        Thread.sleep(20);
        runs = store.runs(id, 10);
        assertThat(System.nanoTime()).as("the run over: " + runs + "; log:\n" + Files.readString(log))
            .isLessThan(end);
      } while (!runs.get(0).state().equals("failed"));
    } finally {
      scheduler.destroy();
      if (!scheduler.waitFor(120, TimeUnit.SECONDS)) {
        scheduler.destroyForcibly();
      }
    }
    assertThat(launched).as("no process started for it").isFalse();
    assertThat(runs.get(0).exitStatus()).isEqualTo(2);
    assertThat(runs.get(0).error()).isEqualTo("user " + TestCast.PUBLIC_SECURITY + " is disabled: schedule paused "
        + "(dataops schedule resume " + id + " once it may act again)");
    assertThat(store.require(id).paused()).isTrue();
    JsonNode paused = ok("audit", "list", "--action", "schedule.pause", "--json", "--as", TestCast.AUDITOR).json()
        .get("events");
    assertThat(paused).hasSize(1);
    assertThat(paused.get(0).at("/details/reason").asText()).isEqualTo("user " + TestCast.PUBLIC_SECURITY
        + " is disabled");
    assertThat(paused.get(0).get("objects").get(0).asText()).isEqualTo("schedule:" + id);
  }

  /** A scheduled run's JVM, by /proc (ProcessHandle.Info drops the arguments of a command line this long). */
  static boolean isRun(ProcessHandle p) {
    try {
      return Files.readString(Path.of("/proc", String.valueOf(p.pid()), "cmdline"))
          .contains(io.dataops.platform.schedule.ChildRunMain.class.getName());
    } catch (java.io.IOException gone) {
      return false;
    }
  }
}
