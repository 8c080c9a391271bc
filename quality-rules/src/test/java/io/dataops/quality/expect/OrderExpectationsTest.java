package io.dataops.quality.expect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.quality.QualityFixture;
import org.junit.jupiter.api.Test;

/**
 * Increasing and decreasing values in row order (feeds as landed, then row numbers): each non-null value against
 * the previous non-null one, as GX's pandas diff does; checked across the files threads read and across feeds.
 */
class OrderExpectationsTest extends QualityFixture {
  static final String CONTRACT = """
      columns:
        - {name: n, type: long}
        - {name: d, type: date}
      """;

  private JsonNode one(String type, String kwargs) {
    return json(run("t", "name: s\nexpectations:\n  - type: " + type + "\n    kwargs: " + kwargs + "\n", 2, 64L << 20)
        .validation().results().get(0));
  }

  @Test
  void comparesEachValueWithThePreviousNonNullOne() throws Exception {
    // n: 1, 2, 2, null, 5, 4, 6; d: increasing dates except the last.
    land("t", CONTRACT, """
        n,d
        1,2024-01-01
        2,2024-01-02
        2,2024-01-02
        ,2024-01-05
        5,2024-01-06
        4,2024-01-07
        6,2024-01-03
        """);
    JsonNode inc = one("expect_column_values_to_be_increasing", "{column: n}");
    assertThat(inc.at("/result/unexpected_count").asLong()).as("4 after 5").isEqualTo(1);
    assertThat(inc.at("/result/missing_count").asLong()).isEqualTo(1);
    assertThat(inc.at("/result/partial_unexpected_list").toString()).isEqualTo("[4]");
    assertThat(one("expect_column_values_to_be_increasing", "{column: n, strictly: true}")
        .at("/result/unexpected_count").asLong()).as("2 after 2 too").isEqualTo(2);
    assertThat(one("expect_column_values_to_be_increasing", "{column: n, mostly: 0.8}").get("success").asBoolean())
        .as("5 of 6 in order").isTrue();
    assertThat(one("expect_column_values_to_be_decreasing", "{column: n}").at("/result/unexpected_count").asLong())
        .as("2, 5 and 6 rise").isEqualTo(3);
    JsonNode dates = one("expect_column_values_to_be_increasing", "{column: d}");
    assertThat(dates.at("/result/unexpected_count").asLong()).isEqualTo(1);
    assertThat(dates.at("/result/partial_unexpected_list/0").asText()).isEqualTo("2024-01-03");
  }

  @Test
  void orderHoldsAcrossFeedsAndFiles() throws Exception {
    StringBuilder first = new StringBuilder("n,d\n");
    for (int i = 1; i <= 30_000; i++) {
      first.append(i).append(",2024-01-01\n");
    }
    land("t", CONTRACT, first.toString());
    // The second feed starts below where the first ended: its first row breaks the order, the rest do not. Both
    // feeds land within a second, so their ids do not sort by time: the table's history orders them.
    StringBuilder second = new StringBuilder("n,d\n");
    for (int i = 1; i <= 30_000; i++) {
      second.append(29_000 + i).append(",2024-01-02\n");
    }
    land("t", CONTRACT, second.toString());
    JsonNode inc = one("expect_column_values_to_be_increasing", "{column: n, result_format: SUMMARY}");
    assertThat(inc.at("/result/element_count").asLong()).isEqualTo(60_000);
    assertThat(inc.at("/result/unexpected_count").asLong()).isEqualTo(1);
    assertThat(inc.at("/result/partial_unexpected_list").toString()).isEqualTo("[29001]");
    assertThat(inc.at("/result/partial_unexpected_index_list/0/row_number").asLong()).isEqualTo(1);
  }
}
