package io.dataops.quality.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.quality.QualityFixture;
import io.dataops.quality.suite.SuiteParser;
import io.dataops.quality.testing.Rows;
import java.util.List;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;

/**
 * A rule whose pattern backtracks past its budget on one value ends only itself, as a Great Expectations expectation
 * that raised: {@code success: false} with {@code exception_info}, no counts and no failing rows of its own, while
 * every other rule is evaluated and recorded as if it were not in the suite; and the same whatever the number of
 * workers (the overrun is in two of four feeds, one data file each, so workers meet it in either order).
 */
class CostlyPatternTest extends QualityFixture {
  private static final String CONTRACT = """
      primaryKey: [id]
      columns:
        - {name: id, type: long}
        - {name: code, type: string}
        - {name: score, type: double}
      """;
  private static final String NORMAL = """
        - {id: rows, type: expect_table_row_count_to_be_between, kwargs: {min_value: 1}}
        - {id: present, type: expect_column_values_to_not_be_null, kwargs: {column: code}}
        - {id: shaped, type: expect_column_values_to_match_regex, kwargs: {column: code, regex: '^C[0-9]+$', result_format: COMPLETE}}
        - {id: scored, type: expect_column_values_to_be_between, kwargs: {column: score, min_value: 0, max_value: 90}}
      """;
  /** java.util.regex took 3.5 s on it (^(a+)+$, the textbook case, it answers in 555 steps: it memoizes that loop). */
  private static final String BOMB = "a".repeat(31) + "b";
  private static final int FEEDS = 4;
  private static final int ROWS = 3000;

  @Test
  void aCostlyPatternRaisesItsOwnExpectationOnlyAndTheRestIsAsWithoutIt() throws Exception {
    for (int f = 0; f < FEEDS; f++) {
      land("t", CONTRACT, feed(f));
    }
    String withBomb = "name: s\nexpectations:\n"
        + "  - {id: bomb, type: expect_column_values_to_match_regex, kwargs: {column: code, regex: '^(.*a){12}$'}}\n"
        + NORMAL;
    QualityReport without = scan("name: s\nexpectations:\n" + NORMAL, 2);
    QualityReport one = scan(withBomb, 1);
    QualityReport two = scan(withBomb, 2);
    QualityReport three = scan(withBomb, 3);

    JsonNode raised = json(one.validation()).at("/results/0");
    assertThat(raised.get("success").asBoolean()).isFalse();
    assertThat(raised.at("/exception_info/raised_exception").asBoolean()).as(raised.toString()).isTrue();
    String message = raised.at("/exception_info/exception_message").asText();
    assertThat(message)
        .matches("the pattern '\\^\\(\\.\\*a\\)\\{12\\}\\$' of expectation 1 \\(expect_column_values_to_match_regex\\) on row "
            + "\\d+ of feed \\S+ needed more than [\\d,]+ steps on one value of 32 characters: it backtracks .*");
    // not the value (a run of 'a'); the feed's id is random hex, which holds "aaa" once in about 700 feeds
    assertThat(message.replaceAll("feed \\S+", "feed")).doesNotContain("aaa");
    assertThat(raised.get("result").size()).as("no partial counts or rows: " + raised).isZero();

    JsonNode others = json(without.validation()).get("results");
    JsonNode rest = json(one.validation()).get("results");
    for (int i = 0; i < others.size(); i++) {
      assertThat(rest.get(i + 1)).as("rule " + others.get(i).at("/expectation_config/id")).isEqualTo(others.get(i));
    }
    assertThat(rest.at("/3/result/unexpected_count").asLong()).as("the bombs fail the normal pattern").isEqualTo(2);
    assertThat(one.validation().success()).isFalse();
    assertThat(json(one.validation()).get("statistics").toString())
        .isEqualTo("{\"evaluated_expectations\":5,\"successful_expectations\":2,\"unsuccessful_expectations\":3,"
            + "\"success_percent\":40.0}");

    assertThat(failures(one.runId())).as("the bomb rule's rows found before the overrun are not recorded")
        .isEqualTo(failures(without.runId())).isNotEmpty();
    assertThat(one.failingRows()).isEqualTo(without.failingRows());

    for (QualityReport other : List.of(two, three)) {
      assertThat(json(other.validation()).get("results")).isEqualTo(json(one.validation()).get("results"));
      assertThat(failures(other.runId())).isEqualTo(failures(one.runId()));
    }
  }

  private QualityReport scan(String suite, int workers) {
    return new QualityRunner(lakehouse, dir.resolve("work"), workers, 64L << 20)
        .run(table("t"), null, SuiteParser.parse(suite, "suite.yaml"), QualityRunner.Scope.TABLE, false);
  }

  /** Feed f: codes C<id>, a bomb late in feed 1 and early in feed 3, some scores out of range. */
  private static String feed(int f) {
    StringBuilder csv = new StringBuilder("id,code,score\n");
    for (int i = 0; i < ROWS; i++) {
      long id = (long) f * ROWS + i;
      String code = (f == 1 && i == 2500) || (f == 3 && i == 40) ? BOMB : "C" + id;
      csv.append(id).append(',').append(code).append(',').append(i % 101 == 7 ? 95.5 : i % 90).append('\n');
    }
    return csv.toString();
  }

  /** The run's recorded failing rows, without the run's id and time, in a canonical order. */
  private List<String> failures(String runId) {
    return Rows.of(lakehouse.load(QualityRunner.ROW_FAILURES)).stream()
        .filter(r -> runId.equals(r.getField("run_id")))
        .map(CostlyPatternTest::withoutRun).sorted().toList();
  }

  private static String withoutRun(Record r) {
    StringBuilder s = new StringBuilder();
    for (var c : RowFailureWriter.SCHEMA.columns()) {
      if (!c.name().equals("run_id") && !c.name().equals("checked_at")) {
        s.append(r.getField(c.name())).append('|');
      }
    }
    return s.toString();
  }
}
