package io.dataops.quality.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Found by a probe: one value of 1e308 among 327 made the mean null (an intermediate product overflowed). */
class NumericStatsAnalyzerTest {
  @Test
  void aMeanOfValuesNearTheLargestDoubleStaysFinite() {
    NumericStatsAnalyzer.State small = new NumericStatsAnalyzer.State();
    for (int i = 0; i < 326; i++) {
      small.add(1);
    }
    NumericStatsAnalyzer.State big = new NumericStatsAnalyzer.State();
    big.add(1e308);
    big.add(1e308);
    NumericStatsAnalyzer.State merged = small.merge(big);
    assertThat(merged.mean).isCloseTo(1e308 / 164, within(1e295));

    NumericStatsAnalyzer.State signs = new NumericStatsAnalyzer.State();
    signs.add(-1.7e308);
    signs.add(1.7e308);
    assertThat(signs.mean).isCloseTo(0, within(1e292));
    assertThat(signs.count).isEqualTo(2);
  }

  @Test
  void theMedianOfTwoValuesNearTheLargestDoubleStaysFinite() {
    QuantileAnalyzer.State q = new QuantileAnalyzer("x").newState(null);
    q.sketch.update(1e308);
    q.sketch.update(1.7e308);
    assertThat(q.median()).isCloseTo(1.35e308, within(1e295));
  }
}
