package io.dataops.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void theFiveCharactersThatEndContentOrAnAttributeAreReferencesAndTheRestStays() {
    assertThat(Html.escape("<script>alert('x')</script> & \"q\""))
        .isEqualTo("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
    assertThat(Html.escape("' onmouseover='alert(1)")).isEqualTo("&#39; onmouseover=&#39;alert(1)");
    assertThat(Html.escape("福田区 & 南山区")).isEqualTo("福田区 &amp; 南山区");
    String plain = "人口基础信息 citizens 2026-12";
    assertThat(Html.escape(plain)).isSameAs(plain);
    assertThat(Html.escape("&amp;")).as("escaped again, not taken as a reference").isEqualTo("&amp;amp;");
    assertThat(Html.escape(null)).isEmpty();
    assertThat(Html.escape("")).isEmpty();
  }

  @Test
  void controlCharactersAndBidirectionalOverridesAreShown() {
    assertThat(Html.escape("\u202e<b>lmth.exe\u0000")).isEqualTo("&lt;U+202E&gt;&lt;b&gt;lmth.exe␀");
    assertThat(Html.escape("a\nb\tc")).as("lines and tabs stay").isEqualTo("a\nb\tc");
  }
}
