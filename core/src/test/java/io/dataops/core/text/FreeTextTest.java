package io.dataops.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.BadInputException;
import org.junit.jupiter.api.Test;

/** One-line text others read: control characters and bidirectional overrides are found wherever they are. */
class FreeTextTest {
  @Test
  void controlAndBidirectionalCharactersAreFoundAndOrdinaryTextPasses() {
    assertThat(FreeText.unsafeAt("福田区 open data, licence CC-BY 4.0 (2026)")).isEqualTo(-1);
    assertThat(FreeText.unsafeAt("a\nb")).isEqualTo(1);
    assertThat(FreeText.unsafeAt("\u001b[2J")).isZero();
    assertThat(FreeText.unsafeAt("ok\u202etxt.exe")).isEqualTo(2);
    assertThat(FreeText.unsafeAt("x\u202a")).isEqualTo(1);
    assertThat(FreeText.unsafeAt("ab\u2066c\u2069")).isEqualTo(2);
    // Found by a probe: Unicode's line separators forged a line of a version's history, and its direction marks are
    // bidi controls too (they turn the neutral characters beside them: a reason's dates and arrows reorder).
    assertThat(FreeText.unsafeAt("incomplete\u2028  2026-12-06T07:40:00Z  v5 -> approved")).isEqualTo(10);
    assertThat(FreeText.unsafeAt("x\u2029y")).isEqualTo(1);
    assertThat(FreeText.unsafeAt("abc\u200e")).isEqualTo(3);
    assertThat(FreeText.unsafeAt("abc\u200fdef")).isEqualTo(3);
    assertThat(FreeText.unsafeAt("\u061c")).isZero();
    // Found by a probe: invisible format characters (category Cf) made two names look the same and hid text.
    assertThat(FreeText.unsafeAt("zero\u200bwidth")).isEqualTo(4);
    assertThat(FreeText.unsafeAt("joiner \u200d")).isEqualTo(7);
    assertThat(FreeText.unsafeAt("word\u2060joiner")).isEqualTo(4);
    assertThat(FreeText.unsafeAt("\ufeffbom")).isZero();
    assertThat(FreeText.unsafeAt("soft\u00adhyphen")).isEqualTo(4);
    assertThat(FreeText.unsafeAt("tag " + new String(Character.toChars(0xE0041)))).isEqualTo(4);
    assertThat(FreeText.unsafeAt("福田区 — “quoted” · 𠀋 ✓")).as("visible, also beyond the BMP").isEqualTo(-1);
  }

  @Test
  void anInvisibleFormatCharacterIsNamedByItsCodePointAndPlace() {
    assertThatThrownBy(() -> FreeText.line("--reason", "=HYPERLINK(\"http://x\",\"y\")\u200b"))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("--reason holds an invisible format character (U+200B) at character 27");
    assertThatThrownBy(() -> FreeText.line("--note", "ok \u2060"))
        .hasMessageStartingWith("--note holds an invisible format character (U+2060) at character 4");
    assertThatThrownBy(() -> FreeText.line("--note", "𠀋" + new String(Character.toChars(0xE007F))))
        .hasMessageStartingWith("--note holds an invisible format character (U+E007F) at character 2");
  }

  @Test
  void aLineNamesTheOptionAndTheCharacter() {
    assertThat(FreeText.line("--licence", "CC-BY 4.0")).isEqualTo("CC-BY 4.0");
    assertThat(FreeText.line("--licence", null)).isNull();
    assertThatThrownBy(() -> FreeText.line("--note", "fine\u202e"))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("--note holds a control character (U+202E) at character 5");
    assertThatThrownBy(() -> FreeText.line("--reason", "x".repeat(FreeText.MAX + 1)))
        .isInstanceOf(BadInputException.class).hasMessage("--reason is 2,001 characters long; at most 2,000");
    // GBK bytes on a UTF-8 command line arrive as U+FFFD: refused, not stored garbled.
    assertThatThrownBy(() -> FreeText.line("--note", "\uFFFD\uFFFD׼")).isInstanceOf(BadInputException.class)
        .hasMessage("--note holds U+FFFD at character 1, the mark of bytes that were not UTF-8 (a terminal or file in"
            + " GBK?): write it again in UTF-8");
  }
}
