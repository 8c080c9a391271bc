package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quality run --param NAME=VALUE}: suite parameters given at run time, as GX's run-time parameters. */
class QualityParamsCliTest {
  @TempDir Path dir;

  private CliTest.Run run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--home", dir.resolve("home").toString(), "--as", TestCast.PUBLIC_SECURITY));
    return CliTest.exactly(all.toArray(String[]::new));
  }

  @BeforeEach
  void citizens() {
    TestCast.enroll(dir.resolve("home"));
    Path feed = dir.resolve("c.csv");
    assertThat(run("generate", "--dataset", "citizens", "--rows", "200", "--out", feed.toString()).exit()).isZero();
    CliTest.Run land = run("land", "--department", "public-security", "--dataset", "citizens", "--file", feed.toString());
    assertThat(land.exit()).as(land.err()).isZero();
  }

  @Test
  void aSuiteTakesItsParametersFromTheCommandLine() throws Exception {
    Path suite = dir.resolve("params.json");
    Files.writeString(suite, """
        {"name": "citizens.params", "suite_parameters": {"slack": 0},
         "expectations": [
          {"type": "expect_table_row_count_to_be_between",
           "kwargs": {"min_value": {"$PARAMETER": "expected_rows - slack"}, "max_value": {"$PARAMETER": "expected_rows"}}},
          {"type": "expect_column_values_to_be_between",
           "kwargs": {"column": "birth_date", "min_value": {"$PARAMETER": "datetime(1900, 1, 1)"},
                      "max_value": {"$PARAMETER": "now()"}}}
        ]}
        """);
    String table = "ods.public_security__citizens";
    CliTest.Run missing = run("quality", "run", "--table", table, "--suite", suite.toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).startsWith("dataops: params.json:4: expect_table_row_count_to_be_between: kwarg "
        + "'min_value' refers to suite parameter 'expected_rows'").contains("--param expected_rows=VALUE");

    CliTest.Run ok = run("quality", "run", "--table", table, "--suite", suite.toString(), "--param", "expected_rows=200",
        "--json");
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.json().get("success").asBoolean()).as(ok.out()).isTrue();
    assertThat(ok.json().at("/suite_parameters/expected_rows").asLong()).isEqualTo(200);
    assertThat(ok.json().at("/results/1/expectation_config/kwargs/min_value").asText()).isEqualTo("1900-01-01T00:00:00");

    CliTest.Run tooFew = run("quality", "run", "--table", table, "--suite", suite.toString(), "--param",
        "expected_rows=150", "--param", "slack=10", "--json");
    assertThat(tooFew.json().get("success").asBoolean()).isFalse();
    assertThat(tooFew.json().at("/results/0/expectation_config/kwargs/min_value").asLong()).isEqualTo(140);
    assertThat(tooFew.exit()).as("a failing suite is a result, not an error").isZero();
    // For a scheduler (whose quality schedules run with it): a rule of severity error failing fails the command, one
    // line saying so, the result printed and recorded all the same; a passing suite exits 0.
    CliTest.Run strict = run("quality", "run", "--table", table, "--suite", suite.toString(), "--param",
        "expected_rows=150", "--param", "slack=10", "--json", "--fail-on-error");
    assertThat(strict.exit()).isEqualTo(2);
    assertThat(strict.json().get("success").asBoolean()).isFalse();
    assertThat(strict.err()).hasLineCount(1).startsWith("dataops: 1 rule of severity error failed on " + table
        + " (quality run " + strict.json().at("/meta/run_id").asText() + ", ");
    assertThat(run("quality", "run", "--table", table, "--suite", suite.toString(), "--param", "expected_rows=200",
        "--fail-on-error").exit()).isZero();

    // A registered suite keeps its run-time parameters open: registering works, each run names them.
    assertThat(run("quality", "suite", "register", "--department", "public-security", "--dataset", "citizens",
        "--file", suite.toString()).exit()).isZero();
    CliTest.Run registered = run("quality", "run", "--table", table, "--param", "expected_rows=200", "--json");
    assertThat(registered.exit()).as(registered.err()).isZero();
    assertThat(registered.json().get("success").asBoolean()).isTrue();
    CliTest.Run badName = run("quality", "run", "--table", table, "--param", "1x=2");
    assertThat(badName.exit()).isEqualTo(2);
    assertThat(badName.err()).contains("--param 1x=...");
    // Found by a probe: the second of two values for one name won in silence.
    CliTest.Run twice = run("quality", "run", "--table", table, "--param", "expected_rows=200", "--param",
        "expected_rows=150");
    assertThat(twice.exit()).isEqualTo(2);
    assertThat(twice.err()).contains("--param expected_rows is given twice: give each parameter once");
    CliTest.Run noValue = run("quality", "run", "--table", table, "--param", "expected_rows");
    assertThat(noValue.exit()).isEqualTo(2);
    assertThat(noValue.err()).contains("--param expected_rows: give NAME=VALUE");
  }

  /**
   * A rule whose pattern backtracks past its budget ends only itself (it stopped the whole run with exit 2 and recorded
   * nothing before): printed and recorded as GX's raised expectation, the other rules checked, the run a failed suite,
   * and {@code --fail-on-error} names the rule and why it could not be checked.
   */
  @Test
  void aCostlyPatternFailsItsRuleOnlyAndTheRunIsAFailedSuite() throws Exception {
    Path suite = dir.resolve("costly.json");
    Files.writeString(suite, """
        {"name": "citizens.costly", "expectations": [
          {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "record_id"}},
          {"type": "expect_column_values_to_match_regex", "kwargs": {"column": "address", "regex": "^(.*.){25}x$"}}
        ]}
        """);
    String table = "ods.public_security__citizens";
    CliTest.Run r = run("quality", "run", "--table", table, "--suite", suite.toString(), "--json");
    assertThat(r.exit()).as("a failing suite is a result, not an error: " + r.err()).isZero();
    assertThat(r.json().get("success").asBoolean()).as(r.out()).isFalse();
    assertThat(r.json().at("/results/0/success").asBoolean()).as(r.out()).isTrue();
    String message = r.json().at("/results/1/exception_info/exception_message").asText();
    assertThat(message).as(r.out()).startsWith("the pattern '^(.*.){25}x$' of expectation 2 "
        + "(expect_column_values_to_match_regex) on row ").contains(" needed more than ");
    assertThat(r.json().at("/results/1/exception_info/raised_exception").asBoolean()).isTrue();
    assertThat(r.json().at("/meta/failing_rows").asLong()).as("no failing rows of a rule not checked").isZero();

    CliTest.Run text = run("quality", "run", "--table", table, "--suite", suite.toString());
    assertThat(text.out()).contains("FAILED (1 of 2 expectations met", "FAIL error    "
        + "expect_column_values_to_match_regex(address)  the pattern '^(.*.){25}x$' of expectation 2 ");

    CliTest.Run strict = run("quality", "run", "--table", table, "--suite", suite.toString(), "--fail-on-error");
    assertThat(strict.exit()).isEqualTo(2);
    assertThat(strict.err()).hasLineCount(1).startsWith("dataops: 1 rule of severity error failed on " + table)
        .contains("rule 2 expect_column_values_to_match_regex(address) could not be checked: the pattern "
            + "'^(.*.){25}x$' of expectation 2 ");
  }

  /**
   * Found by a probe: the minimum and maximum of birth_date were shown whole (the oldest and the youngest person's
   * birth dates) in the result, its JSON and the department's report, while every row's value is masked.
   */
  @Test
  void aPersonalColumnsMinimumAndMaximumAreMaskedAsItsValuesAre() throws Exception {
    Path suite = dir.resolve("ages.json");
    Files.writeString(suite, """
        {"name": "citizens.ages", "expectations": [
          {"type": "expect_column_min_to_be_between", "kwargs": {"column": "birth_date", "min_value": "2100-01-01"}},
          {"type": "expect_column_max_to_be_between", "kwargs": {"column": "birth_date", "max_value": "1800-01-01"}}
        ]}
        """);
    CliTest.Run r = run("quality", "run", "--table", "ods.public_security__citizens", "--suite", suite.toString(),
        "--json");
    for (int i = 0; i < 2; i++) {
      assertThat(r.json().at("/results/" + i + "/success").asBoolean()).as(r.out()).isFalse();
      assertThat(r.json().at("/results/" + i + "/result/observed_value").asText()).as(r.out())
          .matches("\\d{4}-\\*\\*-\\*\\*");
    }
    // Nor in the metrics (printed, and kept in quality.metrics for the authority): found by a second probe.
    List<String> kept = new java.util.ArrayList<>();
    r.json().at("/meta/metrics").forEach(m -> kept.add(m.get("instance").asText() + " " + m.get("name").asText()));
    assertThat(kept).as(r.out()).contains("birth_date Mean").doesNotContain("birth_date Minimum",
        "birth_date Maximum", "birth_date Median");
    Files.writeString(suite, """
        {"name": "citizens.ages", "expectations": [
          {"type": "expect_metric_to_not_be_anomalous",
           "kwargs": {"metric": "Maximum", "column": "birth_date", "strategy": "absolute_change", "max_increase": 1}}
        ]}
        """);
    CliTest.Run anomaly = run("quality", "run", "--table", "ods.public_security__citizens", "--suite",
        suite.toString());
    assertThat(anomaly.exit()).isEqualTo(2);
    assertThat(anomaly.err()).contains("metric Maximum of birth_date, a personal column, is one person's value");
  }

  /** {@code quality run --workers N}: threads sharing the scan; any number gives the same results. */
  @Test
  void workersAreChosenOnTheCommandLine() throws Exception {
    Path suite = dir.resolve("s.json");
    Files.writeString(suite, """
        {"name": "citizens.workers", "expectations": [
          {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "id_card"}},
          {"type": "expect_column_mean_to_be_between", "kwargs": {"column": "monthly_income", "min_value": 0}}
        ]}
        """);
    String table = "ods.public_security__citizens";
    CliTest.Run one = run("quality", "run", "--table", table, "--suite", suite.toString(), "--workers", "1", "--json");
    CliTest.Run two = run("quality", "run", "--table", table, "--suite", suite.toString(), "--workers", "2", "--json");
    assertThat(one.exit()).as(one.err()).isZero();
    assertThat(two.json().get("results")).isEqualTo(one.json().get("results"));
    CliTest.Run none = run("quality", "run", "--table", table, "--suite", suite.toString(), "--workers", "0");
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.err()).contains("--workers must be at least 1 and at most ");
    CliTest.Run both = run("quality", "run", "--table", table, "--suite", suite.toString(), "--feed", "--full");
    assertThat(both.exit()).as("found by a probe: accepted in silence").isEqualTo(2);
    assertThat(both.err()).contains("give --feed (the rows one feed landed) or --full (the whole table, read again)");
    CliTest.Run many = run("quality", "run", "--table", table, "--suite", suite.toString(), "--workers", "100000");
    assertThat(many.exit()).isEqualTo(2);
    assertThat(many.err()).contains("--workers must be at least 1 and at most "
        + Math.max(2, 2 * Runtime.getRuntime().availableProcessors()));
  }
}
