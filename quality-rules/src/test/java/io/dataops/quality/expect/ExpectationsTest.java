package io.dataops.quality.expect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.quality.QualityFixture;
import io.dataops.quality.run.QualityReport;
import io.dataops.quality.run.QualityRunner;
import io.dataops.quality.testing.Rows;
import java.util.List;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every supported expectation on a six-row table whose outcomes are worked out by hand, with nulls and
 * {@code mostly} edge cases. Great Expectations' semantics: map expectations ignore nulls (they are
 * "missing") except not_be_null / be_null; unexpected_percent is over the non-missing rows.
 */
class ExpectationsTest extends QualityFixture {
  static final String CONTRACT = """
      primaryKey: [id]
      columns:
        - {name: id, type: long}
        - {name: name, type: string, personal: name}
        - {name: id_card, type: string, personal: id_card}
        - {name: phone, type: string, personal: mobile}
        - {name: gender, type: string}
        - {name: age, type: int}
        - {name: income, type: "decimal(10,2)"}
        - {name: joined, type: date}
        - {name: updated, type: timestamp}
        - {name: credit, type: string}
        - {name: month, type: string}
        - {name: a, type: long}
        - {name: b, type: long}
      """;
  static final String CSV = """
      id,name,id_card,phone,gender,age,income,joined,updated,credit,month,a,b
      1,张三,11010519491231002X,13800138000,M,30,5000.00,2020-01-01,2024-01-01 08:00:00,91350100M000100Y43,2024-01,5,3
      2,李四,110105194912310021,13800138001,F,40,6000.50,2020-02-01,2024-01-02 08:00:00,91350100M000100Y44,2024-13,4,4
      3,王五,,1380013800,M,,7000.00,2020-03-01,2024-01-03 08:00:00,,2024-02,3,1
      4,赵六,440524188001010014,,X,25,,2021-01-01,2024-01-04 08:00:00,91350100M000100Y43,,,2
      5,,990105194912310021,19912345678,F,35,-10.00,2021-02-01,2024-01-05 08:00:00,12345,2024-03,1,1
      6,孙七,11010519491231002X,13912345678,M,50,8000.00,,2024-01-06 08:00:00,91350100M000100Y43,2024-04,2,0
      """;

  @BeforeEach
  void people() throws Exception {
    land("people", CONTRACT, CSV);
  }

  private JsonNode one(String type, String kwargs) {
    return result("people", type, kwargs);
  }

  private static void mapCounts(JsonNode r, boolean success, long missing, long unexpected) {
    String what = r.get("expectation_config").toString();
    assertThat(r.get("success").asBoolean()).as(what + " -> " + r).isEqualTo(success);
    JsonNode res = r.get("result");
    assertThat(res.get("element_count").asLong()).isEqualTo(6);
    assertThat(res.path("missing_count").asLong(0)).as("missing of " + what).isEqualTo(missing);
    assertThat(res.get("unexpected_count").asLong()).as("unexpected of " + what + " -> " + res).isEqualTo(unexpected);
    if (6 - missing > 0) {
      assertThat(res.get("unexpected_percent").asDouble()).isCloseTo(100.0 * unexpected / (6 - missing), within(1e-9));
    }
    assertThat(res.get("partial_unexpected_list")).hasSize((int) unexpected);
  }

  @Test
  void notNullAndMostly() {
    mapCounts(one("expect_column_values_to_not_be_null", "{column: name}"), false, 0, 1);
    mapCounts(one("expect_column_values_to_not_be_null", "{column: name, mostly: 0.8}"), true, 0, 1);  // 5/6 >= 0.8
    mapCounts(one("expect_column_values_to_not_be_null", "{column: name, mostly: 0.84}"), false, 0, 1); // 0.833 < 0.84
    mapCounts(one("expect_column_values_to_not_be_null", "{column: id}"), true, 0, 0);
    mapCounts(one("expect_column_values_to_be_null", "{column: phone}"), false, 0, 5);
    mapCounts(one("expect_column_values_to_be_null", "{column: phone, mostly: 0.1}"), true, 0, 5);
  }

  /**
   * Decimals of precision up to 18 are stored as Parquet INT64; all-distinct values defeat the dictionary, so the
   * pages are plain and reach the engine as a vector of unscaled longs: ranges and sums read from them as from a
   * BigDecimal.
   */
  @Test
  void decimalRangesAndSumsOnPlainPages() throws Exception {
    StringBuilder csv = new StringBuilder("id,income\n");
    long cents = 0;
    for (int i = 0; i < 30_000; i++) {
      long c = i - 100; // -1.00 .. 298.99, each once
      cents += c;
      csv.append(i).append(',').append(java.math.BigDecimal.valueOf(c, 2).toPlainString()).append('\n');
    }
    land("incomes", "primaryKey: [id]\ncolumns:\n  - {name: id, type: long}\n  - {name: income, type: \"decimal(10,2)\"}\n",
        csv.toString());
    String suite = """
        name: s
        expectations:
          - {type: expect_column_values_to_be_between, kwargs: {column: income, min_value: 0}}
          - {type: expect_column_values_to_be_between, kwargs: {column: income, min_value: -0.5, max_value: 250.00}}
          - {type: expect_column_sum_to_be_between, kwargs: {column: income, min_value: 0}}
        """;
    QualityReport r = run("incomes", suite);
    assertThat(json(r.validation().results().get(0)).at("/result/unexpected_count").asLong()).isEqualTo(100);
    // below -0.50: -1.00 .. -0.51 (50 values); above 250.00: 250.01 .. 298.99 (4,899 values)
    assertThat(json(r.validation().results().get(1)).at("/result/unexpected_count").asLong()).isEqualTo(50 + 4_899);
    assertThat(json(r.validation().results().get(2)).at("/result/observed_value").asDouble())
        .isCloseTo(cents / 100.0, within(1e-6));
  }

  @Test
  void setsRangesAndPatterns() {
    mapCounts(one("expect_column_values_to_be_in_set", "{column: gender, value_set: [M, F]}"), false, 0, 1);
    mapCounts(one("expect_column_values_to_not_be_in_set", "{column: gender, value_set: [X]}"), false, 0, 1);
    mapCounts(one("expect_column_values_to_be_in_set", "{column: age, value_set: [25, 30, 35, 40, 50]}"), true, 1, 0);
    mapCounts(one("expect_column_values_to_be_between", "{column: age, min_value: 18, max_value: 45}"), false, 1, 1);
    mapCounts(one("expect_column_values_to_be_between", "{column: age, min_value: 25, max_value: 50, strict_min: true}"),
        false, 1, 1);
    mapCounts(one("expect_column_values_to_be_between", "{column: income, min_value: 0}"), false, 1, 1);
    mapCounts(one("expect_column_values_to_be_between", "{column: joined, min_value: '2020-02-01', max_value: '2021-01-31'}"),
        false, 1, 2); // 2020-01-01 and 2021-02-01 fall outside
    mapCounts(one("expect_column_values_to_match_regex", "{column: phone, regex: '^1[3-9]\\d{9}$'}"), false, 1, 1);
    mapCounts(one("expect_column_values_to_match_regex", "{column: credit, regex: 'Y4'}"), false, 1, 1); // search, not full match
    mapCounts(one("expect_column_values_to_not_match_regex", "{column: name, regex: '\\d'}"), true, 1, 0);
    mapCounts(one("expect_column_value_lengths_to_be_between", "{column: name, min_value: 2, max_value: 2}"), true, 1, 0);
    mapCounts(one("expect_column_value_lengths_to_equal", "{column: credit, value: 18}"), false, 1, 1);
    mapCounts(one("expect_column_values_to_match_strftime_format", "{column: month, strftime_format: '%Y-%m'}"), false, 1, 1);
  }

  /**
   * Found by a tester: length bounds past 2^31 were cut to an int (max_value 2147483648 became a negative maximum,
   * value 4294967298 an equality with 2) and fractional ones to their whole part (min_value 1.5 let one character
   * pass). GX's pandas compares the length with the number as given.
   */
  @Test
  void lengthBoundsAreComparedAsGiven() {
    for (String max : List.of("2147483648", "9223372036854775807", "18446744073709551617", "1.0e+300")) {
      mapCounts(one("expect_column_value_lengths_to_be_between", "{column: name, min_value: 0, max_value: " + max
          + "}"), true, 1, 0);
    }
    mapCounts(one("expect_column_value_lengths_to_be_between", "{column: name, min_value: 2147483648}"), false, 1, 5);
    mapCounts(one("expect_column_value_lengths_to_be_between",
        "{column: name, min_value: -9223372036854775809, max_value: 2}"), true, 1, 0);
    mapCounts(one("expect_column_value_lengths_to_equal", "{column: name, value: 4294967298}"), false, 1, 5);
    mapCounts(one("expect_column_value_lengths_to_equal", "{column: name, value: 2.0}"), true, 1, 0);
    mapCounts(one("expect_column_value_lengths_to_equal", "{column: name, value: 2.5}"), false, 1, 5);
    mapCounts(one("expect_column_value_lengths_to_be_between", "{column: gender, min_value: 1.5, max_value: 2}"),
        false, 0, 6);
    mapCounts(one("expect_column_value_lengths_to_be_between", "{column: gender, min_value: 0.5, max_value: 1.5}"),
        true, 0, 0);
    // Through a double this bound is 1.0, and every one-character value would pass.
    mapCounts(one("expect_column_value_lengths_to_be_between", "{column: gender, max_value: 0.99999999999999999999}"),
        false, 0, 6);
    mapCounts(one("expect_column_value_lengths_to_be_between", "{column: gender, max_value: 1.0e-999999999}"),
        false, 0, 6);
  }

  /** column_index is GX's int: compared whole (4294967297 was cut to 1, name's position), a float is refused. */
  @Test
  void columnIndexIsAWholePosition() {
    assertThat(one("expect_column_to_exist", "{column: name, column_index: 4294967297}").get("success").asBoolean())
        .isFalse();
    assertThat(one("expect_column_to_exist", "{column: name, column_index: 18446744073709551617}").get("success")
        .asBoolean()).isFalse();
    for (String index : List.of("1.5", "1.0")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> one("expect_column_to_exist",
          "{column: name, column_index: " + index + "}")).isInstanceOf(io.dataops.quality.suite.SuiteException.class)
          .hasMessageStartingWith("suite.yaml:4:")
          .hasMessageContaining("argument 'column_index' must be a whole number, not " + index);
    }
  }

  @Test
  void anInstantIsShownInUtcAndItsBoundsMayNameAnOffset() {
    // _landed_at is an instant (timestamp with zone); updated is local civil time, as the department sent it.
    JsonNode max = one("expect_column_max_to_be_between", "{column: _landed_at, min_value: '2000-01-01T08:00:00+08:00'}");
    assertThat(max.get("success").asBoolean()).isTrue();
    String observed = max.at("/result/observed_value").asText();
    assertThat(observed).as("an instant names its zone").endsWith("Z");
    java.time.Instant landed = java.time.Instant.parse(observed);
    java.time.ZoneOffset beijing = java.time.ZoneOffset.ofHours(8);
    String before = landed.minusSeconds(1).atOffset(beijing).toString();
    String after = landed.plusSeconds(1).atOffset(beijing).toString();
    assertThat(one("expect_column_max_to_be_between", "{column: _landed_at, max_value: '" + before + "'}")
        .get("success").asBoolean()).as("a second before, in +08:00: the offset counts").isFalse();
    assertThat(one("expect_column_max_to_be_between", "{column: _landed_at, max_value: '" + after + "'}")
        .get("success").asBoolean()).isTrue();
    JsonNode rows = one("expect_column_values_to_be_between", "{column: _landed_at, max_value: '2000-01-01T00:00:00Z'}");
    mapCounts(rows, false, 0, 6);
    assertThat(rows.at("/result/partial_unexpected_list/0").asText()).isEqualTo(observed);
    JsonNode twins = one("expect_column_values_to_be_unique", "{column: _landed_at}"); // one landing, one instant
    mapCounts(twins, false, 0, 6);
    assertThat(twins.at("/result/partial_unexpected_list/0").asText()).as("a duplicate shown").isEqualTo(observed);

    assertThat(one("expect_column_max_to_be_between", "{column: updated, max_value: '2030-01-01'}")
        .at("/result/observed_value").asText()).as("local time stays without a zone").isEqualTo("2024-01-06T08:00");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> one("expect_column_max_to_be_between",
        "{column: updated, max_value: '2030-01-01T00:00:00+08:00'}")).as("local time has no offset to give")
        .hasMessageContaining("max_value must be an ISO date (2024-01-31) or timestamp (2024-01-31T08:00:00)");
  }

  @Test
  void prcIdentifiers() {
    // Row 2: wrong check character; row 4: born 1880 (not plausible); row 5: province 99. Row 3: missing.
    JsonNode ids = one("expect_column_values_to_be_valid_prc_id_card", "{column: id_card}");
    mapCounts(ids, false, 1, 3);
    assertThat(ids.get("result").get("partial_unexpected_list").toString())
        .as("masked: never a raw ID number in a report")
        .doesNotContain("110105194912310021").contains("110105********0021");
    mapCounts(one("expect_column_values_to_be_valid_unified_social_credit_code", "{column: credit}"), false, 1, 2);
    mapCounts(one("expect_column_values_to_be_valid_prc_mobile", "{column: phone}"), false, 1, 1);
  }

  @Test
  void uniquenessIsExactAndReportsEveryDuplicatedRow() {
    JsonNode r = one("expect_column_values_to_be_unique", "{column: id_card, result_format: SUMMARY}");
    mapCounts(r, false, 1, 2);
    assertThat(r.get("result").get("partial_unexpected_index_list").findValuesAsText("key"))
        .containsExactlyInAnyOrder("id=1", "id=6");
    mapCounts(one("expect_compound_columns_to_be_unique", "{column_list: [id_card, gender]}"), false, 0, 2);
    mapCounts(one("expect_compound_columns_to_be_unique", "{column_list: [gender, age]}"), true, 0, 0);
    mapCounts(one("expect_column_values_to_be_unique", "{column: id}"), true, 0, 0);
  }

  @Test
  void columnPairsAndSums() {
    // a > b: (5,3) ok, (4,4) no, (3,1) ok, (null,2) no, (1,1) no, (2,0) ok.
    mapCounts(one("expect_column_pair_values_a_to_be_greater_than_b", "{column_A: a, column_B: b}"), false, 0, 3);
    mapCounts(one("expect_column_pair_values_a_to_be_greater_than_b", "{column_A: a, column_B: b, or_equal: true}"),
        false, 0, 1);
    mapCounts(one("expect_column_pair_values_a_to_be_greater_than_b",
        "{column_A: a, column_B: b, or_equal: true, ignore_row_if: either_value_is_missing}"), true, 1, 0);
    mapCounts(one("expect_column_pair_values_to_be_equal", "{column_A: a, column_B: b}"), false, 0, 4);
    // a + b: 8, 8, 4, 2 (null counts as 0), 2, 2.
    mapCounts(one("expect_multicolumn_sum_to_equal", "{column_list: [a, b], sum_total: 8}"), false, 0, 4);
  }

  @Test
  void aggregates() {
    assertThat(one("expect_column_min_to_be_between", "{column: age, min_value: 25, max_value: 25}")
        .at("/result/observed_value").asLong()).isEqualTo(25);
    assertThat(one("expect_column_max_to_be_between", "{column: age, max_value: 49}").get("success").asBoolean()).isFalse();
    assertThat(one("expect_column_mean_to_be_between", "{column: age, min_value: 36, max_value: 36}")
        .get("success").asBoolean()).isTrue();
    assertThat(one("expect_column_sum_to_be_between", "{column: income, min_value: 25990.5, max_value: 25990.5}")
        .get("success").asBoolean()).isTrue();
    assertThat(one("expect_column_stdev_to_be_between", "{column: age, min_value: 9}").at("/result/observed_value")
        .asDouble()).isCloseTo(Math.sqrt(92.5), within(1e-9)); // sample standard deviation
    assertThat(one("expect_column_median_to_be_between", "{column: age, min_value: 35, max_value: 35}")
        .get("success").asBoolean()).isTrue();
    assertThat(one("expect_column_min_to_be_between", "{column: joined, min_value: '2020-01-01'}")
        .at("/result/observed_value").asText()).isEqualTo("2020-01-01");
    JsonNode q = one("expect_column_quantile_values_to_be_between",
        "{column: age, quantile_ranges: {quantiles: [0.0, 1.0], value_ranges: [[25, 25], [50, 50]]}}");
    assertThat(q.get("success").asBoolean()).as(q.toString()).isTrue();
    assertThat(one("expect_column_unique_value_count_to_be_between", "{column: gender, min_value: 3, max_value: 3}")
        .get("success").asBoolean()).isTrue();
    assertThat(one("expect_column_proportion_of_unique_values_to_be_between", "{column: gender, min_value: 0.5}")
        .at("/result/observed_value").asDouble()).isEqualTo(0.5);
    JsonNode inSet = one("expect_column_distinct_values_to_be_in_set", "{column: gender, value_set: [M, F]}");
    assertThat(inSet.get("success").asBoolean()).isFalse();
    assertThat(inSet.at("/result/observed_value").toString()).isEqualTo("[\"F\",\"M\",\"X\"]");
    assertThat(one("expect_column_distinct_values_to_contain_set", "{column: gender, value_set: [M]}")
        .get("success").asBoolean()).isTrue();
    assertThat(one("expect_column_distinct_values_to_equal_set", "{column: gender, value_set: [F, M, X]}")
        .get("success").asBoolean()).isTrue();
    assertThat(one("expect_column_distinct_values_to_be_in_set", "{column: age, value_set: [25, 30.0, 35, 40, 50]}")
        .get("success").asBoolean()).as("numbers compare as numbers").isTrue();
  }

  @Test
  void tableLevelAndTimeliness() {
    assertThat(one("expect_table_row_count_to_be_between", "{min_value: 1, max_value: 10}").at("/result/observed_value")
        .asLong()).isEqualTo(6);
    assertThat(one("expect_table_row_count_to_equal", "{value: 7}").get("success").asBoolean()).isFalse();
    JsonNode set = one("expect_table_columns_to_match_set", "{column_set: [id, name, extra]}");
    assertThat(set.get("success").asBoolean()).isFalse();
    assertThat(set.at("/result/details/mismatched/missing").toString()).isEqualTo("[\"extra\"]");
    assertThat(one("expect_table_columns_to_match_set", "{column_set: [id, name], exact_match: false}")
        .get("success").asBoolean()).isTrue();
    assertThat(one("expect_table_column_count_to_equal", "{value: 13}").get("success").asBoolean()).isTrue();
    assertThat(one("expect_column_to_exist", "{column: nope}").get("success").asBoolean()).isFalse();
    assertThat(one("expect_column_to_exist", "{column: name, column_index: 1}").get("success").asBoolean()).isTrue();
    assertThat(one("expect_table_data_to_be_fresh", "{max_age_hours: 1}").get("success").asBoolean())
        .as("just landed").isTrue();
    assertThat(one("expect_table_data_to_be_fresh", "{max_age_hours: 24, column: updated}").get("success").asBoolean())
        .as("newest value is from January 2024").isFalse();
    for (String age : java.util.List.of("-1", "0")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> one("expect_table_data_to_be_fresh",
          "{max_age_hours: " + age + "}")).as("a rule no feed passes").hasMessageContaining(
              "max_age_hours must be a positive number of hours, not " + age);
    }
  }

  @Test
  void aSuiteFailsOnErrorsNotOnWarningsAndRecordsFailingRows() {
    QualityReport r = run("people", """
        name: people.basic
        expectations:
          - type: expect_column_values_to_be_in_set
            kwargs: {column: gender, value_set: [M, F]}
            severity: warning
          - type: expect_column_values_to_be_unique
            kwargs: {column: id_card}
          - type: expect_table_row_count_to_be_between
            kwargs: {min_value: 1}
        """);
    JsonNode v = json(r.validation());
    assertThat(v.get("success").asBoolean()).isFalse();
    assertThat(v.at("/statistics/evaluated_expectations").asInt()).isEqualTo(3);
    assertThat(v.at("/statistics/unsuccessful_expectations").asInt()).isEqualTo(2);
    assertThat(v.at("/results/0/expectation_config/severity").asText()).isEqualTo("warning");
    assertThat(v.get("suite_name").asText()).isEqualTo("people.basic");
    assertThat(v.at("/meta/rows_scanned").asLong()).isEqualTo(6);
    assertThat(r.failingRows()).isEqualTo(3);
    List<Record> failures = Rows.of(lakehouse.load(QualityRunner.ROW_FAILURES));
    assertThat(failures).hasSize(3).allSatisfy(f -> {
      assertThat(f.getField("run_id")).isEqualTo(r.runId());
      assertThat((Long) f.getField("row_number")).isBetween(1L, 6L);
      assertThat(f.getField("feed_id")).isNotNull();
    });
    assertThat(failures).extracting(f -> f.getField("row_key")).containsExactlyInAnyOrder("id=4", "id=1", "id=6");
    assertThat(failures).extracting(f -> f.getField("reason")).contains("is not one of the 2 allowed values",
        "the value occurs more than once in id_card");
    assertThat(failures.toString()).doesNotContain("11010519491231002X");

    QualityReport passing = run("people", """
        name: ok
        expectations:
          - type: expect_column_values_to_be_in_set
            kwargs: {column: gender, value_set: [M, F]}
            severity: warning
        """);
    assertThat(passing.validation().success()).as("a failing warning does not fail the suite").isTrue();
  }
}
