package io.dataops.quality.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class WholeStatsAnalyzerTest {
  @Test
  void extremesAndSumAreExactPastADoublesPrecision() {
    WholeStatsAnalyzer.State s = new WholeStatsAnalyzer.State();
    s.add(123456789012345677L);
    s.add(9007199254740993L);
    assertThat(s.max).isEqualTo(123456789012345677L);
    assertThat(s.min).isEqualTo(9007199254740993L);
    assertThat(s.sum()).isEqualTo(BigInteger.valueOf(132463988267086670L));
  }

  @Test
  void theSumIsExactPastTheLongRangeInAnyMergeOrder() {
    WholeStatsAnalyzer a = new WholeStatsAnalyzer("n");
    WholeStatsAnalyzer.State up = new WholeStatsAnalyzer.State();
    up.add(Long.MAX_VALUE);
    up.add(Long.MAX_VALUE);
    WholeStatsAnalyzer.State down = new WholeStatsAnalyzer.State();
    down.add(Long.MIN_VALUE);
    down.add(-1);
    BigInteger two = BigInteger.valueOf(Long.MAX_VALUE).multiply(BigInteger.TWO);
    assertThat(a.restore(a.save(up), null).sum()).isEqualTo(two);
    assertThat(down.sum()).isEqualTo(BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE));
    assertThat(up.merge(down).sum()).isEqualTo(two.add(BigInteger.valueOf(Long.MIN_VALUE)).subtract(BigInteger.ONE));
    assertThat(up.count).isEqualTo(4);
    assertThat(up.min).isEqualTo(Long.MIN_VALUE);
  }
}
