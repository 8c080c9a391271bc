package io.dataops.quality.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.quality.expect.ExpectationCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GX's suite-parameter expressions, worked out by hand from GX's grammar and Python's datetime arithmetic. */
class SuiteParametersTest {
  /** 2024-03-01 12:00:00 local time (UTC+8). */
  static final Clock CLOCK = Clock.fixed(Instant.parse("2024-03-01T04:00:00Z"), ZoneOffset.ofHours(8));

  private static Object eval(String expression, Map<String, Object> parameters) {
    return ParameterExpression.evaluate(expression, parameters, CLOCK);
  }

  @Test
  void evaluatesGxExpressions() {
    assertThat(eval("datetime(1969, 1, 1)", Map.of())).isEqualTo("1969-01-01T00:00:00");
    assertThat(eval("datetime(year=2020, month=2, day=29, hour=23, minute=59, second=58, microsecond=5)", Map.of()))
        .isEqualTo("2020-02-29T23:59:58.000005");
    assertThat(eval("now() - timedelta(weeks=52)", Map.of())).isEqualTo("2023-03-03T12:00:00");
    assertThat(eval("now()", Map.of())).isEqualTo("2024-03-01T12:00:00");
    assertThat(eval("timedelta(days=1, hours=12) + datetime(2024, 2, 28)", Map.of())).isEqualTo("2024-02-29T12:00:00");
    assertThat(eval("since + timedelta(1)", Map.of("since", "2024-12-31"))).isEqualTo("2025-01-01T00:00:00");
    assertThat(eval("min_rows * 2 + 1", Map.of("min_rows", 10L))).isEqualTo(21L);
    assertThat(eval("upper / 4", Map.of("upper", 10L))).isEqualTo(2.5);
    assertThat(eval("2 ^ 3 ^ 2", Map.of())).as("right to left").isEqualTo(512L);
    assertThat(eval("-2 ^ 2", Map.of())).as("the sign binds to its operand").isEqualTo(4L);
    assertThat(eval("(1 + 2) * 3 - 4 / 2", Map.of())).isEqualTo(7.0);
    assertThat(eval("round(2.5) + round(3.5) + trunc(-1.7) + abs(-3)", Map.of())).isEqualTo(2L + 4L - 1L + 3L);
    assertThat(eval("round(PI, 2)", Map.of())).isEqualTo(3.14);
    assertThat(eval("limits", Map.of("limits", java.util.List.of(1, 2)))).as("a lone name keeps its value")
        .isEqualTo(java.util.List.of(1, 2));
  }

  @Test
  void refusesWhatGxRefuses() {
    assertThatThrownBy(() -> eval("nope + 1", Map.of())).hasMessage("No value found for $PARAMETER nope");
    assertThatThrownBy(() -> eval("datetime(2023, 2, 29)", Map.of())).hasMessageContaining("datetime()");
    assertThatThrownBy(() -> eval("timedelta(fortnights=1)", Map.of())).hasMessageContaining("no argument 'fortnights'");
    assertThatThrownBy(() -> eval("1 +", Map.of())).hasMessageContaining("cannot read '1 +'");
    assertThatThrownBy(() -> eval("now() * 2", Map.of())).hasMessageContaining("unsupported operand types for *");
  }

  /**
   * Where Java's numbers and dates end before Python's: an integer past 64 bits and a timedelta past Duration's range
   * were internal errors (ArithmeticException), and 2 ^ 100 was silently Long.MAX_VALUE; they are refused, saying how
   * to compute in floating point. An expression nested 20,000 deep, or a power tower of 20,000, overflowed the stack.
   */
  @Test
  void refusesWhatJavaCannotHoldAndWhatIsNestedTooDeep() {
    for (String e : java.util.List.of("9223372036854775807 + 1", "3 * 9223372036854775807", "2 ^ 100",
        "now() - timedelta(days=999999999999)", "datetime(9999, 12, 31) + timedelta(days=1)")) {
      assertThatThrownBy(() -> eval(e, Map.of())).as(e).isInstanceOf(ParameterExpression.Problem.class)
          .hasMessageStartingWith("'" + e + "' is out of range (")
          .hasMessageEndingWith("an integer result holds 64 bits here (write 1.0 to compute in floating point), a "
              + "date-time years 1 to 9999");
    }
    assertThatThrownBy(() -> eval("round(1e999)", Map.of()))
        .hasMessage("'round(1e999)' is not a finite number here (NaN or infinity has no decimal form)");
    assertThat(eval("2 ^ 62 + (2 ^ 62 - 1)", Map.of())).isEqualTo(Long.MAX_VALUE);
    assertThat(eval("(-1) ^ 9223372036854775807", Map.of())).isEqualTo(-1L);
    assertThat(eval("2.0 ^ 100", Map.of())).isEqualTo(Math.pow(2, 100));

    String deep = "(".repeat(20_000) + "1" + ")".repeat(20_000);
    assertThatThrownBy(() -> eval(deep, Map.of()))
        .hasMessage("'" + "(".repeat(200) + "... (40001 characters)' is nested more than 100 deep (at column 101)");
    assertThatThrownBy(() -> eval(String.join("^", java.util.Collections.nCopies(20_000, "1")), Map.of()))
        .hasMessageContaining("is nested more than 100 deep");
    assertThat(eval("(".repeat(99) + "1" + ")".repeat(99), Map.of())).isEqualTo(1L);
    assertThatThrownBy(() -> SuiteParser.parse("name: s\nexpectations:\n  - type: expect_column_values_to_be_between\n"
        + "    kwargs: {column: age, min_value: {$PARAMETER: '" + deep + "'}}\n", "s.yaml"))
        .hasMessageStartingWith("s.yaml:4: expect_column_values_to_be_between: kwarg 'min_value': suite parameter "
            + "expression '" + "(".repeat(200) + "... (40001 characters)': '")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(600));
  }

  static final String SUITE = """
      name: s
      suite_parameters: {min_rows: 2}
      expectations:
        - type: expect_table_row_count_to_be_between
          kwargs:
            min_value: {$PARAMETER: min_rows * 2}
            max_value: {$PARAMETER: max_rows}
        - type: expect_column_values_to_be_between
          kwargs: {column: age, min_value: {$PARAMETER: "trunc(1.9)", "$PARAMETER.trunc(1.9)": 5}}
      """;

  @Test
  void runTimeParametersOverrideTheSuitesAndAreNamedWhenMissing(@TempDir Path dir) throws Exception {
    ExpectationSuite s = SuiteParser.parse(SUITE, "s.yaml", Map.of("max_rows", 100L, "min_rows", 3L), CLOCK);
    assertThat(s.expectations().get(0).kwargs()).containsEntry("min_value", 6L).containsEntry("max_value", 100L);
    assertThat(s.expectations().get(1).kwargs()).as("GX's inline run-time value").containsEntry("min_value", 5L);
    assertThat(s.suiteParameters()).containsEntry("min_rows", 3L).containsEntry("max_rows", 100L);
    assertThatThrownBy(() -> SuiteParser.parse(SUITE, "s.yaml"))
        .hasMessageContaining("s.yaml:7: expect_table_row_count_to_be_between: kwarg 'max_value' refers to suite "
            + "parameter 'max_rows', which the suite does not define (give it with --param max_rows=VALUE)");
    // A registered suite waits for its run-time parameters; a run without them is refused, naming the parameter.
    Path file = dir.resolve("s.yaml");
    Files.writeString(file, SUITE);
    ExpectationSuite deferred = SuiteParser.parseDeferred(file);
    assertThatThrownBy(() -> ExpectationCatalog.compile(deferred, SuiteParserTest.PEOPLE))
        .isInstanceOf(SuiteException.class)
        .hasMessageContaining("s.yaml:7: expect_table_row_count_to_be_between: kwarg 'max_value' refers to suite "
            + "parameter 'max_rows', which is given neither by the suite nor at run time");
    assertThat(ExpectationCatalog.compile(SuiteParser.parse(file, Map.of("max_rows", 9L)), SuiteParserTest.PEOPLE))
        .hasSize(2);
    assertThatThrownBy(() -> SuiteParser.parse("""
        name: s
        expectations:
          - type: expect_table_row_count_to_be_between
            kwargs: {min_value: {$PARAMETER: "timedelta(days=1"}}
        """, "t.yaml")).hasMessageContaining("t.yaml:4: expect_table_row_count_to_be_between: kwarg 'min_value': "
        + "suite parameter expression 'timedelta(days=1': cannot read");
  }
}
