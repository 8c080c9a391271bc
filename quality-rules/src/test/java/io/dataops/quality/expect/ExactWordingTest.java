package io.dataops.quality.expect;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.quality.QualityFixture;
import io.dataops.quality.run.QualityReport;
import io.dataops.quality.run.QualityRunner;
import io.dataops.quality.testing.Rows;
import org.junit.jupiter.api.Test;

/**
 * A failing row's reason names the bound it was compared with: an int past 2^53 is compared exactly, so the wording
 * shows it exactly too (it showed 1.2345678901234568E17, a double that is another number, for 123456789012345679).
 */
class ExactWordingTest extends QualityFixture {
  @Test
  void anIntBoundPast2To53IsWordedAsItself() throws Exception {
    land("big", """
        columns:
          - {name: id, type: long}
          - {name: k, type: long}
          - {name: j, type: long}
        """, "id,k,j\n1,123456789012345678,1\n");
    QualityReport r = run("big", """
        name: s
        expectations:
          - type: expect_column_values_to_be_between
            kwargs: {column: k, min_value: 123456789012345679}
          - type: expect_column_values_to_be_between
            kwargs: {column: k, min_value: 0, max_value: 123456789012345677, strict_max: true}
          - type: expect_multicolumn_sum_to_equal
            kwargs: {column_list: [k, j], sum_total: 123456789012345678}
        """);
    assertThat(r.validation().results()).noneMatch(e -> e.success());
    assertThat(Rows.of(lakehouse.load(QualityRunner.ROW_FAILURES))).extracting(f -> f.getField("reason"))
        .containsExactlyInAnyOrder("is outside [123456789012345679, +inf)", "is outside [0, 123456789012345677)",
            "the sum of k, j is not 123456789012345678");
  }
}
