package io.dataops.quality.expect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.quality.QualityFixture;
import io.dataops.quality.suite.SuiteException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code result_format} as GX's {@code _format_map_output} shapes it, on ten rows of x = 1..10 where three values
 * are null: which fields each level has, the percents over all and over non-missing rows, typed values, counts.
 */
class ResultFormatTest extends QualityFixture {
  static final String CONTRACT = """
      primaryKey: [id]
      columns:
        - {name: id, type: long}
        - {name: x, type: long}
        - {name: name, type: string, personal: name}
      """;

  @BeforeEach
  void data() throws Exception {
    StringBuilder csv = new StringBuilder("id,x,name\n");
    // x: 1, 2, null, 4, 5, null, 7, 8, null, 10 (id = row number); names repeat 张三/李四.
    for (int i = 1; i <= 10; i++) {
      csv.append(i).append(',').append(i % 3 == 0 ? "" : String.valueOf(i)).append(',')
          .append(i % 2 == 0 ? "张三" : "李四").append('\n');
    }
    land("t", CONTRACT, csv.toString());
  }

  private JsonNode one(String kwargs) {
    return json(run("t", "name: s\nexpectations:\n  - type: expect_column_values_to_be_between\n    kwargs: " + kwargs
        + "\n").validation().results().get(0));
  }

  private static List<String> fields(JsonNode result) {
    List<String> names = new ArrayList<>();
    result.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void eachLevelHasGxsFields() {
    // 5, 7, 8 and 10 lie outside [1, 4]: 4 unexpected of 7 non-missing, 10 rows.
    JsonNode basic = one("{column: x, min_value: 1, max_value: 4}").get("result");
    assertThat(fields(basic)).containsExactly("element_count", "unexpected_count", "unexpected_percent",
        "partial_unexpected_list", "missing_count", "missing_percent", "unexpected_percent_total",
        "unexpected_percent_nonmissing");
    assertThat(basic.get("unexpected_percent").asDouble()).isCloseTo(400.0 / 7, within(1e-12));
    assertThat(basic.get("unexpected_percent_total").asDouble()).isEqualTo(40.0);
    assertThat(basic.get("missing_percent").asDouble()).isEqualTo(30.0);
    assertThat(basic.get("partial_unexpected_list").toString()).as("numbers, in row order").isEqualTo("[5,7,8,10]");

    JsonNode summary = one("{column: x, min_value: 1, max_value: 4, result_format: {result_format: SUMMARY, "
        + "partial_unexpected_count: 2}}").get("result");
    assertThat(summary.get("partial_unexpected_list").toString()).isEqualTo("[5,7]");
    assertThat(summary.get("partial_unexpected_counts").toString())
        .isEqualTo("[{\"value\":5,\"count\":1},{\"value\":7,\"count\":1}]");
    assertThat(summary.at("/partial_unexpected_index_list/1/row_number").asLong()).isEqualTo(7);
    assertThat(summary.at("/partial_unexpected_index_list/1/key").asText()).isEqualTo("id=7");
    assertThat(summary.has("unexpected_list")).isFalse();

    JsonNode complete = one("{column: x, min_value: 1, max_value: 4, result_format: COMPLETE}").get("result");
    assertThat(complete.get("unexpected_list").toString()).isEqualTo("[5,7,8,10]");
    assertThat(complete.get("unexpected_index_list").findValuesAsText("key")).containsExactly("id=5", "id=7", "id=8",
        "id=10");

    JsonNode only = one("{column: x, min_value: 1, max_value: 4, result_format: BOOLEAN_ONLY}");
    assertThat(only.get("success").asBoolean()).isFalse();
    assertThat(only.get("result").size()).isZero();
  }

  @Test
  void countsAreMostCommonFirstAndPersonalValuesStayMasked() {
    JsonNode r = json(run("t", """
        name: s
        expectations:
          - type: expect_column_values_to_be_in_set
            kwargs: {column: name, value_set: [王五], result_format: SUMMARY}
        """).validation().results().get(0)).get("result");
    assertThat(r.get("partial_unexpected_counts").toString())
        .isEqualTo("[{\"value\":\"张*\",\"count\":5},{\"value\":\"李*\",\"count\":5}]");
    assertThat(r.toString()).doesNotContain("张三", "李四");
  }

  @Test
  void aBadResultFormatIsRefusedAtItsLine() {
    assertThatThrownBy(() -> one("{column: x, min_value: 1, result_format: EVERYTHING}"))
        .isInstanceOf(SuiteException.class).hasMessageContaining("unknown result_format 'EVERYTHING'");
    assertThatThrownBy(() -> one("{column: x, min_value: 1, result_format: {partial_unexpected_count: 3}}"))
        .hasMessageContaining("the key 'result_format' must be present");
    // Cut to an int, 4294967306 was taken as 10 and 2.5 as 2; GX's list slice takes only an int.
    for (String count : List.of("4294967306", "2.5", "-1")) {
      assertThatThrownBy(() -> one("{column: x, min_value: 1, result_format: {result_format: BASIC, "
          + "partial_unexpected_count: " + count + "}}")).isInstanceOf(SuiteException.class)
          .hasMessageContaining("partial_unexpected_count must be a whole number from 0 to 100000");
    }
    assertThat(one("{column: x, max_value: 4, result_format: {result_format: BASIC, partial_unexpected_count: 2}}")
        .at("/result/partial_unexpected_list").toString()).isEqualTo("[5,7]");
  }
}
