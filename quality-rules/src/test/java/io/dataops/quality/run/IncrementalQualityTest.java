package io.dataops.quality.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.lakehouse.landing.LandingResult;
import io.dataops.quality.QualityFixture;
import io.dataops.quality.suite.ExpectationSuite;
import io.dataops.quality.suite.SuiteParser;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A whole-table run after appends adds up the states its feed runs stored, and gives the same answer as reading the
 * whole table again; where that cannot be exact it scans and says why.
 */
class IncrementalQualityTest extends QualityFixture {
  static final String CONTRACT = """
      primaryKey: [id]
      columns:
        - {name: id, type: long}
        - {name: phone, type: string}
        - {name: amount, type: double}
      """;
  static final String SUITE = """
      name: contributions
      expectations:
        - type: expect_table_row_count_to_be_between
          kwargs: {min_value: 1000}
        - type: expect_column_values_to_not_be_null
          kwargs: {column: phone, mostly: 0.9}
        - type: expect_column_values_to_match_regex
          kwargs: {column: phone, regex: '^1[3-9]\\\\d{9}$'}
        - type: expect_column_values_to_be_between
          kwargs: {column: amount, min_value: 0, max_value: 900}
        - type: expect_column_mean_to_be_between
          kwargs: {column: amount, min_value: 100, max_value: 800}
        - type: expect_column_stdev_to_be_between
          kwargs: {column: amount, min_value: 1}
        - type: expect_column_median_to_be_between
          kwargs: {column: amount, min_value: 100, max_value: 800}
      """;
  static final String WITH_UNIQUENESS = SUITE + """
        - type: expect_column_values_to_be_unique
          kwargs: {column: id}
      """;
  long nextId = 1;
  final List<Long> amounts = new ArrayList<>();

  private LandingResult feed(int rows, boolean check) throws Exception {
    StringBuilder csv = new StringBuilder("id,phone,amount\n");
    for (int i = 0; i < rows; i++) {
      long id = nextId++;
      String phone = id % 17 == 0 ? "" : id % 29 == 0 ? "12" + id : "138" + String.format("%08d", id);
      long amount = (id * 37) % 1000;
      amounts.add(amount);
      csv.append(id).append(',').append(phone).append(',').append(amount).append('\n');
    }
    LandingResult landed = land("contributions", CONTRACT, csv.toString());
    if (check) {
      runner().run(table("contributions"), landed.snapshotId(), suite(SUITE), QualityRunner.Scope.FEED);
    }
    return landed;
  }

  private QualityRunner runner() {
    return new QualityRunner(lakehouse, dir.resolve("work"), 2, 64L << 20);
  }

  private static ExpectationSuite suite(String yaml) {
    return SuiteParser.parse(yaml, "suite.yaml");
  }

  private QualityReport tableRun(String yaml, boolean incremental) {
    return runner().run(table("contributions"), null, suite(yaml), QualityRunner.Scope.TABLE, incremental);
  }

  @Test
  void aTableRunAfterCheckedFeedsAddsUpTheirStatesAndAgreesWithAFullScan() throws Exception {
    feed(700, true);
    feed(450, true);
    feed(620, true);

    QualityReport added = tableRun(SUITE, true);
    QualityReport scanned = tableRun(SUITE, false);

    assertThat(added.validation().meta()).containsEntry("incremental", true).containsEntry("rows_scanned", 1770L);
    assertThat((String) added.validation().meta().get("incremental_note"))
        .isEqualTo("added up the stored states of 3 feeds; no data read");
    assertThat(scanned.validation().meta()).containsEntry("incremental", false).containsEntry("rows_scanned", 1770L);
    assertThat(added.validation().success()).isEqualTo(scanned.validation().success()).isFalse();
    for (int i = 0; i < MEDIAN; i++) {
      sameResult(json(added.validation().results().get(i)), json(scanned.validation().results().get(i)),
          "expectation " + i);
    }
    // The median's sketches hold every one of the 1,770 values (exact below 2,048), so adding up the feeds' sketches
    // gives the scan's median, which is GX's: the middle value, or the mean of the two middle values.
    List<Double> sorted = amounts.stream().map(Number::doubleValue).sorted().toList();
    double exact = (sorted.get((sorted.size() - 1) / 2) + sorted.get(sorted.size() / 2)) / 2;
    for (QualityReport r : List.of(added, scanned)) {
      JsonNode median = json(r.validation().results().get(MEDIAN));
      assertThat(median.at("/result/observed_value").asDouble()).as("the median").isEqualTo(exact);
      assertThat(median.at("/result/details/approximate").asBoolean()).isFalse();
    }
    assertThat(json(added.validation().results().get(2)).at("/result/unexpected_count").asLong())
        .as("phones 12<id> for every 29th id, nulls excluded").isPositive();
  }

  static final String DIVERGENCE = """
      name: divergence
      expectations:
        - type: expect_column_kl_divergence_to_be_less_than
          kwargs: {column: amount, partition_object: {bins: [0, 250, 500, 1000], weights: [0.25, 0.25, 0.5]},
                   threshold: 0.1}
        - type: expect_column_values_to_match_json_schema
          kwargs: {column: phone, json_schema: {type: integer, maximum: 13000000000}}
      """;

  @Test
  void divergenceBinsAndSchemaCountsAddUpAcrossFeeds() throws Exception {
    for (int rows : new int[] {500, 300}) {
      LandingResult landed = feed(rows, false);
      runner().run(table("contributions"), landed.snapshotId(), suite(DIVERGENCE), QualityRunner.Scope.FEED);
    }
    QualityReport added = tableRun(DIVERGENCE, true);
    QualityReport scanned = tableRun(DIVERGENCE, false);
    assertThat(added.validation().meta()).containsEntry("incremental", true);
    assertThat(scanned.validation().meta()).containsEntry("incremental", false);
    for (int i = 0; i < 2; i++) {
      sameResult(json(added.validation().results().get(i)), json(scanned.validation().results().get(i)),
          "expectation " + i);
    }
    assertThat(json(added.validation().results().get(0)).at("/result/observed_value").asDouble()).isPositive();
    assertThat(json(added.validation().results().get(1)).at("/result/unexpected_count").asLong()).isPositive();
  }

  static final int SUITE_SIZE = 7;
  static final int MEDIAN = 6;

  @Test
  void uniquenessAFeedWithoutStoredStatesAndARewriteEachMeanAScan() throws Exception {
    feed(500, true);
    feed(500, true);

    QualityReport unique = tableRun(WITH_UNIQUENESS, true);
    assertThat(unique.validation().meta()).containsEntry("incremental", false).containsEntry("rows_scanned", 1000L);
    assertThat((String) unique.validation().meta().get("incremental_note"))
        .startsWith("scanned: ").contains("keeps no state between runs");
    assertThat(unique.validation().results().get(SUITE_SIZE).success()).isTrue();

    feed(300, false);
    QualityReport unchecked = tableRun(SUITE, true);
    assertThat(unchecked.validation().meta()).containsEntry("incremental", false).containsEntry("rows_scanned", 1300L);
    assertThat((String) unchecked.validation().meta().get("incremental_note"))
        .matches("scanned: feed snapshot \\d+ has no stored state for .*");

    lakehouse.load(table("contributions")).newDelete()
        .deleteFromRowFilter(org.apache.iceberg.expressions.Expressions.greaterThan("id", 1000L)).commit(); // the unchecked feed, whole file
    QualityReport afterDelete = tableRun(SUITE, true);
    assertThat((String) afterDelete.validation().meta().get("incremental_note"))
        .matches("scanned: snapshot \\d+ is not a landed feed");
    assertThat(afterDelete.validation().meta()).containsEntry("incremental", false);
  }

  /** Counts equal exactly; floating-point statistics equal up to the order in which partial sums were added. */
  private static void sameResult(JsonNode a, JsonNode b, String what) {
    assertThat(a.get("success")).as(what).isEqualTo(b.get("success"));
    JsonNode ra = a.get("result");
    JsonNode rb = b.get("result");
    for (Iterator<Map.Entry<String, JsonNode>> it = rb.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode va = ra.get(e.getKey());
      assertThat(va).as(what + " " + e.getKey()).isNotNull();
      if (e.getValue().isFloatingPointNumber()) {
        assertThat(va.asDouble()).as(what + " " + e.getKey()).isCloseTo(e.getValue().asDouble(), within(1e-9));
      } else {
        assertThat(va).as(what + " " + e.getKey()).isEqualTo(e.getValue());
      }
    }
  }
}
