package io.dataops.quality.expect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.quality.QualityFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Chi-square goodness of fit and Cramér's phi on counts worked out by hand: 100 rows of grade A (54), B (32), C (14);
 * x and y independent by construction; z equal to x.
 */
class DistributionExpectationsTest extends QualityFixture {
  static final String CONTRACT = """
      columns:
        - {name: grade, type: string}
        - {name: x, type: long}
        - {name: y, type: long}
        - {name: z, type: long}
      """;

  @BeforeEach
  void data() throws Exception {
    StringBuilder csv = new StringBuilder("grade,x,y,z\n");
    for (int i = 0; i < 100; i++) {
      String grade = i < 54 ? "A" : i < 86 ? "B" : "C";
      // x cycles 1..4, y steps 1..4 every 25 rows: each (x, y) pair occurs equally often (but rows 96-99 repeat).
      long x = i % 4 + 1;
      long y = i / 25 + 1;
      csv.append(grade).append(',').append(x).append(',').append(y).append(',').append(x).append('\n');
    }
    land("t", CONTRACT, csv.toString());
  }

  private JsonNode one(String type, String kwargs) {
    return result("t", type, kwargs);
  }

  @Test
  void chiSquareAgainstAPartition() {
    JsonNode exact = one("expect_column_chisquare_test_p_value_to_be_greater_than",
        "{column: grade, partition_object: {values: [A, B, C], weights: [0.54, 0.32, 0.14]}}");
    assertThat(exact.at("/result/observed_value").asDouble()).isCloseTo(1.0, within(1e-12));
    assertThat(exact.get("success").asBoolean()).isTrue();
    // Uniform thirds: chi2 = ((54-33.3)^2 + (32-33.3)^2 + (14-33.3)^2) / 33.3 = 24.08, 2 degrees of freedom.
    JsonNode uniform = one("expect_column_chisquare_test_p_value_to_be_greater_than",
        "{column: grade, partition_object: {values: [A, B, C], weights: [0.3333333333333333, 0.3333333333333333, "
            + "0.3333333333333334]}, p: 0.05}");
    assertThat(uniform.get("success").asBoolean()).isFalse();
    assertThat(uniform.at("/result/observed_value").asDouble()).isCloseTo(Math.exp(-24.08 / 2), within(1e-7));
    assertThat(one("expect_column_chisquare_test_p_value_to_be_greater_than",
        "{column: grade, partition_object: {values: [A, B], weights: [0.6, 0.4]}}").get("success").asBoolean())
        .as("C is outside the partition and nothing is held out").isFalse();
    assertThat(one("expect_column_chisquare_test_p_value_to_be_greater_than",
        "{column: grade, partition_object: {values: [A, B], weights: [0.628, 0.372]}, tail_weight_holdout: 0.14}")
        .get("success").asBoolean()).isTrue();
  }

  @Test
  void cramersPhiOfIndependentAndEqualColumns() {
    JsonNode independent = one("expect_column_pair_cramers_phi_value_to_be_less_than", "{column_A: x, column_B: y}");
    assertThat(independent.at("/result/observed_value").asDouble()).isLessThan(0.1);
    assertThat(independent.get("success").asBoolean()).isTrue();
    JsonNode same = one("expect_column_pair_cramers_phi_value_to_be_less_than", "{column_A: x, column_B: z}");
    assertThat(same.at("/result/observed_value").asDouble()).isEqualTo(1.0);
    assertThat(same.get("success").asBoolean()).isFalse();
  }
}
