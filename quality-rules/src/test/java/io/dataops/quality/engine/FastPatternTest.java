package io.dataops.quality.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The byte-level matcher must agree with the pattern as Python reads it ({@link PythonRegex}, searched) on every
 * input — or answer UNDECIDED, which only a non-ASCII value may get — or not take the pattern.
 */
class FastPatternTest {
  static final List<String> SIMPLE = List.of("^1[3-9]\\d{9}$", "^\\d{17}[\\dXx]$", "^440304\\d{6}$", "^[A-Z]{2}\\d{3,5}$",
      "^R\\d{10}$", "^\\d{4}-\\d{2}$", "^[0-9A-HJ-NPQRTUWXY]{18}$");
  static final List<String> NOT_SIMPLE = List.of("1[3-9]\\d{9}", "^(a|b)$", "^a*b$", "^\\w+$", "^.{3}$", "^[^0-9]$",
      "^a{2,3}b$", "^\\p{IsHan}+$",
      "^a{ 1}$", "^a{,2}$", "^[]a]$", "^a{1,}$");

  @Test
  void takesOnlyWhatItCanMatchExactly() {
    SIMPLE.forEach(p -> assertThat(FastPattern.compile(p)).as(p).isNotNull());
    NOT_SIMPLE.forEach(p -> assertThat(FastPattern.compile(p)).as(p).isNull());
  }

  @Test
  void agreesWithJavaRegexOnRandomAndTrickyInputs() {
    // With non-ASCII digits (Arabic-Indic, full-width: \\d in Python), letters and spaces (U+3000).
    String alphabet = "0123456789XxAHZ-R4\n 张١２\u3000é";
    SplittableRandom r = new SplittableRandom(7);
    for (String p : SIMPLE) {
      FastPattern fast = FastPattern.compile(p);
      Pattern slow = PythonRegex.compile(p).pattern();
      for (int i = 0; i < 20_000; i++) {
        StringBuilder s = new StringBuilder();
        int len = r.nextInt(22);
        for (int k = 0; k < len; k++) {
          s.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        check(fast, slow, s.toString());
      }
      for (String s : List.of("13800138000", "13800138000\n", "1380013800", "138001380000", "11010519491231002X",
          "11010519491231002x", "440304001000", "AB123", "AB12345", "AB123456", "R0000000001", "2024-01", "",
          "91350100M000100Y43", "１3800138000", "１３８００１３８０００", "١٣٨٠٠١٣٨٠٠٠", "13800138000\r",
          "1380013800٠", "AB١٢٣", "2024-０1")) {
        check(fast, slow, s);
      }
    }
  }

  private static void check(FastPattern fast, Pattern slow, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    int m = fast.match(b, 0, b.length);
    if (m == FastPattern.UNDECIDED) {
      assertThat(s.chars().anyMatch(c -> c >= 128)).as("undecided on ASCII '" + s + "'").isTrue();
      return;
    }
    assertThat(m == FastPattern.YES).as(slow.pattern() + " on '" + s + "'").isEqualTo(slow.matcher(s).find());
  }
}
