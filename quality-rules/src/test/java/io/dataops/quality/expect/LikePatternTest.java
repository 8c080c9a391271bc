package io.dataops.quality.expect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LikePatternTest {

  /** LIKE as a regular expression (% as .*, _ as ., \\x as x, the rest quoted, DOTALL), whole value. */
  private static boolean byRegex(String like, String value) {
    StringBuilder re = new StringBuilder();
    int[] points = like.codePoints().toArray();
    for (int i = 0; i < points.length; i++) {
      int c = points[i];
      if (c == '\\') {
        re.append(Pattern.quote(Character.toString(points[++i])));
      } else {
        re.append(c == '%' ? ".*" : c == '_' ? "." : Pattern.quote(Character.toString(c)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL).matcher(value).matches();
  }

  @Test
  void aBackslashMakesTheNextCharacterItselfAsInPostgresql() {
    // Found by a probe: 'a\bc' failed "abc" and '100\%' matched any text starting 100 (PostgreSQL and Spark escape
    // with a backslash by default).
    assertThat(new LikePattern("a\\bc").matches("abc")).isTrue();
    assertThat(new LikePattern("100\\%").matches("100%")).isTrue();
    assertThat(new LikePattern("100\\%").matches("1000")).isFalse();
    assertThat(new LikePattern("%\\_%").matches("a_b")).isTrue();
    assertThat(new LikePattern("%\\_%").matches("ab")).isFalse();
    assertThat(new LikePattern("a\\\\b").matches("a\\b")).isTrue();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LikePattern("abc\\"))
        .hasMessage("LIKE pattern must not end with escape character");
  }

  @Test
  void answersAsTheRegularExpressionOfTheLikeOnHandPickedCases() {
    List<String> patterns = List.of("", "%", "_", "AB-%", "__-_", "%9", "%_9", "%2%", "a%b%c", "%%", "%_%_%", "福%",
        "%区", "_区", "𝔘_", "a_%_b", ".*", "a\nb%", "%a%a%a%a%b");
    List<String> values = List.of("", "AB-1", "AB-22", "ab-3", "XY_9", "福田区", "𝔘𝔫", "𝔘x", "a\nbc", ".*", "a9",
        "axxbyyc", "abc", "acb", "aaaaab", "a".repeat(40));
    for (String p : patterns) {
      LikePattern like = new LikePattern(p);
      for (String v : values) {
        assertThat(like.matches(v)).as("'" + v + "' LIKE '" + p + "'").isEqualTo(byRegex(p, v));
      }
    }
  }

  @Test
  void answersAsTheRegularExpressionOfTheLikeOnRandomCases() {
    Random random = new Random(15);
    String patternChars = "ab%_𝔘\\";
    String valueChars = "ab𝔘%_";
    for (int i = 0; i < 20_000; i++) {
      String p = randomText(random, patternChars, 7);
      if (p.replaceAll("\\\\\\\\", "").endsWith("\\")) {
        continue; // ends with the escape character: refused (above)
      }
      String v = randomText(random, valueChars, 9);
      assertThat(new LikePattern(p).matches(v)).as("'" + v + "' LIKE '" + p + "'").isEqualTo(byRegex(p, v));
    }
  }

  /** Where the regular expression backtracked for minutes: each value is answered in one pass with restarts. */
  @Test
  void manyPercentSignsOnALongValueAreAnswered() {
    LikePattern like = new LikePattern("%a%a%a%a%b");
    assertThat(like.matches("a".repeat(100_000))).isFalse();
    assertThat(like.matches("a".repeat(100_000) + "b")).isTrue();
    assertThat(new LikePattern("%a_a%").matches("b".repeat(100_000))).isFalse();
  }

  private static String randomText(Random random, String alphabet, int maxLength) {
    int[] cps = alphabet.codePoints().toArray();
    StringBuilder s = new StringBuilder();
    for (int n = random.nextInt(maxLength + 1); n > 0; n--) {
      s.appendCodePoint(cps[random.nextInt(cps.length)]);
    }
    return s.toString();
  }
}
