package io.dataops.quality.expect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.quality.QualityFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The GX core expectations added for issue 14, each on hand-worked rows (nulls, lists, match_on, ties). */
class CoreExpectationsTest extends QualityFixture {
  static final String CONTRACT = """
      primaryKey: [id]
      columns:
        - {name: id, type: long}
        - {name: code, type: string}
        - {name: doc, type: string}
        - {name: a, type: long}
        - {name: b, type: long}
        - {name: c, type: long}
        - {name: city, type: string}
        - {name: score, type: double}
      """;
  // code: 'AB-1', 'AB-22', 'ab-3', 'XY_9', null; doc: JSON or not; (a, b, c) for pairs and records.
  static final String CSV = """
      id,code,doc,a,b,c,city,score
      1,AB-1,"{""k"": 1}",1,2,3,福田,1.5
      2,AB-22,"[1",1,1,1,福田,2.5
      3,ab-3,\"\"\"text\"\"\",2,,2,罗湖,
      4,XY_9,NaN,,,,罗湖,4.0
      5,,{oops},3,1,4,南山,5.0
      """;

  @BeforeEach
  void data() throws Exception {
    land("t", CONTRACT, CSV);
  }

  private JsonNode one(String type, String kwargs) {
    return one("t", type, kwargs);
  }

  private JsonNode one(String dataset, String type, String kwargs) {
    return result(dataset, type, kwargs);
  }

  @Test
  void likePatternsMatchWholeValuesCaseSensitively() {
    counts(one("expect_column_values_to_match_like_pattern", "{column: code, like_pattern: 'AB-%'}"), false, 1, 2);
    counts(one("expect_column_values_to_match_like_pattern", "{column: code, like_pattern: '__-_'}"), false, 1, 2);
    counts(one("expect_column_values_to_not_match_like_pattern", "{column: code, like_pattern: '%9'}"), false, 1, 1);
    counts(one("expect_column_values_to_match_like_pattern_list",
        "{column: code, like_pattern_list: ['AB%', '%_9']}"), false, 1, 1);
    counts(one("expect_column_values_to_match_like_pattern_list",
        "{column: code, like_pattern_list: ['AB%', '%2%'], match_on: all}"), false, 1, 3);
    counts(one("expect_column_values_to_not_match_like_pattern_list",
        "{column: code, like_pattern_list: ['ab%', 'XY%']}"), false, 1, 2);
  }

  /** Text compared by its UTF-8 bytes (Chinese, case, a prefix is no match), numbers as GX compares them (4 == 4.0). */
  @Test
  void valueSetsOfTextAndNumbers() {
    counts(one("expect_column_values_to_be_in_set", "{column: city, value_set: [福田, 罗湖]}"), false, 0, 1);
    counts(one("expect_column_values_to_be_in_set", "{column: city, value_set: [福, 罗湖湖, 南山]}"), false, 0, 4);
    counts(one("expect_column_values_to_be_in_set", "{column: code, value_set: [AB-1, ab-22, XY_9, '']}"), false, 1,
        2);
    counts(one("expect_column_values_to_not_be_in_set", "{column: city, value_set: [南山, 深圳]}"), false, 0, 1);
    counts(one("expect_column_values_to_be_in_set", "{column: score, value_set: [1.5, 2.5, 4, 5]}"), true, 1, 0);
    counts(one("expect_column_values_to_be_in_set", "{column: a, value_set: [1, 3.0]}"), false, 1, 1);
    counts(one("expect_column_values_to_not_be_in_set", "{column: score, value_set: [4.0]}"), false, 1, 1);
  }

  @Test
  void utf8SetFindsExactlyItsStrings() {
    java.util.List<String> values = java.util.List.of("福田", "罗湖", "", "a", "ab", "AB-22", "x".repeat(300));
    RowChecks.Utf8Set set = new RowChecks.Utf8Set(values);
    for (String v : values) {
      byte[] b = (v + "trailing").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      assertThat(set.contains(b, b.length - "trailing".length())).as(v).isTrue();
    }
    for (String v : java.util.List.of("福", "罗湖 ", "A", "b", "ab-22", "x".repeat(299))) {
      byte[] b = v.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      assertThat(set.contains(b, b.length)).as(v).isFalse();
    }
  }

  @Test
  void regexListsSearchAnyOrAll() {
    counts(one("expect_column_values_to_match_regex_list", "{column: code, regex_list: ['^AB', '9$']}"), false, 1, 1);
    counts(one("expect_column_values_to_match_regex_list",
        "{column: code, regex_list: ['^AB', '\\d\\d'], match_on: all}"), false, 1, 3);
    counts(one("expect_column_values_to_not_match_regex_list", "{column: code, regex_list: ['-', '_']}"), false, 1, 4);
    counts(one("expect_column_values_to_not_match_regex_list", "{column: a, regex_list: ['3']}"), false, 1, 1);
  }

  /**
   * A suite's regular expression that backtracks without end on one value (java.util.regex took 3.5 s on these 32
   * characters, and seconds more with every one added) ends within its step budget, and ends only its expectation: GX's
   * exception_info, naming the expectation and the row, not the value (it stopped the whole run as bad input before);
   * a pattern that does not backtrack so reads every row.
   */
  @Test
  void aPatternThatBacktracksWithoutEndRaisesItsExpectationNamingTheExpectationAndRow() throws Exception {
    land("bomb", "primaryKey: [id]\ncolumns:\n  - {name: id, type: long}\n  - {name: code, type: string}\n",
        "id,code\n1,ok\n2," + "a".repeat(31) + "b\n3," + "a".repeat(300) + "\n4,ok\n");
    record Case(String type, String kwargs, String pattern, String where) {}
    for (Case c : java.util.List.of(
        new Case("expect_column_values_to_match_regex", "{column: code, regex: '^(.*a){12}$'}", "^(.*a){12}$",
            "row 2"),
        new Case("expect_column_values_to_not_match_regex_list", "{column: code, regex_list: ['x', '^(.*a){12}$']}",
            "^(.*a){12}$", "row 2"),
        new Case("expect_column_values_to_not_match_regex", "{column: code, regex: '(.*a){12}$'}", "(.*a){12}$",
            "row 2"))) {
      raised(one("bomb", c.type(), c.kwargs()), "the pattern '" + c.pattern() + "' of expectation 1 (" + c.type()
          + ") on " + c.where() + " of feed ");
    }
    counts(one("bomb", "expect_column_values_to_match_regex", "{column: code, regex: '^(ok|a+b?)$'}"), true, 0, 0);
    // A LIKE is matched without backtracking (LikePattern): five % on the 300 characters are answered, not refused.
    counts(one("bomb", "expect_column_values_to_match_like_pattern", "{column: code, like_pattern: '%a%a%a%a%b'}"),
        false, 0, 3);
  }

  /** The expectation raised on a pattern's overrun: exception_info with the message, no counts, not the value. */
  private static void raised(JsonNode r, String start) {
    assertThat(r.get("success").asBoolean()).as(r.toString()).isFalse();
    assertThat(r.at("/exception_info/raised_exception").asBoolean()).as(r.toString()).isTrue();
    String message = r.at("/exception_info/exception_message").asText();
    assertThat(message).startsWith(start)
        .contains(" needed more than ", "rewrite it so that each character can be matched one way only");
    // the values are runs of 'a'; the feed's id is random hex, which holds "aaa" once in about 700 feeds
    assertThat(message.replaceAll("feed \\S+", "feed")).doesNotContain("aaa");
    assertThat(r.get("result").size()).as(r.toString()).isZero();
  }

  /**
   * A JSON schema's own pattern goes through the same budget (unbounded it took 27 s on one 31-character string), and
   * a schema whose $ref refers to itself, which overflowed the stack (exit 1), raises RecursionError as Python's
   * jsonschema does: GX's exception_info, the run goes on.
   */
  @Test
  void aJsonSchemasPatternHasTheBudgetAndASelfReferenceRaisesRecursionError() throws Exception {
    land("docs", "primaryKey: [id]\ncolumns:\n  - {name: id, type: long}\n  - {name: doc, type: string}\n",
        "id,doc\n1,\"{\"\"k\"\": 1}\"\n2,\"\"\"" + "a".repeat(31) + "b\"\"\"\n3,\"[1, 2]\"\n");
    raised(one("docs", "expect_column_values_to_match_json_schema",
        "{column: doc, json_schema: {type: string, pattern: '^(.*.){25}x$'}}"), "the pattern '^(.*.){25}x$' of "
        + "expectation 1 (expect_column_values_to_match_json_schema) on row 2 of feed ");
    counts(one("docs", "expect_column_values_to_match_json_schema",
        "{column: doc, json_schema: {type: string, pattern: '^a+b$'}}"), false, 0, 2);
    for (String schema : java.util.List.of("{$ref: '#'}",
        "{$defs: {a: {$ref: '#/$defs/b'}, b: {$ref: '#/$defs/a'}}, $ref: '#/$defs/a'}")) {
      JsonNode r = one("docs", "expect_column_values_to_match_json_schema", "{column: doc, json_schema: " + schema + "}");
      assertThat(r.get("success").asBoolean()).as(r.toString()).isFalse();
      assertThat(r.at("/exception_info/raised_exception").asBoolean()).as(r.toString()).isTrue();
      assertThat(r.at("/exception_info/exception_message").asText())
          .isEqualTo("RecursionError: the schema refers to itself ($ref) without end");
    }
  }

  /** YAML's .nan and .inf in a suite: internal errors (NumberFormatException) before, now answered or refused. */
  @Test
  void nanAndInfinityInASuiteAreAnsweredOrRefused() {
    assertThatThrownBy(() -> one("expect_column_values_to_be_between", "{column: score, min_value: 0, mostly: .nan}"))
        .isInstanceOf(io.dataops.quality.suite.SuiteException.class)
        .hasMessageEndingWith("argument 'mostly' must be a finite number, not NaN");
    JsonNode inSet = one("expect_column_distinct_values_to_be_in_set",
        "{column: score, value_set: [.nan, 1.5, 2.5, 4.0, 5.0]}");
    assertThat(inSet.get("success").asBoolean()).as(inSet.toString()).isTrue();
    JsonNode mostCommon = one("expect_column_most_common_value_to_be_in_set", "{column: a, value_set: [.inf, -.inf]}");
    assertThat(mostCommon.get("success").asBoolean()).as(mostCommon.toString()).isFalse();
    JsonNode contains = one("expect_column_distinct_values_to_contain_set", "{column: a, value_set: [1, .nan]}");
    assertThat(contains.get("success").asBoolean()).as(contains.toString()).isFalse();
  }

  /** A NaN bound compares false with everything: min_value .nan passed every row, max_value .nan failed every row. */
  @Test
  void aNanBoundIsRefusedAtItsLine() {
    for (String[] c : new String[][] {{"expect_column_values_to_be_between", "{column: score, min_value: .nan}", "min_value"},
        {"expect_column_values_to_be_between", "{column: score, max_value: .NaN}", "max_value"},
        {"expect_table_row_count_to_be_between", "{min_value: 1, max_value: .nan}", "max_value"},
        {"expect_column_max_to_be_between", "{column: score, min_value: .nan}", "min_value"}}) {
      assertThatThrownBy(() -> one(c[0], c[1])).as(c[1]).isInstanceOf(io.dataops.quality.suite.SuiteException.class)
          .hasMessage("suite.yaml:4: " + c[0] + ": argument '" + c[2] + "' must be a number, not NaN");
    }
    // An infinite bound is no bound on that side (GX compares with float('inf') too).
    assertThat(one("expect_column_values_to_be_between", "{column: score, max_value: .inf}").get("success")
        .asBoolean()).isTrue();
  }

  @Test
  void jsonIsWhatPythonsJsonLoadsAccepts() {
    // {"k": 1}, [1 (unclosed), "text", NaN (Python accepts it), {oops}.
    counts(one("expect_column_values_to_be_json_parseable", "{column: doc}"), false, 0, 2);
  }

  @Test
  void pairsAndRecords() {
    // (a, b): (1,2), (1,1), (2,null), (null,null) left out, (3,1).
    counts(one("expect_column_pair_values_to_be_in_set",
        "{column_A: a, column_B: b, value_pairs_set: [[1, 2], [1, 1], [2, null]]}"), false, 1, 1);
    counts(one("expect_column_pair_values_to_be_in_set",
        "{column_A: a, column_B: b, value_pairs_set: [[1, 2], [1, 1], [3, 1.0]], ignore_row_if: either_value_is_missing}"),
        true, 2, 0);
    // (a, b, c): 1,2,3 ok; 1,1,1 repeats; 2,null,2 repeats; all null left out; 3,1,4 ok.
    counts(one("expect_select_column_values_to_be_unique_within_record", "{column_list: [a, b, c]}"), false, 1, 2);
    counts(one("expect_select_column_values_to_be_unique_within_record",
        "{column_list: [a, b, c], ignore_row_if: any_value_is_missing}"), false, 2, 1);
  }

  @Test
  void typesByGxNames() {
    assertThat(one("expect_column_values_to_be_of_type", "{column: a, type_: int64}").get("success").asBoolean()).isTrue();
    assertThat(one("expect_column_values_to_be_of_type", "{column: a, type_: BIGINT}").get("success").asBoolean()).isTrue();
    assertThat(one("expect_column_values_to_be_of_type", "{column: code, type_: StringType}").get("success").asBoolean())
        .isTrue();
    JsonNode wrong = one("expect_column_values_to_be_of_type", "{column: score, type_: int}");
    assertThat(wrong.get("success").asBoolean()).isFalse();
    assertThat(wrong.at("/result/observed_value").asText()).isEqualTo("double");
    assertThat(one("expect_column_values_to_be_in_type_list", "{column: score, type_list: [int, float]}")
        .get("success").asBoolean()).isTrue();
    assertThat(one("expect_column_values_to_be_in_type_list", "{column: score, type_list: null}")
        .get("success").asBoolean()).as("vacuous").isTrue();
  }

  @Test
  void mostCommonValueWithTies() {
    JsonNode r = one("expect_column_most_common_value_to_be_in_set", "{column: city, value_set: [福田]}");
    assertThat(r.get("success").asBoolean()).as("福田 and 罗湖 tie at 2").isFalse();
    assertThat(r.at("/result/observed_value").toString()).isEqualTo("[\"福田\",\"罗湖\"]");
    assertThat(one("expect_column_most_common_value_to_be_in_set", "{column: city, value_set: [福田], ties_okay: true}")
        .get("success").asBoolean()).isTrue();
    assertThat(one("expect_column_most_common_value_to_be_in_set", "{column: a, value_set: [1]}")
        .at("/result/observed_value").toString()).isEqualTo("[1]");
  }

  @Test
  void rowCountOfAnotherTable() throws Exception {
    land("other", CONTRACT, CSV.lines().limit(4).reduce("", (x, y) -> x + y + "\n"));
    JsonNode r = one("expect_table_row_count_to_equal_other_table", "{other_table_name: ods.dept__other}");
    assertThat(r.get("success").asBoolean()).isFalse();
    assertThat(r.at("/result/observed_value").toString()).isEqualTo("{\"self\":5,\"other\":3}");
    assertThat(one("expect_table_row_count_to_equal_other_table", "{other_table_name: ods.dept__t}")
        .get("success").asBoolean()).isTrue();
  }
}
