package io.dataops.quality.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link PythonRegex#floatText} must write a double exactly as Python's repr does: python-float-repr/cases.txt holds
 * Python 3.11's answers (written by generate.py beside it) for powers of ten and two, subnormals, short decimals and
 * random bit patterns.
 */
class PythonFloatTextTest {
  @Test
  void writesEveryDoubleAsPythonsRepr() throws IOException {
    List<String> wrong = new ArrayList<>();
    int lines = 0;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        getClass().getResourceAsStream("/python-float-repr/cases.txt"), StandardCharsets.US_ASCII))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] f = line.split(" ");
        double d = Double.longBitsToDouble(Long.parseUnsignedLong(f[0], 16));
        String got = PythonRegex.floatText(d);
        if (!got.equals(f[1])) {
          wrong.add(f[1] + " written " + got);
        }
        lines++;
      }
    }
    assertThat(lines).isGreaterThan(6000);
    assertThat(wrong).isEmpty();
  }

  @Test
  void javasLongerDigitsAreShortened() {
    // Found by a probe: Java 17's Double.toString is not always the shortest form (JDK-4511638).
    assertThat(PythonRegex.floatText(1e23)).isEqualTo("1e+23");
    assertThat(PythonRegex.floatText(Double.MIN_VALUE)).isEqualTo("5e-324");
    assertThat(PythonRegex.floatText(-Double.MIN_VALUE)).isEqualTo("-5e-324");
    assertThat(PythonRegex.floatText(9.515459999999998e16)).isEqualTo("9.515459999999998e+16");
    assertThat(PythonRegex.floatText(2e-323)).isEqualTo("2e-323");
    assertThat(PythonRegex.floatText(0.1 + 0.2)).isEqualTo("0.30000000000000004");
  }

  /**
   * The fast path (Java's digits when up to 15 and none shorter reads back) against the plain search over every
   * length, on random bit patterns and short decimals (where Java's misses lie, as with 1e23). Run once with 2
   * million doubles (over six minutes); kept small here.
   */
  @Test
  void fastPathAgreesWithTheFullSearch() {
    SplittableRandom r = new SplittableRandom(4511638);
    int checked = 0;
    for (int i = 0; i < 25_000; i++) {
      double bits = Math.abs(Double.longBitsToDouble(r.nextLong()));
      double shortDecimal = Double.parseDouble(r.nextLong(1, 1_000_000_000_000_000L) + "e" + r.nextInt(-340, 300));
      for (double d : new double[] {bits, shortDecimal}) {
        if (d > 0 && !Double.isInfinite(d)) {
          BigDecimal fast = PythonRegex.shortestDigits(d);
          BigDecimal full = fullSearch(d);
          if (fast.compareTo(full) != 0) {
            throw new AssertionError(Double.toHexString(d) + ": " + fast + " but shortest is " + full);
          }
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThan(45_000);
  }

  /** Every length from 1 up; at each the closest decimal that reads back (checked both sides of the exact value). */
  private static BigDecimal fullSearch(double d) {
    BigDecimal exact = new BigDecimal(d);
    for (int p = 1; p <= 17; p++) {
      BigDecimal best = null;
      for (RoundingMode m : new RoundingMode[] {RoundingMode.HALF_EVEN, RoundingMode.FLOOR, RoundingMode.CEILING}) {
        BigDecimal c = exact.round(new MathContext(p, m));
        if (best == null && c.doubleValue() == d) {
          best = c;
        }
      }
      if (best != null) {
        return best.stripTrailingZeros();
      }
    }
    throw new AssertionError("nothing reads back as " + d);
  }
}
