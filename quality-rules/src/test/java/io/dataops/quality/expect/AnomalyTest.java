package io.dataops.quality.expect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.lakehouse.landing.LandingResult;
import io.dataops.quality.QualityFixture;
import io.dataops.quality.run.MetricStore;
import io.dataops.quality.run.QualityReport;
import io.dataops.quality.run.QualityRunner;
import io.dataops.quality.suite.SuiteParser;
import io.dataops.quality.testing.Rows;
import java.util.List;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;

/** Anomaly checks over the metric history: nothing fixed fails, yet a shrunken feed or a jump in nulls is caught. */
class AnomalyTest extends QualityFixture {
  static final String CONTRACT = """
      primaryKey: [id]
      columns:
        - {name: id, type: long}
        - {name: phone, type: string}
      """;
  static final String SUITE = """
      name: feeds
      expectations:
        - type: expect_table_row_count_to_be_between
          kwargs: {min_value: 1}
        - type: expect_metric_to_not_be_anomalous
          kwargs: {metric: Size, strategy: relative_rate_of_change, max_rate_decrease: 0.5, max_rate_increase: 2.0}
        - type: expect_metric_to_not_be_anomalous
          kwargs: {metric: Completeness, column: phone, strategy: absolute_change, max_decrease: 0.1}
        - type: expect_metric_to_not_be_anomalous
          kwargs: {metric: Size, strategy: online_normal, lower_deviation_factor: 3, upper_deviation_factor: 3,
                   ignore_start_percentage: 0}
      """;
  long nextId = 1;

  /** A feed of {@code rows} rows, every {@code nullEvery}-th phone missing (0: none). */
  private QualityReport feed(int rows, int nullEvery) throws Exception {
    StringBuilder csv = new StringBuilder("id,phone\n");
    for (int i = 0; i < rows; i++) {
      long id = nextId++;
      csv.append(id).append(',').append(nullEvery > 0 && i % nullEvery == 0 ? "" : "138" + String.format("%08d", id))
          .append('\n');
    }
    LandingResult landed = land("feeds", CONTRACT, csv.toString());
    return new QualityRunner(lakehouse, dir.resolve("work"), 2, 64L << 20).run(table("feeds"), landed.snapshotId(),
        SuiteParser.parse(SUITE, "feeds.yaml"), QualityRunner.Scope.FEED);
  }

  /** Found by a probe: -1, 2.5 and 5 were taken, and two of them ended the run as an internal error. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"history_size: -1", "history_size: 2.5",
      "ignore_start_percentage: 5"})
  void settingsOutsideTheirRangeAreRefusedAtTheirLine(String setting) throws Exception {
    feed(10, 0);
    String suite = "name: s\nexpectations:\n  - type: expect_metric_to_not_be_anomalous\n    kwargs: {metric: Size, "
        + "strategy: online_normal, " + setting + "}\n";
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new QualityRunner(lakehouse, dir.resolve("work"), 2,
        64L << 20).run(table("feeds"), null, SuiteParser.parse(suite, "s.yaml")))
        .isInstanceOf(io.dataops.quality.suite.SuiteException.class).hasMessageStartingWith("s.yaml:")
        .hasMessageContaining(setting.substring(0, setting.indexOf(':')) + " is ");
  }

  private static boolean ok(QualityReport r, int expectation) {
    return r.validation().results().get(expectation).success();
  }

  @Test
  void aShrunkenFeedAndAJumpInNullsAreAnomaliesWhileNoFixedRuleFails() throws Exception {
    QualityReport first = feed(1000, 0);
    assertThat(first.validation().success()).as("no history yet: nothing to compare with").isTrue();
    JsonNode firstSize = json(first.validation().results().get(1));
    assertThat(firstSize.at("/result/details/note").asText()).isEqualTo("no earlier run to compare with");
    for (int size : new int[] {1010, 990, 1005}) {
      assertThat(feed(size, 0).validation().success()).isTrue();
    }

    QualityReport shrunk = feed(300, 0);
    assertThat(ok(shrunk, 0)).as("the fixed rule still passes").isTrue();
    assertThat(ok(shrunk, 1)).as("300 / 1005 < 0.5: relative change anomaly").isFalse();
    JsonNode d = json(shrunk.validation().results().get(1)).at("/result/details");
    assertThat(d.get("previous_value").asDouble()).isEqualTo(1005.0);
    assertThat(d.get("rate_of_change").asDouble()).isCloseTo(300 / 1005.0, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(ok(shrunk, 3)).as("far outside mean ± 3 sd of 1000, 1010, 990, 1005").isFalse();
    assertThat(shrunk.validation().success()).isFalse();

    QualityReport back = feed(1000, 0);
    assertThat(ok(back, 1)).as("1000 / 300 > 2.0 is also a change the department should hear about").isFalse();
    QualityReport steady = feed(1000, 4);
    assertThat(ok(steady, 1)).isTrue();
    assertThat(ok(steady, 2)).as("a quarter of the phones missing: completeness fell by 0.25").isFalse();
    assertThat(json(steady.validation().results().get(2)).at("/result/observed_value").asDouble()).isEqualTo(0.75);

    // The history: one Size per feed run, kept apart from whole-table runs.
    List<Record> sizes = Rows.of(lakehouse.load(MetricStore.METRICS)).stream()
        .filter(r -> r.getField("name").equals("Size")).toList();
    assertThat(sizes).hasSize(7).allSatisfy(r -> {
      assertThat(r.getField("scope")).isEqualTo("feed");
      assertThat(r.getField("feed_id")).isNotNull();
    });
    QualityReport whole = new QualityRunner(lakehouse, dir.resolve("work"), 2, 64L << 20).run(table("feeds"), null,
        SuiteParser.parse(SUITE, "feeds.yaml"));
    assertThat(ok(whole, 1)).as("the first whole-table run has no whole-table history").isTrue();
    assertThat(whole.metrics()).extracting(Metrics.Metric::name).contains("Size", "Completeness");
  }
}
