package io.dataops.quality.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a quality report may show of a value: masked where personal, declared or not. */
class DisplayedValuesTest {
  @Test
  void identifiersInAColumnNotDeclaredPersonalAreMaskedToo() {
    // Found by a probe: a residents feed whose contract did not mark its ID column personal sent the raw ID numbers
    // of its failing rows to the department's failing-rows.csv and report.
    Map<String, String> none = Map.of();
    assertThat(QualityRunner.display(none, "resident_no", "11010519491231002X")).isEqualTo("110105********002X");
    assertThat(QualityRunner.display(none, "contact", "13800138000")).isEqualTo("138****8000");
    assertThat(QualityRunner.display(none, "remark", "call 13800138000 today")).isEqualTo("call *********** today");
    assertThat(QualityRunner.display(none, "credit_code", "914403001922038216")).as("a credit code is not an ID")
        .isEqualTo("914403001922038216");
    assertThat(QualityRunner.display(none, "amount", "12345")).isEqualTo("12345");
    assertThat(QualityRunner.display(Map.of("phone", "mobile"), "phone", "13800138000")).isEqualTo("138****8000");
  }
}
