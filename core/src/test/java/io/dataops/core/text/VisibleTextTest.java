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

  /** Free text stored before FreeText refused what it holds shows every such character, and nothing else changes. */
  @Test
  void storedFreeTextShowsWhatFreeTextRefuses() {
    assertThat(VisibleText.freeText("区公安\u200d分局")).isEqualTo("区公安<U+200D>分局");
    assertThat(VisibleText.freeText("a\u00adb\u200ec\ufeff\n\u202e")).isEqualTo("a<U+00AD>b<U+200E>c<U+FEFF>␊<U+202E>");
    assertThat(VisibleText.freeText("tag\udb40\udc41")).as("a tag character, beyond the BMP").isEqualTo("tag<U+E0041>");
    String plain = "福田区政务服务数据管理局";
    assertThat(VisibleText.freeText(plain)).isSameAs(plain);
  }
}
