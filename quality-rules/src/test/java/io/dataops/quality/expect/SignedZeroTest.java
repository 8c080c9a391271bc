package io.dataops.quality.expect;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.quality.QualityFixture;
import io.dataops.quality.run.QualityReport;
import org.junit.jupiter.api.Test;

/**
 * Found by a probe: {@code value_set: [0.0]} counted a -0.0 as unexpected, while uniqueness took it as 0.0. Python's
 * {@code -0.0 in [0.0]} is True (GX's pandas check is an isin): one zero.
 */
class SignedZeroTest extends QualityFixture {
  @Test
  void minusZeroIsInASetHoldingZero() throws Exception {
    land("zeros", """
        columns:
          - {name: id, type: long}
          - {name: d, type: double}
        """, "id,d\n1,0.0\n2,-0.0\n3,0\n4,1.5\n");
    QualityReport r = run("zeros", """
        name: s
        expectations:
          - type: expect_column_values_to_be_in_set
            kwargs: {column: d, value_set: [0.0, 1.5]}
          - type: expect_column_values_to_be_in_set
            kwargs: {column: d, value_set: [-0.0, 1.5]}
          - type: expect_column_values_to_not_be_in_set
            kwargs: {column: d, value_set: [0]}
        """);
    assertThat(r.validation().results().get(0).success()).isTrue();
    assertThat(r.validation().results().get(1).success()).isTrue();
    assertThat(json(r.validation().results().get(2).result()).get("unexpected_count").asLong()).isEqualTo(3);
  }
}
