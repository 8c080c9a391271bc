package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.core.audit.AuditSink;
import io.dataops.platform.cli.CliTest.Run;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.intake.RegisteredSuites;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The other tables a suite refers to ({@code expect_table_row_count_to_equal_other_table},
 * {@code expect_column_values_to_exist_in_table}) are read as the caller, checked as the table itself is: a
 * department running a suite on its own table read another department's register (its row count, which of its
 * values occur there, its schema in compile errors) with no check and nothing in the audit trail.
 */
class SuiteReferencesCliTest extends HomeCliTest {
  static final String CITIZENS = "ods.public_security__citizens";
  static final String CONTRIBUTIONS = "ods.human_resources__social_insurance";
  static final String REFUSAL = "reading " + CITIZENS + " requires its department, role authority or auditor";

  void land(String as, String department, String dataset, int rows) {
    Path feed = dir.resolve(dataset + ".csv");
    assertThat(run(as, "generate", "--dataset", dataset, "--rows", String.valueOf(rows), "--seed", "3", "--out",
        feed.toString()).exit()).isZero();
    Run landed = run(as, "land", "--department", department, "--dataset", dataset, "--file", feed.toString());
    assertThat(landed.exit()).as(landed.err()).isZero();
  }

  @BeforeEach
  void landTwoDepartments() {
    TestCast.enroll(dir.resolve("home"));
    land(TestCast.PUBLIC_SECURITY, "public-security", "citizens", 120);
    land(TestCast.HUMAN_RESOURCES, "human-resources", "social-insurance", 30);
  }

  @Test
  void aSuiteReadsOtherTablesOnlyAsTheCallerMay() throws Exception {
    Path xref = suite("xref", """
          - type: expect_table_row_count_to_equal_other_table
            kwargs: {other_table_name: %s}
          - type: expect_column_values_to_exist_in_table
            kwargs: {column: id_card, table: %s}
        """.formatted(CITIZENS, CITIZENS));
    // a type mismatch said the other table's column types
    Path schema = suite("schema", """
          - type: expect_column_values_to_exist_in_table
            kwargs: {column: base_salary, table: %s, table_column: name}
        """.formatted(CITIZENS));
    Path named = suite("named", """
          - type: expect_table_row_count_to_equal_other_table
            kwargs: {other_table_name: {$PARAMETER: other}}
        """);

    // Human resources may read its own table, not the citizens register: refused before anything of it is read.
    for (List<String> args : List.of(
        List.of("quality", "run", "--table", CONTRIBUTIONS, "--suite", xref.toString(), "--json"),
        List.of("quality", "run", "--table", CONTRIBUTIONS, "--suite", schema.toString()),
        List.of("quality", "run", "--table", CONTRIBUTIONS, "--suite", named.toString(), "--param",
            "other=" + CITIZENS),
        List.of("quality", "suite", "register", "--department", "human-resources", "--dataset", "social-insurance",
            "--file", xref.toString()))) {
      Run r = run(TestCast.HUMAN_RESOURCES, args.toArray(String[]::new));
      assertThat(r.exit()).as(args + ": " + r.out() + r.err()).isEqualTo(2);
      assertThat(r.err()).as(args.toString()).hasLineCount(1).contains(REFUSAL);
      // Less the home's path, whose random digits held "120" now and then (a failure of one run in about 60).
      String home = dir.resolve("home").toString();
      assertThat((r.out() + r.err()).replace(home, "HOME")).as("nothing of the other table").doesNotContain("observed",
          "other", "120", "string", "decimal", "reference_");
    }
    // nothing registered
    Run noSuite = run(TestCast.HUMAN_RESOURCES, "quality", "run", "--table", CONTRIBUTIONS);
    assertThat(noSuite.err()).contains("no suite registered for " + CONTRIBUTIONS);

    // A suite registered before references were checked (or by other means) is refused at the feed, before it lands.
    PlatformConfig config = PlatformConfig.load(dir.resolve("home"), Map.of());
    RegisteredSuites.register(config, "human-resources", "social-insurance", xref, AuditSink.NONE);
    Path next = dir.resolve("next.csv");
    assertThat(run(TestCast.HUMAN_RESOURCES, "generate", "--dataset", "social-insurance", "--rows", "20", "--seed",
        "4", "--out", next.toString()).exit()).isZero();
    Run fed = run(TestCast.HUMAN_RESOURCES, "land", "--department", "human-resources", "--dataset",
        "social-insurance", "--file", next.toString());
    assertThat(fed.exit()).as(fed.out() + fed.err()).isEqualTo(2);
    assertThat(fed.err()).hasLineCount(1).contains(REFUSAL);
    Run history = run(TestCast.HUMAN_RESOURCES, "table", "history", CONTRIBUTIONS, "--json");
    assertThat(history.json().get("snapshots")).as("nothing landed").hasSize(1);

    // The authority may read both: it runs, and the run's event names the other table.
    Run supervised = run(TestCast.AUTHORITY, "quality", "run", "--table", CONTRIBUTIONS, "--suite", xref.toString(),
        "--json");
    assertThat(supervised.exit()).as(supervised.err()).isZero();
    assertThat(supervised.json().at("/results/0/result/observed_value/other").asLong()).isEqualTo(120);

    JsonNode events = run(TestCast.AUDITOR, "audit", "list", "--json").json().get("events");
    int refusals = 0;
    List<String> runs = new ArrayList<>();
    for (JsonNode e : events) {
      String objects = e.get("objects").toString();
      if (e.get("action").asText().equals("command.refused") && e.get("actor").asText().equals("hr-clerk")) {
        assertThat(objects).isEqualTo("[\"table:" + CITIZENS + "\"]");
        assertThat(e.at("/details/reason").asText()).contains(REFUSAL);
        refusals++;
      }
      if (e.get("action").asText().equals("quality.run") && objects.contains(CITIZENS)) {
        runs.add(e.get("actor").asText() + " " + e.get("outcome").asText() + " " + objects);
      }
    }
    assertThat(refusals).as("every refusal audited").isEqualTo(5);
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0)).startsWith("alice ok [\"table:" + CONTRIBUTIONS + "\",\"snapshot:")
        .endsWith(",\"table:" + CITIZENS + "\"]");
  }

  /**
   * A quality run pins the current snapshot of each table its suite refers to, and reads them there: before, it
   * pinned them but read each at its current snapshot when it got to it, so a feed landed into the reference table
   * after the pin changed the verdict, and the run was not what its recorded inputs give.
   */
  @Test
  void aQualityRunReadsItsReferenceTablesAtTheSnapshotsItPinned() throws Exception {
    landMore(TestCast.HUMAN_RESOURCES, "human-resources", "social-insurance", 90, 1000); // 120 rows, as citizens
    long pinned = newestSnapshot(CONTRIBUTIONS);
    Path xref = suite("xref", """
          - type: expect_table_row_count_to_equal_other_table
            kwargs: {other_table_name: %s}
          - type: expect_column_values_to_exist_in_table
            kwargs: {column: id_card, table: %s}
        """.formatted(CONTRIBUTIONS, CONTRIBUTIONS));
    String[] quality = {"quality", "run", "--table", CITIZENS, "--suite", xref.toString(), "--json"};
    Run undisturbed = run(TestCast.AUTHORITY, quality);
    assertThat(undisturbed.exit()).as(undisturbed.err()).isZero();
    assertThat(undisturbed.json().at("/results/0/success").asBoolean()).as("120 rows each").isTrue();
    Run ran;
    try (PausedChild child = PausedChild.at("quality-inputs-pinned", dir, dir.resolve("home"), TestCast.AUTHORITY,
        quality)) {
      landMore(TestCast.HUMAN_RESOURCES, "human-resources", "social-insurance", 20, 2000); // now 140
      ran = child.resume();
    }
    assertThat(ran.exit()).as(ran.err()).isZero();
    JsonNode result = ran.json();
    assertThat(result.at("/meta/reference_snapshot_ids/" + CONTRIBUTIONS).asLong()).isEqualTo(pinned);
    assertThat(result.at("/results/0/success").asBoolean()).as("the reference at its pinned snapshot").isTrue();
    assertThat(result.get("results")).isEqualTo(undisturbed.json().get("results"));
    assertThat(result.get("statistics")).isEqualTo(undisturbed.json().get("statistics"));
    assertThat(result.at("/results/1/result/details/reference_snapshot_id").asText())
        .isEqualTo(String.valueOf(pinned));
    // A run after the feed reads the reference as it is now.
    JsonNode now = run(TestCast.AUTHORITY, quality).json();
    assertThat(now.at("/results/0/success").asBoolean()).isFalse();
    assertThat(now.at("/results/0/result/observed_value/other").asLong()).isEqualTo(140);
    assertThat(now.at("/meta/reference_snapshot_ids/" + CONTRIBUTIONS).asLong()).isEqualTo(
        newestSnapshot(CONTRIBUTIONS));

    // The audit trail records the reference snapshot each run read.
    List<String> read = new ArrayList<>();
    for (JsonNode e : run(TestCast.AUDITOR, "audit", "list", "--action", "quality.run", "--json").json()
        .get("events")) {
      read.add(e.at("/details/referenceSnapshots/" + CONTRIBUTIONS).asText());
    }
    assertThat(read).as("newest first").containsExactly(String.valueOf(newestSnapshot(CONTRIBUTIONS)),
        String.valueOf(pinned), String.valueOf(pinned));
  }

  void landMore(String as, String department, String dataset, int rows, int offset) {
    Path feed = dir.resolve(dataset + "-" + offset + ".csv");
    assertThat(run(as, "generate", "--dataset", dataset, "--rows", String.valueOf(rows), "--seed", "3", "--offset",
        String.valueOf(offset), "--out", feed.toString()).exit()).isZero();
    Run landed = run(as, "land", "--department", department, "--dataset", dataset, "--file", feed.toString());
    assertThat(landed.exit()).as(landed.err()).isZero();
  }

  long newestSnapshot(String table) {
    JsonNode snapshots = run(TestCast.AUDITOR, "table", "history", table, "--json").json().get("snapshots");
    return snapshots.get(snapshots.size() - 1).get("snapshotId").asLong();
  }
}
