package io.dataops.quality.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataops.quality.QualityFixture;
import io.dataops.quality.suite.SuiteParser;
import io.dataops.quality.testing.Rows;
import java.util.List;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types.NestedField;
import org.junit.jupiter.api.Test;

/**
 * One scan split between workers gives what one worker gives, to the byte: a table of several feeds (one data file
 * each) with failures in every file, values duplicated across files, nulls, and aggregates whose floating-point
 * merge depends on the order parts are added (sums and moments of doubles, first-seen order of value counts), and
 * quantiles past a sketch level's capacity (each file has 3,000 weights; DataSketches' KLL, used before, compacted
 * with an unseeded random, so even two single-worker runs could differ there).
 */
class ParallelScanTest extends QualityFixture {
  private static final String CONTRACT = """
      primaryKey: [id]
      columns:
        - {name: id, type: long}
        - {name: id_card, type: string, personal: id_card}
        - {name: code, type: string}
        - {name: score, type: double}
        - {name: age, type: int}
        - {name: weight, type: double}
      """;
  private static final String SUITE = """
      name: parallel
      expectations:
        - {type: expect_table_row_count_to_be_between, kwargs: {min_value: 1}}
        - {type: expect_column_values_to_not_be_null, kwargs: {column: code, result_format: COMPLETE}}
        - {type: expect_column_values_to_be_unique, kwargs: {column: id_card, result_format: COMPLETE}}
        - {type: expect_column_values_to_match_regex, kwargs: {column: code, regex: '^C[0-9]+$', result_format: SUMMARY}}
        - {type: expect_column_values_to_be_in_set, kwargs: {column: age, value_set: [20, 30, 40, 50], result_format: COMPLETE}}
        - {type: expect_column_values_to_be_between, kwargs: {column: score, min_value: 0, max_value: 90}}
        - {type: expect_column_mean_to_be_between, kwargs: {column: score, min_value: 0}}
        - {type: expect_column_stdev_to_be_between, kwargs: {column: score, min_value: 0}}
        - {type: expect_column_sum_to_be_between, kwargs: {column: score, min_value: 0}}
        - {type: expect_column_median_to_be_between, kwargs: {column: weight, min_value: 0}}
        - {type: expect_column_quantile_values_to_be_between, kwargs: {column: weight, quantile_ranges: {quantiles: [0.1, 0.5, 0.9], value_ranges: [[0, 100], [0, 100], [0, 100]]}}}
        - {type: expect_column_values_to_be_increasing, kwargs: {column: id}}
        - {type: expect_column_unique_value_count_to_be_between, kwargs: {column: age, min_value: 1}}
        - {type: expect_column_distinct_values_to_be_in_set, kwargs: {column: age, value_set: [20, 30, 40]}}
      """;
  private static final int FEEDS = 4;
  private static final int ROWS = 6000;

  @Test
  void twoWorkersGiveWhatOneGives() throws Exception {
    for (int f = 0; f < FEEDS; f++) {
      land("t", CONTRACT, feed(f));
    }
    try (var files = lakehouse.load(table("t")).newScan().planFiles()) {
      assertThat(files).as("one data file per feed").hasSize(FEEDS);
    }

    QualityReport one = scan(1);
    QualityReport two = scan(2);
    QualityReport again = scan(2);

    JsonNode results = comparable(one);
    assertThat(results.at("/results/2/result/unexpected_count").asLong()).as("duplicates across files").isPositive();
    assertThat(results.at("/results/1/result/unexpected_count").asLong()).as("nulls").isEqualTo(nullCodes());
    assertThat(results.at("/results/3/result/unexpected_count").asLong()).as("a failure in each file").isPositive();
    assertThat(results.at("/results/9/result/details/approximate").asBoolean()).as("the median compacted").isTrue();
    assertThat(firstDifference("", results, comparable(two))).as("1 worker against 2").isNull();
    assertThat(firstDifference("", results, comparable(again))).as("1 worker against 2, again").isNull();
    assertThat(comparable(two).toString()).isEqualTo(results.toString());
    assertThat(two.metrics()).isEqualTo(one.metrics());
    assertThat(two.failingRows()).isEqualTo(one.failingRows()).isPositive();
    assertThat(failures(two.runId())).isEqualTo(failures(one.runId()));
  }

  private QualityReport scan(int workers) {
    return new QualityRunner(lakehouse, dir.resolve("work"), workers, 64L << 20)
        .run(table("t"), null, SuiteParser.parse(SUITE, "suite.yaml"), QualityRunner.Scope.TABLE, false);
  }

  /** Feed f: ids f*ROWS.., an ID number repeated in every file, nulls, bad codes and ages, scores with fractions. */
  private static String feed(int f) {
    StringBuilder csv = new StringBuilder("id,id_card,code,score,age,weight\n");
    for (int i = 0; i < ROWS; i++) {
      long id = (long) f * ROWS + i;
      String card = i % 500 == 7 ? "11010519491231002X" : String.format("%018d", id * 7919 % 1_000_000_007L);
      String code = id % 97 == 3 || i == 11 ? "" : i % 113 == 5 ? "X" + id : "C" + id;
      double score = ((id * 2_654_435_761L) % 100_003) / 1000.0 + 0.1;
      int age = i % 211 == 9 ? 60 : 20 + 10 * (int) (id % 4);
      csv.append(id).append(',').append(card).append(',').append(code).append(',').append(score).append(',')
          .append(age).append(',').append(i % 2 == 1 ? String.valueOf(score * 3) : "").append('\n');
    }
    return csv.toString();
  }

  private static long nullCodes() {
    long n = 0;
    for (int f = 0; f < FEEDS; f++) {
      for (int i = 0; i < ROWS; i++) {
        n += ((long) f * ROWS + i) % 97 == 3 || i == 11 ? 1 : 0;
      }
    }
    return n;
  }

  /** Where two reports first differ (a JSON pointer and both values), or null: a readable failure for long reports. */
  private static String firstDifference(String at, JsonNode a, JsonNode b) {
    if (a.isContainerNode() && b.isContainerNode() && a.getNodeType() == b.getNodeType() && a.size() == b.size()) {
      var names = a.fieldNames();
      for (int i = 0; i < a.size(); i++) {
        String name = a.isArray() ? String.valueOf(i) : names.next();
        String d = firstDifference(at + "/" + name, a.isArray() ? a.get(i) : a.get(name),
            b.isArray() ? b.get(i) : b.path(name));
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    return a.equals(b) ? null : at + ": " + a + " against " + b;
  }

  /** The report without what names the run (its id and time). */
  private static JsonNode comparable(QualityReport report) {
    ObjectNode v = (ObjectNode) json(report.validation());
    ObjectNode meta = (ObjectNode) v.get("meta");
    meta.remove("run_id");
    meta.remove("validation_time");
    return v;
  }

  /** The run's recorded failing rows, every column but the run's id and time, in a canonical order. */
  private List<String> failures(String runId) {
    List<Record> rows = Rows.of(lakehouse.load(QualityRunner.ROW_FAILURES));
    return rows.stream().filter(r -> runId.equals(r.getField("run_id")))
        .map(r -> {
          StringBuilder s = new StringBuilder();
          for (NestedField c : RowFailureWriter.SCHEMA.columns()) {
            if (!c.name().equals("run_id") && !c.name().equals("checked_at")) {
              s.append(r.getField(c.name())).append('|');
            }
          }
          return s.toString();
        })
        .sorted().toList();
  }
}
