package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTextTest {
  @Test
  void textAsLaidOutKeepsItsLinesAndTabsAndShowsEveryOtherControl() {
    assertThat(TerminalText.safe("a\tb\nc 福田 ✓")).isEqualTo("a\tb\nc 福田 ✓");
    assertThat(TerminalText.safe("\u001b[2Jx\u0007\r\u0000\u007f")).isEqualTo("␛[2Jx␇␍␀␡");
    assertThat(TerminalText.safe("\u009b6n")).as("C1's one-character CSI").isEqualTo("<U+009B>6n");
    assertThat(TerminalText.safe("\u202eab\u2066c")).isEqualTo("<U+202E>ab<U+2066>c");
  }

  @Test
  void aValueInAListingStaysOnItsLine() {
    assertThat(TerminalText.value("x\ny\tz")).isEqualTo("x␊y␉z");
    String plain = "广东省深圳市福田区";
    assertThat(TerminalText.value(plain)).isSameAs(plain);
  }
}
