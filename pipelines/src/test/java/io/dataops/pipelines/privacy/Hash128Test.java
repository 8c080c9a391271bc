package io.dataops.pipelines.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.commons.codec.digest.MurmurHash3;
import org.junit.jupiter.api.Test;

class Hash128Test {
  @Test
  void givesTheLibrarysMurmurHash3BitForBitForEveryLengthAndTail() {
    Random random = new Random(20261201);
    Hash128 h = new Hash128();
    byte[] buffer = new byte[300];
    for (int len = 0; len < buffer.length; len++) {
      for (int trial = 0; trial < 20; trial++) {
        random.nextBytes(buffer);
        long[] expected = MurmurHash3.hash128x64(buffer, 0, len, 0);
        h.hash(buffer, len); // only the first len bytes count: the rest of the buffer is other data
        assertThat(new long[] {h.h1, h.h2}).as("length %d", len).containsExactly(expected);
        int off = random.nextInt(buffer.length - len + 1); // from inside a larger array (a batch's text data)
        h.hash(buffer, off, len);
        assertThat(new long[] {h.h1, h.h2}).as("length %d at %d", len, off)
            .containsExactly(MurmurHash3.hash128x64(buffer, off, len, 0));
      }
    }
    byte[] text = "公共数据授权运营 440304199001011234".getBytes(StandardCharsets.UTF_8);
    h.hash(text, text.length);
    assertThat(new long[] {h.h1, h.h2}).containsExactly(MurmurHash3.hash128x64(text, 0, text.length, 0));
  }
}
