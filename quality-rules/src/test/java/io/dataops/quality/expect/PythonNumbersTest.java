package io.dataops.quality.expect;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** Python's exact int/float/Decimal comparisons, at the edges a double cannot hold, and its str of a Decimal. */
class PythonNumbersTest {
  static final long BIG = 123456789012345678L;

  @Test
  void aLongComparesWithADoubleByTheDoublesExactValue() {
    double rounded = 1.2345678901234568e17; // exactly 123456789012345680
    assertThat(PythonNumbers.compare(BIG, rounded)).isNegative();
    assertThat(PythonNumbers.compare(123456789012345680L, rounded)).isZero();
    assertThat(PythonNumbers.compare(3, 3.5)).isNegative();
    assertThat(PythonNumbers.compare(-3, -3.5)).isPositive();
    assertThat(PythonNumbers.compare(-4, -3.5)).isNegative();
    assertThat(PythonNumbers.compare(Long.MAX_VALUE, 0x1p63)).isNegative(); // 2^63 - 1 < 2.0**63
    assertThat(PythonNumbers.compare(Long.MIN_VALUE, -0x1p63)).isZero();
    assertThat(PythonNumbers.compare(0, Double.NEGATIVE_INFINITY)).isPositive();
  }

  @Test
  void boundsBecomeTheWholeNumbersInside() {
    assertThat(PythonNumbers.lowestAbove(123456789012345679L, false)).isEqualTo(123456789012345679L);
    assertThat(PythonNumbers.lowestAbove(123456789012345679L, true)).isEqualTo(123456789012345680L);
    assertThat(PythonNumbers.lowestAbove(new BigDecimal("0.5"), false)).isEqualTo(1L);
    assertThat(PythonNumbers.highestBelow(new BigDecimal("-0.5"), false)).isEqualTo(-1L);
    assertThat(PythonNumbers.highestBelow(2L, true)).isEqualTo(1L);
    // A written float is Python's float: 1.2345678901234568e17 is 123456789012345680, not the decimal text.
    assertThat(PythonNumbers.lowestAbove(new BigDecimal("1.2345678901234568e17"), false)).isEqualTo(123456789012345680L);
    assertThat(PythonNumbers.lowestAbove(Double.NEGATIVE_INFINITY, false)).isEqualTo(Long.MIN_VALUE);
    assertThat(PythonNumbers.lowestAbove(Double.POSITIVE_INFINITY, false)).isNull();
    assertThat(PythonNumbers.lowestAbove(BigInteger.TWO.pow(64), false)).isNull();
    assertThat(PythonNumbers.lowestAbove(BigInteger.TWO.pow(64).negate(), false)).isEqualTo(Long.MIN_VALUE);
    assertThat(PythonNumbers.highestBelow(BigInteger.TWO.pow(64), false)).isEqualTo(Long.MAX_VALUE);
    assertThat(PythonNumbers.highestBelow(Long.MIN_VALUE, true)).isNull();
  }

  @Test
  void setMembersMatchOnlyWhatTheyEqualInPython() {
    assertThat(PythonNumbers.asLong(BIG)).isEqualTo(BIG);
    assertThat(PythonNumbers.asLong(1.2345678901234568e17)).isEqualTo(123456789012345680L);
    assertThat(PythonNumbers.asLong(2.5)).isNull();
    assertThat(PythonNumbers.asLong(BigInteger.TWO.pow(63))).isNull();
    assertThat(PythonNumbers.asLong(0x1p63)).isNull();
    assertThat(PythonNumbers.asDouble((1L << 53) + 1)).isNull(); // 2**53 + 1 == float(2**53 + 1) is False
    assertThat(PythonNumbers.asDouble(1L << 53)).isEqualTo(0x1p53);
    assertThat(PythonNumbers.asDouble(Long.MAX_VALUE)).isNull();
    assertThat(PythonNumbers.asDouble(BigInteger.TWO.pow(70))).isEqualTo(0x1p70);
  }

  /**
   * Python 3.11's str(Decimal("<u>E-<s>")), the Decimal pyarrow gives for unscaled value u of a decimal(p,s): the
   * exponent is -s, as for every value of the column.
   */
  @Test
  void aDecimalIsWrittenAsPythonsStr() {
    String[][] cases = {
        {"1", "7", "1E-7"},
        {"0", "8", "0E-8"},
        {"10", "8", "1.0E-7"},
        {"10", "2", "0.10"},
        {"12345", "2", "123.45"},
        {"1", "6", "0.000001"},
        {"10", "7", "0.0000010"},
        {"-1", "7", "-1E-7"},
        {"100", "0", "100"},
        {"0", "2", "0.00"},
        {"-123", "9", "-1.23E-7"},
        {"5", "38", "5E-38"},
        {"0", "38", "0E-38"},
        {"-10", "8", "-1.0E-7"},
        {"123456789012345678901234567890123456", "2", "1234567890123456789012345678901234.56"},
        {"12345678901234567890123456789012345678", "38", "0.12345678901234567890123456789012345678"},
    };
    for (String[] c : cases) {
      BigDecimal d = new BigDecimal(new BigInteger(c[0]), Integer.parseInt(c[1]));
      assertThat(PythonNumbers.decimalText(d)).as(c[0] + " at scale " + c[1]).isEqualTo(c[2]);
    }
  }
}
