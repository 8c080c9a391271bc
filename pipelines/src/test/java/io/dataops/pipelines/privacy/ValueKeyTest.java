package io.dataops.pipelines.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ValueKeyTest {

  /** The canonical bytes: 1, the text's UTF-8 bytes (as the JDK encodes them), the byte length in 4 bytes. */
  private static Hash128 expected(String... texts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String t : texts) {
      byte[] b = t.getBytes(StandardCharsets.UTF_8);
      out.write(1);
      out.writeBytes(b);
      out.write(b.length >>> 24);
      out.write(b.length >>> 16);
      out.write(b.length >>> 8);
      out.write(b.length);
    }
    byte[] all = out.toByteArray();
    Hash128 h = new Hash128().hash(all, all.length);
    Hash128 copy = new Hash128();
    copy.h1 = h.h1;
    copy.h2 = h.h2;
    return copy;
  }

  @Test
  void encodesTextAsTheJdksUtf8WithoutAnIntermediateArray() {
    ValueKey key = new ValueKey();
    for (String s : new String[] {"", "a", "440304199001011234", "张伟", "广东省深圳市福田区华富街道莲花一村12栋",
        "é ß ĳ", "𠀀𝄞 emoji 😀", "lone \uD800 high", "lone \uDC00 low", "end \uD83D", "x".repeat(1000)}) {
      Hash128 h = key.reset().add(s).hash();
      Hash128 e = expected(s);
      assertThat(new long[] {h.h1, h.h2}).as(s).containsExactly(e.h1, e.h2);
    }
    Hash128 pair = key.reset().add("ab").add("c").hash();
    long p1 = pair.h1;
    assertThat(p1).isEqualTo(expected("ab", "c").h1);
    assertThat(key.reset().add("a").add("bc").hash().h1).as("tuples stay unambiguous").isNotEqualTo(p1);
  }
}
