package io.dataops.quality.expect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.quality.QualityFixture;
import io.dataops.quality.suite.SuiteException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cases where Great Expectations (1.x, pandas backend unless said) answers differently from a naive reading, each
 * worked out from GX's expectation classes and metrics: typed observed values, vacuous bounds, the median of an even
 * count, and the errors GX raises while validating (reported in {@code exception_info}).
 */
class GxSemanticsTest extends QualityFixture {
  static final String CONTRACT = """
      primaryKey: [id]
      columns:
        - {name: id, type: long}
        - {name: n, type: long}
        - {name: x, type: double}
        - {name: s, type: string}
        - {name: flag, type: boolean}
        - {name: w, type: long}
        - {name: v, type: long}
      """;
  // n: 1..4 (median 2.5); s: text; flag: true,false,false,true; (w, v): (1,1) twice, one null in rows 3 and 4.
  static final String CSV = """
      id,n,x,s,flag,w,v
      1,1,1.5,apple,true,1,1
      2,2,2.5,pear,false,1,1
      3,3,2.5,fig,false,,2
      4,4,,fig,true,,2
      """;

  @BeforeEach
  void data() throws Exception {
    land("t", CONTRACT, CSV);
  }

  private JsonNode one(String type, String kwargs) {
    return result("t", type, kwargs);
  }

  private static void raised(JsonNode r, String message) {
    assertThat(r.get("success").asBoolean()).as(r.toString()).isFalse();
    assertThat(r.at("/exception_info/raised_exception").asBoolean()).as(r.toString()).isTrue();
    assertThat(r.at("/exception_info/exception_message").asText()).contains(message);
  }

  @Test
  void distinctValuesOfANumericColumnAreNumbersAndANullSetIsVacuous() {
    JsonNode r = one("expect_column_distinct_values_to_be_in_set", "{column: n, value_set: [1, 2, 3, 4.0]}");
    assertThat(r.get("success").asBoolean()).isTrue();
    assertThat(r.at("/result/observed_value").toString()).isEqualTo("[1,2,3,4]");
    assertThat(r.at("/result/details/value_counts/0").toString()).isEqualTo("{\"value\":1,\"count\":1}");
    JsonNode vacuous = one("expect_column_distinct_values_to_be_in_set", "{column: s, value_set: null}");
    assertThat(vacuous.get("success").asBoolean()).isTrue();
    assertThat(vacuous.at("/result/observed_value").toString()).isEqualTo("[\"apple\",\"fig\",\"pear\"]");
    assertThat(vacuous.at("/result/details/value_counts/1/count").asLong()).isEqualTo(2);
    assertThat(one("expect_column_distinct_values_to_equal_set", "{column: x, value_set: [1.5, 2.5]}")
        .at("/result/observed_value").toString()).isEqualTo("[1.5,2.5]");
    raised(one("expect_column_distinct_values_to_contain_set", "{column: n, value_set: null}"), "not iterable");
  }

  @Test
  void theMedianOfAnEvenCountAveragesTheMiddleValues() {
    JsonNode r = one("expect_column_median_to_be_between", "{column: n, min_value: 2.5, max_value: 2.5}");
    assertThat(r.at("/result/observed_value").asDouble()).isEqualTo(2.5);
    assertThat(r.get("success").asBoolean()).isTrue();
    assertThat(one("expect_column_median_to_be_between", "{column: x, min_value: 2.5, max_value: 2.5}")
        .at("/result/observed_value").asDouble()).as("odd count, nulls left out").isEqualTo(2.5);
  }

  @Test
  void typeErrorsAreReportedAsGxRaisesThem() {
    raised(one("expect_column_values_to_be_between", "{column: s, min_value: 1, max_value: 10}"),
        "must either be None or of the same type");
    assertThat(one("expect_column_values_to_be_between", "{column: s, min_value: b, max_value: g}")
        .at("/result/unexpected_count").asLong()).as("text against text compares as Python does").isEqualTo(2);
    raised(one("expect_column_values_to_be_between", "{column: n, min_value: 3, max_value: 1}"),
        "min_value cannot be greater than max_value");
    raised(one("expect_table_row_count_to_be_between", "{min_value: 3, max_value: 1}"),
        "min_value cannot be greater than max_value");
    raised(one("expect_table_column_count_to_be_between", "{min_value: 3, max_value: 1}"),
        "min_value cannot be greater than max_value");
    raised(one("expect_column_values_to_match_strftime_format", "{column: n, strftime_format: '%Y'}"),
        "must be of type string");
    // catch_exceptions: false turns the same error into a refused suite, at the argument's line.
    assertThatThrownBy(() -> run("t", """
        name: s
        expectations:
          - type: expect_column_values_to_be_between
            kwargs:
              column: s
              min_value: 1
              catch_exceptions: false
        """)).isInstanceOf(SuiteException.class).hasMessageContaining("suite.yaml:6:")
        .hasMessageContaining("same type");
    assertThatThrownBy(() -> run("t", """
        name: s
        expectations:
          - type: expect_column_quantile_values_to_be_between
            kwargs:
              column: n
              quantile_ranges: {quantiles: [0.5], value_ranges: [[3, 1]]}
        """)).isInstanceOf(SuiteException.class).hasMessageContaining("suite.yaml:6:")
        .hasMessageContaining("ordered pairs");
    // Found by a probe: a flag given as text was taken (and read as true).
    assertThatThrownBy(() -> run("t", """
        name: s
        expectations:
          - type: expect_column_values_to_not_be_null
            kwargs:
              column: s
              catch_exceptions: "yes"
        """)).isInstanceOf(SuiteException.class).hasMessageContaining("suite.yaml:6:")
        .hasMessageContaining("catch_exceptions is true or false, not the text \"yes\"");
  }

  @Test
  void missingBoundsAreVacuouslyTrue() {
    for (String type : new String[] {"expect_column_mean_to_be_between", "expect_column_median_to_be_between",
        "expect_column_stdev_to_be_between", "expect_column_proportion_of_unique_values_to_be_between",
        "expect_column_unique_value_count_to_be_between", "expect_column_min_to_be_between",
        "expect_column_sum_to_be_between"}) {
      JsonNode r = one(type, "{column: n, min_value: null, max_value: null}");
      assertThat(r.get("success").asBoolean()).as(type + " " + r).isTrue();
      assertThat(r.at("/result/observed_value").isNull()).isFalse();
    }
    assertThat(one("expect_table_row_count_to_be_between", "{}").at("/result/observed_value").asLong()).isEqualTo(4);
    assertThat(one("expect_table_column_count_to_be_between", "{}").get("success").asBoolean()).isTrue();
  }

  @Test
  void booleansAreNumbersForTheMean() {
    JsonNode r = one("expect_column_mean_to_be_between", "{column: flag, min_value: 0.5, max_value: 0.5}");
    assertThat(r.at("/result/observed_value").asDouble()).isEqualTo(0.5);
    assertThat(r.get("success").asBoolean()).isTrue();
  }

  @Test
  void compoundUniquenessIgnoresRowsAsAsked() {
    // (w, v): (1,1), (1,1), (null,2), (null,2).
    JsonNode all = one("expect_compound_columns_to_be_unique", "{column_list: [w, v]}");
    assertThat(all.at("/result/unexpected_count").asLong()).as("(null,2) twice counts by default").isEqualTo(4);
    JsonNode any = one("expect_compound_columns_to_be_unique", "{column_list: [w, v], ignore_row_if: any_value_is_missing}");
    assertThat(any.at("/result/unexpected_count").asLong()).isEqualTo(2);
    assertThat(any.at("/result/missing_count").asLong()).isEqualTo(2);
    assertThat(one("expect_compound_columns_to_be_unique", "{column_list: [w], ignore_row_if: never}")
        .at("/result/unexpected_count").asLong()).as("nulls group too").isEqualTo(4);
  }

  @Test
  void nullColumnListsAnswerAsGxDoes() {
    JsonNode exact = one("expect_table_columns_to_match_set", "{column_set: null, exact_match: true}");
    assertThat(exact.get("success").asBoolean()).isFalse();
    assertThat(exact.at("/result/details/mismatched/unexpected")).hasSize(7);
    assertThat(one("expect_table_columns_to_match_set", "{column_set: null, exact_match: false}")
        .get("success").asBoolean()).isTrue();
    JsonNode misnamed = one("expect_table_columns_to_match_set",
        "{column_set: [id, n, x, s, flag, w, vv], exact_match: false}");
    assertThat(misnamed.get("success").asBoolean()).as("a missing column fails even without exact_match").isFalse();
    assertThat(misnamed.at("/result/details/mismatched").toString())
        .isEqualTo("{\"unexpected\":[\"v\"],\"missing\":[\"vv\"]}");
    JsonNode ordered = one("expect_table_columns_to_match_ordered_list", "{column_list: null}");
    assertThat(ordered.get("success").asBoolean()).isTrue();
    assertThat(ordered.at("/result/observed_value")).hasSize(7);
    assertThat(one("expect_table_columns_to_match_ordered_list", "{column_list: [id, x]}")
        .at("/result/details/mismatched/0/Found").asText()).isEqualTo("n");
  }
}
