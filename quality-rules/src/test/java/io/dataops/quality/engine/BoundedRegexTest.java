package io.dataops.quality.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BoundedRegexTest {

  /** Within its budget a bounded pattern answers as java.util.regex does. */
  @Test
  void answersAsJavaUtilRegexWithinTheBudget() {
    List<String> patterns = List.of("^AB", "9$", "\\d{3}", "^1[3-9]\\d{9}$", "(?i)ab-\\d+", "^(\\d+\\s?)+$", "福田",
        "^.*$", "a|b", "(x)\\1", "(?=.*\\d)[a-z]+", "\\s");
    List<String> values = List.of("", "AB-1", "ab-22", "13812345678", "1 2 3 x", "1 2 3", "深圳福田区", "xx", "a\n9",
        "line\r\n", "𝔘𝔫𝔦", "abc1", " ", "x".repeat(100_000) + "123");
    for (String p : patterns) {
      Pattern pattern = Pattern.compile(p);
      BoundedRegex bounded = new BoundedRegex(pattern);
      for (String v : values) {
        assertThat(bounded.find(v)).as(p + " find in a value of " + v.length()).isEqualTo(pattern.matcher(v).find());
      }
    }
  }

  /**
   * Patterns java.util.regex takes seconds to hours on (3.5 s for the first on 32 characters; a LIKE of five % as a
   * regular expression on 300 characters did not end in five minutes) stop within their budget, naming the pattern
   * and the value's length, never the value.
   */
  @Test
  void aPatternThatBacktracksPastItsBudgetStopsWithoutNamingTheValue() {
    String value = "a".repeat(31) + "b";
    assertThatThrownBy(() -> new BoundedRegex(Pattern.compile("^(.*a){12}$")).find(value))
        .isInstanceOf(PatternTooCostly.class)
        .hasMessageStartingWith("the pattern '^(.*a){12}$' needed more than 10,032,000 steps on one value of 32 "
            + "characters: it backtracks")
        .hasMessageNotContaining("aaa");
    assertThatThrownBy(() -> new BoundedRegex(Pattern.compile("^.*a.*a.*a.*a.*b$", Pattern.DOTALL))
        .find("a".repeat(300)))
        .isInstanceOf(PatternTooCostly.class)
        .hasMessageContaining("needed more than 10,300,000 steps on one value of 300 characters");
  }

  /** Found by a probe: ^(a|b)+$ on 6,000 characters overflowed the stack and ended a feed's check as an error. */
  @Test
  void aPatternThatRecursesTooDeeplyStopsAsAnOverrunDoes() {
    BoundedRegex bounded = new BoundedRegex(Pattern.compile("^(a|b)+$"));
    assertThatThrownBy(() -> bounded.find("ab".repeat(200_000))).isInstanceOf(PatternTooCostly.class)
        .hasMessageStartingWith("the pattern '^(a|b)+$' nests too deeply on one value of 400000 characters")
        .hasMessageNotContaining("abab");
    assertThat(bounded.find("ab".repeat(20))).as("the matcher is usable after the overflow").isTrue();
  }

  /**
   * Past 10,000 characters the budget grows by twenty steps a character, not a thousand: a backtracking pattern on
   * one 1,000,000-character value stops after twenty million steps (a billion before, some 20 s an expectation),
   * while patterns that read each character up to a dozen times still answer on it.
   */
  @Test
  void aLongValueHasABudgetOfTwentyStepsACharacter() {
    assertThat(BoundedRegex.budget(10_000)).isEqualTo(20_000_000L);
    assertThat(BoundedRegex.budget(1_000_000)).isEqualTo(20_000_000L);
    assertThat(BoundedRegex.budget(10_000_000)).isEqualTo(200_000_000L);
    String value = "x".repeat(1_000_000);
    assertThat(new BoundedRegex(Pattern.compile("^x+$")).find(value)).isTrue();
    assertThat(new BoundedRegex(Pattern.compile("^.*$")).find(value)).isTrue();
    assertThat(new BoundedRegex(Pattern.compile("\\d{3}")).find(value)).isFalse();
    assertThat(new BoundedRegex(Pattern.compile("x-?y")).find(value + "y")).isTrue();
    assertThat(new BoundedRegex(Pattern.compile("x{11}y")).find(value)).as("twelve reads a character").isFalse();
    assertThatThrownBy(() -> new BoundedRegex(Pattern.compile("^(x+x+)+y$")).find(value))
        .isInstanceOf(PatternTooCostly.class)
        .hasMessageStartingWith("the pattern '^(x+x+)+y$' needed more than 20,000,000 steps on one value of 1000000 "
            + "characters: it backtracks");
  }

  /** The budget is per value: an overrun leaves the pattern usable for the next value. */
  @Test
  void theBudgetIsPerValue() {
    BoundedRegex bounded = new BoundedRegex(Pattern.compile("^(.*a){12}$"));
    assertThatThrownBy(() -> bounded.find("a".repeat(31) + "b")).isInstanceOf(PatternTooCostly.class);
    assertThat(bounded.find("a".repeat(12))).isTrue();
    assertThat(bounded.find("b".repeat(5_000))).isFalse();
  }
}
