package io.dataops.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VisibleTextTest {
  @Test
  void textAsLaidOutKeepsItsLinesAndTabsAndShowsEveryOtherControl() {
    assertThat(VisibleText.safe("a\tb\nc 福田 ✓")).isEqualTo("a\tb\nc 福田 ✓");
    assertThat(VisibleText.safe("\u001b[2Jx\u0007\r\u0000\u007f")).isEqualTo("␛[2Jx␇␍␀␡");
    assertThat(VisibleText.safe("\u009b6n")).as("C1's one-character CSI").isEqualTo("<U+009B>6n");
    assertThat(VisibleText.safe("\u202eab\u2066c")).isEqualTo("<U+202E>ab<U+2066>c");
  }

  @Test
  void aValueInAListingStaysOnItsLine() {
    assertThat(VisibleText.value("x\ny\tz")).isEqualTo("x␊y␉z");
    String plain = "广东省深圳市福田区";
    assertThat(VisibleText.value(plain)).isSameAs(plain);
  }
}
