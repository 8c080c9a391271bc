package io.dataops.quality.expect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.quality.QualityFixture;
import io.dataops.quality.suite.SuiteException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code row_condition} in GX's three parsers, evaluated by our engine: the expectation sees only the rows where
 * the condition holds (element_count counts them), whatever analyzer it uses.
 */
class RowConditionTest extends QualityFixture {
  static final String CONTRACT = """
      primaryKey: [id]
      columns:
        - {name: id, type: long}
        - {name: age, type: int}
        - {name: city, type: string}
        - {name: joined, type: date}
        - {name: score, type: double}
      """;
  static final String CSV = """
      id,age,city,joined,score
      1,17,福田,2020-01-01,1.0
      2,30,福田,2021-06-01,
      3,45,罗湖,2022-01-01,3.0
      4,,福田,2023-01-01,4.0
      5,60,福田,2024-01-01,5.0
      6,19,南山,,6.0
      """;

  @BeforeEach
  void data() throws Exception {
    land("t", CONTRACT, CSV);
  }

  private JsonNode one(String type, String kwargs) {
    return json(run("t", "name: s\nexpectations:\n  - type: " + type + "\n    kwargs: " + kwargs + "\n")
        .validation().results().get(0));
  }

  private long elements(String condition, String parser) {
    JsonNode r = one("expect_column_values_to_not_be_null",
        "{column: id, row_condition: '" + condition.replace("'", "''") + "', condition_parser: " + parser + "}");
    return r.at("/result/element_count").asLong();
  }

  @Test
  void greatExpectationsPandasAndSparkFormsSelectTheSameRows() {
    // Adults of 福田: rows 2 and 5 (row 4 has no age: unknown, left out).
    assertThat(elements("col(\"age\") > 18 & col(\"city\") == \"福田\"", "great_expectations")).isEqualTo(2);
    assertThat(elements("age > 18 & city == \"福田\"", "pandas")).isEqualTo(2);
    assertThat(elements("age > 18 and city == '福田'", "pandas")).isEqualTo(2);
    assertThat(elements("age > 18 AND city = '福田'", "spark")).isEqualTo(2);
    assertThat(elements("col(\"joined\") >= date(\"2022-01-01\")", "great_expectations")).isEqualTo(3);
    assertThat(elements("col(\"score\").notnull()", "great_expectations")).isEqualTo(5);
    assertThat(elements("score.isnull() | age < 18", "pandas")).isEqualTo(2);
    assertThat(elements("city IN ('罗湖', '南山') OR age IS NULL", "spark")).isEqualTo(3);
    assertThat(elements("city not in ['福田'] and not (age > 40)", "pandas")).isEqualTo(1);
  }

  @Test
  void nullsAreUnknownExceptUnderPandasInequality() {
    // age != 30: rows 1, 3, 5, 6; pandas also keeps row 4 (NaN != 30 is True).
    assertThat(elements("age != 30", "spark")).isEqualTo(4);
    assertThat(elements("age != 30", "pandas")).isEqualTo(5);
    assertThat(elements("~(age > 40)", "pandas")).as("NaN > 40 is False, negated True").isEqualTo(4);
    assertThat(elements("NOT (age > 40)", "spark")).as("NOT unknown is unknown").isEqualTo(3);
  }

  @Test
  void everyKindOfExpectationSeesTheSelectedRows() {
    JsonNode between = one("expect_column_values_to_be_between",
        "{column: age, min_value: 18, row_condition: 'city == \"福田\"', condition_parser: pandas, result_format: SUMMARY}");
    assertThat(between.at("/result/element_count").asLong()).isEqualTo(4);
    assertThat(between.at("/result/missing_count").asLong()).isEqualTo(1);
    assertThat(between.at("/result/unexpected_count").asLong()).isEqualTo(1);
    assertThat(between.at("/result/partial_unexpected_index_list/0/key").asText()).isEqualTo("id=1");
    assertThat(one("expect_column_mean_to_be_between",
        "{column: score, row_condition: 'col(\"city\") == \"福田\"', condition_parser: great_expectations}")
        .at("/result/observed_value").asDouble()).isEqualTo((1.0 + 4.0 + 5.0) / 3);
    assertThat(one("expect_table_row_count_to_be_between",
        "{min_value: 1, row_condition: 'age >= 45', condition_parser: pandas}").at("/result/observed_value").asLong())
        .isEqualTo(2);
    assertThat(one("expect_column_values_to_be_unique",
        "{column: city, row_condition: 'age < 20', condition_parser: pandas}").get("success").asBoolean())
        .as("17 in 福田 and 19 in 南山 are unique among the young").isTrue();
    assertThat(one("expect_column_median_to_be_between",
        "{column: age, row_condition: 'city == \"福田\"', condition_parser: pandas}").at("/result/observed_value")
        .asDouble()).isEqualTo(30.0);
  }

  @Test
  void aConditionThatCannotBeUsedIsRefusedAtItsLine() {
    assertThatThrownBy(() -> one("expect_column_values_to_not_be_null",
        "{column: id, row_condition: 'col(\"nope\") > 1', condition_parser: great_expectations}"))
        .isInstanceOf(SuiteException.class).hasMessageContaining("suite.yaml:4:")
        .hasMessageContaining("column 'nope' does not exist");
    assertThatThrownBy(() -> one("expect_column_values_to_not_be_null",
        "{column: id, row_condition: 'city > 3', condition_parser: pandas}"))
        .hasMessageContaining("cannot compare with the number 3");
    assertThatThrownBy(() -> one("expect_column_values_to_not_be_null", "{column: id, row_condition: 'age > 3'}"))
        .hasMessageContaining("needs its condition_parser");
  }

  /**
   * A condition nested 20,000 deep overflowed the parser's stack, and one of 50,000 terms would have overflowed the
   * evaluation's (raw StackOverflowErrors, exit 1); both are refused at the suite's line with a short echo. A hundred
   * levels and a thousand comparisons still work.
   */
  @Test
  void aConditionNestedTooDeepOrTooLongIsRefusedWithAShortEcho() {
    String deep = "(".repeat(20_000) + "age > 1" + ")".repeat(20_000);
    assertThatThrownBy(() -> elements(deep, "pandas"))
        .isInstanceOf(SuiteException.class).hasMessageContaining("suite.yaml:4:")
        .hasMessageContaining("... (40007 characters)' (pandas): parentheses and negations nested more than 100 deep "
            + "at column 101")
        .hasMessageNotContaining("(".repeat(201));
    assertThatThrownBy(() -> elements("not ".repeat(5_000) + "age > 1", "spark"))
        .hasMessageContaining("nested more than 100 deep");
    String longest = String.join(" and ", java.util.Collections.nCopies(50_000, "age > 1"));
    assertThatThrownBy(() -> elements(longest, "pandas"))
        .hasMessageContaining("more than 1000 comparisons (at column 12001)")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(600));

    assertThat(elements("(".repeat(100) + "age > 20" + ")".repeat(100), "pandas")).isEqualTo(3);
    assertThat(elements(String.join(" or ", java.util.Collections.nCopies(1_000, "age > 50")), "pandas")).isEqualTo(1);
  }
}
