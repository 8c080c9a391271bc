package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.platform.cli.CliTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A feed's intake killed with SIGKILL after its landing committed and before its quality run (the point where a
 * full disk or a crash in the run leaves it too): the department sends the same file again, as the failure asks, and
 * that command lands nothing and completes the rest — the feed's quality run, its feedback and tickets — once; a third
 * send changes nothing.
 */
class IntakeKillTest {
  @TempDir Path dir;

  /** A command as the department's clerk, or as the user after {@code --as} when the arguments name one. */
  Run run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--home", dir.resolve("home").toString()));
    if (!all.contains("--as")) {
      all.addAll(List.of("--as", TestCast.PUBLIC_SECURITY));
    }
    return CliTest.exactly(all.toArray(String[]::new));
  }

  Run ok(String... args) {
    Run r = run(args);
    assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
    return r;
  }

  static final String VALID_ID = "{\"type\": \"expect_column_values_to_be_valid_prc_id_card\", \"kwargs\": {\"column\":"
      + " \"id_card\"}}";
  static final String UNIQUE_RECORD = "{\"type\": \"expect_column_values_to_be_unique\", \"kwargs\": {\"column\":"
      + " \"record_id\"}}";

  /** Registers the citizens' suite {@code citizens.basic} of these expectations (JSON objects). */
  void registerSuite(String... expectations) throws java.io.IOException {
    Path suite = Files.writeString(dir.resolve("citizens.json"), "{\"name\": \"citizens.basic\", \"expectations\": ["
        + String.join(", ", expectations) + "]}");
    ok("quality", "suite", "register", "--department", "public-security", "--dataset", "citizens", "--file",
        suite.toString());
  }

  @Test
  void aFeedSentAgainAfterItsIntakeWasKilledCompletesItsQualityRunAndFeedbackOnce() throws Exception {
    Path home = dir.resolve("home");
    TestCast.enroll(home);
    Path feed = dir.resolve("c.csv");
    ok("generate", "--dataset", "citizens", "--rows", "2000", "--out", feed.toString(), "--defect-rate", "0.1");
    registerSuite(VALID_ID, UNIQUE_RECORD);

    killedAt("landed", "land", "--department", "public-security", "--dataset", "citizens", "--file",
        feed.toString()); // SIGKILL after the landing's commit
    assertThat(run("feedback", "list", "--json").json().get("tickets")).as("no quality run yet").isEmpty();

    Run again = ok("land", "--department", "public-security", "--dataset", "citizens", "--file", feed.toString(),
        "--json");
    JsonNode landed = again.json();
    assertThat(landed.get("duplicateOf").isNull()).as("nothing landed twice: " + landed).isFalse();
    long snapshot = landed.get("duplicateOf").asLong();
    assertThat(landed.at("/quality/success").asBoolean()).as("the feed's quality run, made now: " + landed)
        .isFalse();
    assertThat(landed.at("/quality/failingRows").asLong()).isPositive();
    assertThat(run("feedback", "list", "--json").json().get("tickets")).as("its tickets").hasSize(2);
    assertThat(home.resolve("outbox/public-security/citizens")).isDirectory();

    Run third = ok("land", "--department", "public-security", "--dataset", "citizens", "--file", feed.toString(),
        "--json");
    assertThat(third.json().has("quality")).as("done once: " + third.out()).isFalse();
    JsonNode events = ok("audit", "list", "--object", "snapshot:" + snapshot, "--oldest-first", "--json", "--as",
        TestCast.AUDITOR).json().get("events");
    List<String> actions = new ArrayList<>();
    events.forEach(e -> actions.add(e.get("action").asText()
        + (e.at("/details/recordedLate").asBoolean() ? " (late)" : "")));
    assertThat(actions).as("the killed landing's own event, then the feed's one quality run")
        .containsExactly("feed.land", "quality.run");
    JsonNode delivered = ok("audit", "list", "--action", "feedback.deliver", "--json", "--as", TestCast.AUDITOR)
        .json().get("events");
    assertThat(delivered).hasSize(1);
  }

  /**
   * Found by a probe: an intake killed after its quality run's commit and before the feedback left that run's failing
   * rows, metrics and analyzer states behind, and the feed sent again recorded them a second time (the first run's
   * rows belonging to no ticket). The completing run now replaces them, and its audit event names the run it replaced.
   */
  @Test
  void aFeedSentAgainAfterItsCheckCommittedKeepsOneRunOfItsRecords() throws Exception {
    Path home = dir.resolve("home");
    TestCast.enroll(home);
    Path feed = dir.resolve("c.csv");
    ok("generate", "--dataset", "citizens", "--rows", "500", "--out", feed.toString(), "--defect-rate", "0.1");
    registerSuite(VALID_ID);
    killedAt("quality-run-committed", land(feed)); // SIGKILL after the check's commits, before its feedback
    List<String> killedRuns = runsIn("quality.analyzer_states");
    assertThat(killedRuns).as("the killed check recorded its states").hasSize(1);
    assertThat(runsIn("quality.row_failures")).as("and its failing rows").isEqualTo(killedRuns);
    assertThat(runsIn("quality.metrics")).as("and its metrics").isEqualTo(killedRuns);
    long failingRows = rowsIn("quality.row_failures");
    assertThat(failingRows).isPositive();

    JsonNode again = ok(land(feed, "--json")).json();
    String rerun = again.at("/quality/runId").asText();
    assertThat(rerun).isNotEmpty().isNotEqualTo(killedRuns.get(0));
    for (String recorded : List.of("quality.row_failures", "quality.metrics", "quality.analyzer_states")) {
      assertThat(runsIn(recorded)).as(recorded + " holds the feed's check once").containsExactly(rerun);
    }
    assertThat(rowsIn("quality.row_failures")).as("the same failing rows, once").isEqualTo(failingRows);
    assertThat(run("feedback", "list", "--json").json().get("tickets")).hasSize(1);
    JsonNode events = ok("audit", "list", "--action", "quality.run", "--oldest-first", "--json", "--as",
        TestCast.AUDITOR).json().get("events");
    assertThat(events).as("only the completing run was recorded: the killed one stopped before its event").hasSize(1);
    assertThat(events.get(0).at("/details/runId").asText()).isEqualTo(rerun);
    assertThat(events.get(0).at("/details/supersedes/0").asText()).isEqualTo(killedRuns.get(0));
  }

  /**
   * Found by a probe: two sends of a feed whose intake was killed after its check's commits both ran the check, and
   * the feed's records were kept twice. The second send now waits for the first's feedback, and then checks nothing.
   */
  @Test
  void twoSendsAtOnceOfAKilledFeedCompleteItsCheckOnce() throws Exception {
    TestCast.enroll(dir.resolve("home"));
    Path feed = dir.resolve("c.csv");
    ok("generate", "--dataset", "citizens", "--rows", "300", "--out", feed.toString(), "--defect-rate", "0.1");
    registerSuite(VALID_ID);
    killedAt("quality-run-committed", land(feed));
    long failingRows = rowsIn("quality.row_failures");

    Run second;
    try (PausedChild first = pausedAt("quality-run-committed", land(feed, "--json"))) {
      // The first send has checked the feed and holds before its feedback; the second runs meanwhile.
      java.util.concurrent.CompletableFuture<Run> other = java.util.concurrent.CompletableFuture.supplyAsync(
          () -> run(land(feed, "--json")));
      Thread.sleep(3000);
      assertThat(other).as("the second send waits for the first's feedback").isNotDone();
      assertThat(first.resume().exit()).isZero();
      second = other.get(180, java.util.concurrent.TimeUnit.SECONDS);
    }
    assertThat(second.exit()).as(second.err()).isZero();
    assertThat(second.json().has("quality")).as("the first send checked the feed").isFalse();
    assertThat(second.json().has("unchecked")).isFalse();
    for (String recorded : List.of("quality.row_failures", "quality.metrics", "quality.analyzer_states")) {
      assertThat(runsIn(recorded)).as(recorded + " holds the feed's check once").hasSize(1);
    }
    assertThat(rowsIn("quality.row_failures")).isEqualTo(failingRows);
    assertThat(ok("audit", "list", "--action", "quality.run", "--json", "--as", TestCast.AUDITOR).json()
        .get("events")).hasSize(1);
  }

  /**
   * Found by a probe: after a routine {@code table maintain} (a compaction, no landing) a killed intake's feed sent
   * again was "not checked again here", as if later feeds had landed.
   */
  @Test
  void aKilledFeedSentAgainAfterACompactionIsStillChecked() throws Exception {
    TestCast.enroll(dir.resolve("home"));
    Path earlier = dir.resolve("earlier.csv");
    Path feed = dir.resolve("c.csv");
    ok("generate", "--dataset", "citizens", "--rows", "100", "--out", earlier.toString(), "--seed", "1");
    ok("generate", "--dataset", "citizens", "--rows", "300", "--out", feed.toString(), "--defect-rate", "0.1",
        "--seed", "2", "--offset", "100");
    registerSuite(VALID_ID);
    ok(land(earlier));
    killedAt("landed", land(feed));
    assertThat(ok("table", "maintain", "ods.public_security__citizens", "--json", "--as",
        io.dataops.platform.session.Sessions.LOCAL_ADMIN).out()).contains("\"filesRewritten\":2");
    JsonNode again = ok(land(feed, "--json")).json();
    assertThat(again.has("unchecked")).as(again.toString()).isFalse();
    assertThat(again.at("/quality/runId").asText()).isNotEmpty();
    assertThat(again.at("/quality/failingRows").asLong()).isPositive();
    assertThat(run("feedback", "list", "--json").json().get("tickets")).hasSize(1);
  }

  /** The distinct runs whose rows {@code quality} holds for the citizens table. */
  private List<String> runsIn(String quality) {
    java.util.TreeSet<String> runs = new java.util.TreeSet<>();
    ok("table", "show", quality, "--limit", "100000", "--json", "--as", TestCast.AUTHORITY).json().get("rows")
        .forEach(r -> {
          if (r.get("table_name").asText().equals("ods.public_security__citizens")) {
            runs.add(r.get("run_id").asText());
          }
        });
    return List.copyOf(runs);
  }

  private long rowsIn(String quality) {
    return ok("table", "show", quality, "--limit", "100000", "--json", "--as", TestCast.AUTHORITY).json().get("rows")
        .size();
  }

  /**
   * Found by a probe: a killed feed's check is completed only while it is the table's last landing; sent again after a
   * later feed, it said only "nothing landed". It now says its rows went unchecked and how to check them.
   */
  @Test
  void aFeedSentAgainAfterLaterFeedsSaysItsCheckNeverCompleted() throws Exception {
    TestCast.enroll(dir.resolve("home"));
    Path first = dir.resolve("first.csv");
    Path second = dir.resolve("second.csv");
    ok("generate", "--dataset", "citizens", "--rows", "200", "--out", first.toString(), "--seed", "1");
    ok("generate", "--dataset", "citizens", "--rows", "200", "--out", second.toString(), "--seed", "2", "--offset",
        "200");
    registerSuite(UNIQUE_RECORD);
    killedAt("landed", land(first));
    ok(land(second));
    JsonNode again = ok(land(first, "--json")).json();
    long snapshot = again.get("duplicateOf").asLong();
    assertThat(again.has("quality")).isFalse();
    assertThat(again.get("unchecked").asText()).startsWith("its quality check did not complete when it landed")
        .endsWith("check it with: dataops quality run --table ods.public_security__citizens --snapshot " + snapshot
            + " --feed");
    assertThat(ok(land(second, "--json")).json().has("unchecked")).as("a feed that was checked").isFalse();
  }

  /** The command as the department's clerk in a child JVM, held at {@code point}. */
  PausedChild pausedAt(String point, String... args) throws Exception {
    return PausedChild.at(point, dir, dir.resolve("home"), TestCast.PUBLIC_SECURITY, args);
  }

  private String[] land(Path file, String... more) {
    List<String> args = new ArrayList<>(List.of("land", "--department", "public-security", "--dataset", "citizens",
        "--file", file.toString()));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  /** A copy of the generated feed, with its contract, its first row changed and its last row left out. */
  private Path corrected(Path feed, String name) throws java.io.IOException {
    Path copy = dir.resolve(name);
    List<String> lines = new ArrayList<>(Files.readAllLines(feed));
    String row = lines.get(1);
    lines.set(1, row.contains(",M,") ? row.replace(",M,", ",F,") : row.replace(",F,", ",M,"));
    lines.remove(lines.size() - 1);
    Files.write(copy, lines);
    Files.copy(Path.of(feed + ".contract.yaml"), Path.of(copy + ".contract.yaml"));
    return copy;
  }

  private java.util.Map<String, Long> rowsByFeed() {
    java.util.Map<String, Long> counts = new java.util.TreeMap<>();
    ok("table", "show", "ods.public_security__citizens", "--limit", "10000", "--json").json().get("rows")
        .forEach(r -> counts.merge(r.get("_feed_id").asText(), 1L, Long::sum));
    return counts;
  }

  @Test
  void aReplacementKilledBeforeItsCommitLeavesTheOldFeedAndOneRacingAnotherForTheSameFeedIsRefused()
      throws Exception {
    TestCast.enroll(dir.resolve("home"));
    Path feed = dir.resolve("c.csv");
    ok("generate", "--dataset", "citizens", "--rows", "50", "--defect-rate", "0", "--out", feed.toString());
    String first = ok(land(feed, "--json")).json().get("feedId").asText();
    Path fix = corrected(feed, "c-fix.csv");

    killedAt("replacing", land(fix, "--replaces", first)); // SIGKILL with every file written, before the commit
    assertThat(rowsByFeed()).as("the old state").isEqualTo(java.util.Map.of(first, 50L));

    // Paused at the same point, the next attempt waits while another correction of the same feed lands.
    Run racing;
    String winner;
    try (PausedChild child = pausedAt("replacing", land(fix, "--replaces", first))) {
      Path other = corrected(fix, "c-fix-2.csv");
      winner = ok(land(other, "--replaces", first, "--json")).json().get("feedId").asText();
      racing = child.resume();
    }
    assertThat(racing.exit()).as(racing.err()).isEqualTo(2);
    assertThat(racing.err()).contains("feed " + first + " of ods.public_security__citizens was replaced already, by feed "
        + winner);
    assertThat(rowsByFeed()).as("the winner's rows only").isEqualTo(java.util.Map.of(winner, 48L));
  }

  @Test
  void aReplacementWhoseFilesACompactionRewroteMeanwhileIsPlannedAgainAndLosesNoRow() throws Exception {
    TestCast.enroll(dir.resolve("home"));
    Path feed = dir.resolve("c.csv");
    ok("generate", "--dataset", "citizens", "--rows", "50", "--defect-rate", "0", "--out", feed.toString());
    String first = ok(land(feed, "--json")).json().get("feedId").asText();
    Path more = dir.resolve("more.csv");
    ok("generate", "--dataset", "citizens", "--rows", "5", "--offset", "50", "--defect-rate", "0", "--out",
        more.toString());
    String second = ok(land(more, "--json")).json().get("feedId").asText();
    Path fix = corrected(feed, "c-fix.csv");

    Run replacing;
    try (PausedChild child = pausedAt("replacing", land(fix, "--replaces", first, "--json"))) {
      Run maintained = ok("table", "maintain", "ods.public_security__citizens", "--json", "--as",
          io.dataops.platform.session.Sessions.LOCAL_ADMIN);
      assertThat(maintained.out()).as("the planned files were compacted away").contains("\"filesRewritten\":2");
      replacing = child.resume();
    }
    assertThat(replacing.exit()).as(replacing.err()).isZero();
    JsonNode landed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(replacing.out());
    assertThat(landed.at("/replaced/rows").asLong()).isEqualTo(50);
    assertThat(landed.at("/replaced/filesRewritten").asLong()).as("planned again on the compacted file").isEqualTo(1);
    assertThat(rowsByFeed()).isEqualTo(java.util.Map.of(second, 5L, landed.get("feedId").asText(), 49L));
  }

  /**
   * A replacement killed right after its ods commit, before its quarantine rows and the mark on the replaced feed's:
   * the next landing into the table (here the old file sent again) makes both, once.
   */
  @Test
  void aReplacementKilledAfterItsCommitHasTheReplacedFeedsQuarantinedRowsMarkedByTheNextLanding() throws Exception {
    TestCast.enroll(dir.resolve("home"));
    Path feed = dir.resolve("c.csv");
    ok("generate", "--dataset", "citizens", "--rows", "50", "--defect-rate", "0.1", "--seed", "7", "--out",
        feed.toString());
    JsonNode first = ok(land(feed, "--json")).json();
    String firstId = first.get("feedId").asText();
    Path fix = dir.resolve("c-fix.csv"); // the last row left out (byte for byte: some defects are undecodable bytes)
    List<String> lines = new ArrayList<>(Files.readAllLines(feed, java.nio.charset.StandardCharsets.ISO_8859_1));
    lines.remove(lines.size() - 1);
    Files.write(fix, lines, java.nio.charset.StandardCharsets.ISO_8859_1);
    Files.copy(Path.of(feed + ".contract.yaml"), Path.of(fix + ".contract.yaml"));

    killedAt("ods-committed", land(fix, "--replaces", firstId));
    JsonNode history = ok("table", "history", "ods.public_security__citizens", "--json").json().get("snapshots");
    String fixId = history.get(history.size() - 1).at("/summary/dataops.feed-id").asText();
    assertThat(quarantinedByFeed()).as("neither made yet").isEqualTo(java.util.Map.of(firstId, java.util.Set.of(
        "open")));

    JsonNode old = ok(land(feed, "--json")).json();
    assertThat(old.get("duplicateOf").asLong()).isEqualTo(first.get("snapshotId").asLong());
    assertThat(old.at("/duplicateReplaced/replacedBy").asText()).isEqualTo(fixId);
    assertThat(old.at("/repaired/feedIds/0").asText()).as("the correction's own quarantined rows: " + old)
        .isEqualTo(fixId);
    assertThat(quarantinedByFeed()).isEqualTo(java.util.Map.of(firstId, java.util.Set.of(fixId), fixId,
        java.util.Set.of("open")));
    ok(land(feed));
    assertThat(ok("table", "history", "quarantine.public_security__citizens", "--json").json().get("snapshots"))
        .as("each commit once: the two feeds' rows and the mark").hasSize(2);
  }

  /** The quarantine table's rows as {@code table show --json} gives them: feed id to the replaced_by of its rows. */
  private java.util.Map<String, java.util.Set<String>> quarantinedByFeed() {
    java.util.Map<String, java.util.Set<String>> replacedBy = new java.util.TreeMap<>();
    ok("table", "show", "quarantine.public_security__citizens", "--limit", "10000", "--json").json().get("rows")
        .forEach(r -> replacedBy.computeIfAbsent(r.get("feed_id").asText(), k -> new java.util.TreeSet<>())
            .add(r.get("replaced_by").isNull() ? "open" : r.get("replaced_by").asText()));
    return replacedBy;
  }

  /** Starts the command as the department's clerk in a child JVM, paused at {@code point}, and kills it there. */
  void killedAt(String point, String... args) throws Exception {
    try (PausedChild child = pausedAt(point, args)) {
      child.kill();
    }
  }

  @Test
  void aRegistrationKilledAfterItsEventIsFinishedByTheNextLanding() throws Exception {
    // Found by reading the registries: a suite or contract registration killed after its event was recorded and
    // before its copy was moved in left the event in force and the old file (or none) in the folder, and every
    // later feed was refused as "changed since, outside registration" until the department registered it again.
    Path home = dir.resolve("home");
    TestCast.enroll(home);
    Path feed = dir.resolve("c.csv");
    ok("generate", "--dataset", "citizens", "--rows", "200", "--defect-rate", "0", "--out", feed.toString());
    Path contract = dir.resolve("c.csv.contract.yaml");
    ok("contract", "register", "--department", "public-security", "--dataset", "citizens", "--file",
        contract.toString());
    Path lenient = Files.writeString(dir.resolve("lenient.json"), """
        {"name": "citizens.lenient", "expectations": [
          {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1}}]}
        """);
    ok("quality", "suite", "register", "--department", "public-security", "--dataset", "citizens", "--file",
        lenient.toString());

    Path strict = Files.writeString(dir.resolve("strict.yaml"), """
        name: citizens.strict
        expectations:
          - type: expect_column_values_to_be_null
            kwargs: {column: record_id}
        """);
    killedAt("registration-recorded", "quality", "suite", "register", "--department", "public-security",
        "--dataset", "citizens", "--file", strict.toString());
    Path amended = dir.resolve("amended.contract.yaml");
    Files.writeString(amended, Files.readString(contract) + "# amended: the same promise, other bytes\n");
    killedAt("registration-recorded", "contract", "register", "--department", "public-security", "--dataset",
        "citizens", "--file", amended.toString());
    Path suites = home.resolve("suites/public-security");
    Path contracts = home.resolve("contracts/public-security");
    assertThat(suites.resolve("citizens.json")).as("the kill left the old suite in the folder").exists();

    JsonNode landed = ok("land", "--department", "public-security", "--dataset", "citizens", "--file",
        feed.toString(), "--json").json();
    assertThat(landed.get("rowsLanded").asLong()).isEqualTo(200);
    assertThat(landed.at("/quality/success").asBoolean()).as("checked by the suite the trail registers: " + landed)
        .isFalse();
    assertThat(landed.at("/feedback/tickets/0/rule").asText()).startsWith("expect_column_values_to_be_null");
    assertThat(suites.resolve("citizens.json")).as("the other format's file went, as registering does")
        .doesNotExist();
    assertThat(Files.readString(suites.resolve("citizens.yaml"))).isEqualTo(Files.readString(strict));
    assertThat(Files.readString(contracts.resolve("citizens.contract.yaml"))).isEqualTo(Files.readString(amended));
    for (Path folder : List.of(suites, contracts)) {
      try (var left = Files.list(folder)) {
        assertThat(left.map(f -> f.getFileName().toString())).as("no scratch copy left").noneMatch(
            f -> f.endsWith(".tmp"));
      }
    }
  }
}
