package io.dataops.quality.expect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.quality.QualityFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Z-scores as GX computes them, (x - mean) / sample standard deviation, judged in a second scan once the mean and
 * deviation are known. x = 1..10: mean 5.5, deviation sqrt(82.5 / 9) = 3.0277, so 1 and 10 have |z| = 1.486 and
 * 2 and 9 have |z| = 1.156.
 */
class ZScoresTest extends QualityFixture {
  static final String CONTRACT = """
      primaryKey: [id]
      columns:
        - {name: id, type: long}
        - {name: x, type: double}
        - {name: same, type: long}
        - {name: s, type: string}
      """;

  @BeforeEach
  void data() throws Exception {
    StringBuilder csv = new StringBuilder("id,x,same,s\n");
    for (int i = 1; i <= 10; i++) {
      csv.append(i).append(',').append(i).append(",7,").append(i % 2 == 0 ? "even" : "odd").append('\n');
    }
    csv.append("11,,7,odd\n");
    land("t", CONTRACT, csv.toString());
  }

  private JsonNode one(String kwargs) {
    return json(run("t", "name: s\nexpectations:\n  - type: expect_column_value_z_scores_to_be_less_than\n    kwargs: "
        + kwargs + "\n").validation().results().get(0));
  }

  @Test
  void doubleAndSingleSided() {
    JsonNode both = one("{column: x, threshold: 1.4, double_sided: true, result_format: SUMMARY}");
    assertThat(both.get("success").asBoolean()).isFalse();
    assertThat(both.at("/result/unexpected_count").asLong()).isEqualTo(2);
    assertThat(both.at("/result/missing_count").asLong()).isEqualTo(1);
    assertThat(both.at("/result/partial_unexpected_list").toString()).as("a double column's values are floats, as in GX")
        .isEqualTo("[1.0,10.0]");
    assertThat(both.at("/result/partial_unexpected_index_list/1/key").asText()).isEqualTo("id=10");
    assertThat(one("{column: x, threshold: 1.4, double_sided: false}").at("/result/unexpected_count").asLong())
        .isEqualTo(1);
    assertThat(one("{column: x, threshold: 1.5, double_sided: true}").get("success").asBoolean()).isTrue();
    assertThat(one("{column: x, threshold: 1.2, double_sided: true, mostly: 0.6}").get("success").asBoolean())
        .as("1, 2, 9, 10 fail: 6 of 10 pass").isTrue();
  }

  @Test
  void aConstantColumnHasNoZScores() {
    assertThat(one("{column: same, threshold: 3, double_sided: true}").at("/result/unexpected_count").asLong())
        .as("0 / 0 is NaN, below no threshold").isEqualTo(11);
  }

  @Test
  void withARowConditionBothScansSeeTheSelectedRows() {
    // Odd x: 1, 3, 5, 7, 9: mean 5, deviation sqrt(40 / 4) = 3.162; |z| of 1 and 9 is 1.265.
    JsonNode odd = one("{column: x, threshold: 1.2, double_sided: true, row_condition: 's == \"odd\"', "
        + "condition_parser: pandas}");
    assertThat(odd.at("/result/element_count").asLong()).isEqualTo(6);
    assertThat(odd.at("/result/unexpected_count").asLong()).isEqualTo(2);
  }

  @Test
  void textAndMissingArgumentsAreRefusedOrRaised() {
    JsonNode text = one("{column: s, threshold: 1, double_sided: true}");
    assertThat(text.at("/exception_info/exception_message").asText()).contains("non-numerical column");
    assertThatThrownBy(() -> one("{column: x, threshold: 1}")).hasMessageContaining("'double_sided' is required");
  }
}
