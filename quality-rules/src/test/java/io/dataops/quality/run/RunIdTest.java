package io.dataops.quality.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Found by a probe: run ids varied in length, the random suffix written without its leading zeros. */
class RunIdTest {
  @Test
  void theRandomSuffixIsAlwaysEightHexDigits() {
    OffsetDateTime t = OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);
    assertThat(QualityRunner.runId(t, 0x1f)).isEqualTo("20260102T030405Z-0000001f");
    assertThat(QualityRunner.runId(t, -1)).isEqualTo("20260102T030405Z-ffffffff");
    assertThat(QualityRunner.runId(t, 0)).isEqualTo("20260102T030405Z-00000000");
  }
}
