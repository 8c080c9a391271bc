package io.dataops.quality.expect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.quality.QualityFixture;
import io.dataops.quality.engine.TextOrder;
import io.dataops.quality.suite.SuiteException;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Found by a probe comparing the engine with GX 1.2's source: text ordered by UTF-16 units, a LIKE without
 * PostgreSQL's escape, "" taken as JSON, a tolerance in {@code mostly} and in a multicolumn sum, and
 * {@code ignore_row_if} of a multicolumn sum ignored. Each case gives what GX gives.
 */
class GxEdgeCasesTest extends QualityFixture {
  static final String CONTRACT = """
      primaryKey: [id]
      nullValues: [NULLX]
      columns:
        - {name: id, type: long}
        - {name: t, type: string}
        - {name: a, type: double}
        - {name: b, type: double}
        - {name: m, type: "decimal(10,2)"}
        - {name: n, type: "decimal(10,2)"}
      """;
  // t: text above U+FFFF and a full-width letter; "" and "  " are text here (the null is NULLX).
  static final String CSV = """
      id,t,a,b,m,n
      1,abc,0.1,0.2,0.10,0.20
      2,😀x,1,2,1.00,2.00
      3,𠀀,NULLX,1,NULLX,1.00
      4,ｙ,NULLX,NULLX,NULLX,NULLX
      5,,2,1,2.00,1.00
      6,  ,NULLX,3,NULLX,3.00
      7,a\\bc,2,1,2.00,1.00
      8,100%,2,1,2.00,1.00
      9,1000,2,1,2.00,1.00
      10,NULLX,2,1,2.00,1.00
      """;

  @BeforeEach
  void data() throws Exception {
    land("e", CONTRACT, CSV);
  }

  private JsonNode one(String type, String kwargs) {
    return result("e", type, kwargs);
  }

  @Test
  void textIsOrderedByCodePointsAsPythonOrdersIt() {
    // Python: "a" <= "😀x" and "𠀀" are above "ｚ" (U+FF5A); UTF-16 order put them below it.
    counts(one("expect_column_values_to_be_between", "{column: t, min_value: a, max_value: ｚ}"), false, 1, 6);
    counts(one("expect_column_values_to_be_between", "{column: t, min_value: 'ｙ', max_value: '𠀀'}"), false, 1, 6);
    assertThat(TextOrder.compare("😀", "ｚ")).isPositive();
    assertThat(TextOrder.compare("ｚ", "😀")).isNegative();
    assertThat(TextOrder.compare("\uD7FF", "\uE000")).isNegative();
    assertThat(TextOrder.compare("ab", "abc")).isNegative();
    assertThat(TextOrder.compare("𠀀", "😀")).isPositive(); // U+20000 above U+1F600
  }

  /**
   * A text column's minimum and maximum (GX computes them on every backend; they were refused here): Python's order,
   * and the one row's value shown as reports show text, an ID or mobile in it masked, a personal column's masked whole.
   */
  @Test
  void aTextColumnsMinimumAndMaximumAreOneRowsValueShownMasked() throws Exception {
    JsonNode max = one("expect_column_max_to_be_between", "{column: t, max_value: 'ｚ'}");
    assertThat(max.get("success").asBoolean()).isFalse();
    assertThat(max.at("/result/observed_value").asText()).isEqualTo("𠀀");
    JsonNode min = one("expect_column_min_to_be_between", "{column: t, min_value: ''}");
    assertThat(min.get("success").asBoolean()).isTrue();
    assertThat(min.at("/result/observed_value").asText()).isEqualTo("");

    land("people", """
        primaryKey: [id]
        columns:
          - {name: id, type: long}
          - {name: note, type: string}
          - {name: name, type: string, personal: name}
        """, "id,note,name\n1,call 13800138000,张三\n2,a note,李四\n");
    JsonNode note = result("people", "expect_column_max_to_be_between", "{column: note}");
    assertThat(note.toString()).doesNotContain("13800138000");
    assertThat(note.at("/result/observed_value").asText()).isEqualTo("call ***********");
    JsonNode name = result("people", "expect_column_max_to_be_between", "{column: name}");
    assertThat(name.toString()).doesNotContain("李四").doesNotContain("张三");
  }

  @Test
  void aLikeEscapesWithABackslashAsPostgresqlDoes() {
    counts(one("expect_column_values_to_match_like_pattern", "{column: t, like_pattern: '100\\%'}"), false, 1, 8);
    counts(one("expect_column_values_to_match_like_pattern", "{column: t, like_pattern: 'a\\\\bc'}"), false, 1, 8);
    JsonNode trailing = one("expect_column_values_to_match_like_pattern", "{column: t, like_pattern: 'abc\\'}");
    assertThat(trailing.get("success").asBoolean()).isFalse();
    assertThat(trailing.at("/exception_info/exception_message").asText())
        .contains("LIKE pattern must not end with escape character");
  }

  /**
   * GX compiles a regex only when it validates (pandas' str.contains): a pattern Python refuses fails its own
   * expectation with exception_info while the suite's other expectations are checked. It was refused at load here.
   */
  @Test
  void aPatternPythonRefusesFailsItsRuleOnlyAsGxRaisesWhileValidating() throws Exception {
    String suite = """
        name: s
        expectations:
          - {type: expect_column_values_to_match_regex, kwargs: {column: t, regex: 'a(?i)b'}}
          - {type: expect_column_values_to_match_regex_list, kwargs: {column: t, regex_list: ['x', '\\z']}}
          - {type: expect_column_values_to_not_be_null, kwargs: {column: id}}
        """;
    JsonNode results = json(run("e", suite).validation().results());
    assertThat(results.at("/0/success").asBoolean()).isFalse();
    assertThat(results.at("/0/exception_info/raised_exception").asBoolean()).as(results.toString()).isTrue();
    assertThat(results.at("/0/exception_info/exception_message").asText())
        .contains("global flags not at the start of the expression at position 1");
    assertThat(results.at("/1/exception_info/exception_message").asText()).contains("bad escape \\z at position 0");
    assertThat(results.at("/2/success").asBoolean()).as("the other rules are checked").isTrue();
    assertThat(results.at("/2/exception_info/raised_exception").asBoolean()).isFalse();
  }

  @Test
  void emptyTextIsNotJson() {
    // json.loads("") and json.loads("  ") raise; Jackson read them as no value.
    counts(one("expect_column_values_to_be_json_parseable", "{column: t}"), false, 1, 8);
  }

  @Test
  void mostlyIsComparedExactlyAndIsNeverNull() {
    counts(one("expect_column_values_to_not_be_null", "{column: a, mostly: 0.7}"), true, 0, 3);
    assertThat(one("expect_column_values_to_not_be_null", "{column: a, mostly: 0.7000000000005}").get("success")
        .asBoolean()).isFalse();
    Assertions.assertThatThrownBy(() -> one("expect_column_values_to_not_be_null", "{column: a, mostly: null}"))
        .isInstanceOf(SuiteException.class).hasMessageContaining("mostly must be a number between 0 and 1, not null");
  }

  @Test
  void aMulticolumnSumIsExactAndLeavesOutRowsByIgnoreRowIf() {
    // Doubles: 0.1 + 0.2 is not 0.3 (GX compares with ==). Row 4 (both missing) is left out by default; a missing
    // value counts as 0, as on Spark: row 3 sums to 1.
    counts(one("expect_multicolumn_sum_to_equal", "{column_list: [a, b], sum_total: 0.3}"), false, 1, 9);
    counts(one("expect_multicolumn_sum_to_equal", "{column_list: [a, b], sum_total: 3}"), false, 1, 2);
    counts(one("expect_multicolumn_sum_to_equal",
        "{column_list: [a, b], sum_total: 3, ignore_row_if: any_value_is_missing}"), false, 3, 1);
    counts(one("expect_multicolumn_sum_to_equal", "{column_list: [a, b], sum_total: 3, ignore_row_if: never}"),
        false, 0, 3);
    // Decimals add up exactly, as a SQL engine adds them.
    counts(one("expect_multicolumn_sum_to_equal", "{column_list: [m, n], sum_total: 0.3}"), false, 1, 8);
    assertThat(one("expect_multicolumn_sum_to_equal", "{column_list: [m, n], sum_total: 0.3}")
        .at("/result/partial_unexpected_list").toString()).doesNotContain("0.1");
    Assertions.assertThatThrownBy(() -> one("expect_multicolumn_sum_to_equal",
        "{column_list: [a, b], sum_total: 3, ignore_row_if: bogus}")).isInstanceOf(SuiteException.class)
        .hasMessageContaining("expected all_values_are_missing, any_value_is_missing or never");
  }

  @Test
  void noPartialIndexListWhenThePartialCountIsZero() {
    JsonNode r = one("expect_column_values_to_not_be_null",
        "{column: a, result_format: {result_format: SUMMARY, partial_unexpected_count: 0}}");
    assertThat(r.get("result").has("partial_unexpected_index_list")).as(r.toString()).isFalse();
    assertThat(r.get("result").has("partial_unexpected_counts")).isFalse();
  }
}
