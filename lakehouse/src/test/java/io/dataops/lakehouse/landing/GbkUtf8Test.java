package io.dataops.lakehouse.landing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GbkUtf8Test {
  private final CharsetDecoder jdk = GbkUtf8.GBK.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

  /** The JDK's strict decoding as UTF-8 bytes, or null where it refuses the bytes. */
  private byte[] jdkUtf8(byte[] gbk) {
    try {
      return jdk.reset().decode(ByteBuffer.wrap(gbk)).toString().getBytes(StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static byte[] transcode(byte[] gbk) {
    byte[] out = new byte[GbkUtf8.maxUtf8(gbk.length)];
    int end = GbkUtf8.transcode(gbk, 0, gbk.length, out, 0);
    return end < 0 ? null : Arrays.copyOf(out, end);
  }

  @Test
  void everyTwoByteSequenceAgreesWithTheJdkDecoder() {
    int defined = 0;
    for (int lead = 0x80; lead <= 0xFF; lead++) {
      for (int trail = 0; trail <= 0xFF; trail++) {
        byte[] pair = {(byte) lead, (byte) trail};
        byte[] expected = jdkUtf8(pair);
        byte[] actual = transcode(pair);
        // Where the table has no answer the caller asks the JDK, so only a wrong answer is an error.
        if (actual != null) {
          assertThat(actual).as("%02X %02X", lead, trail).isEqualTo(expected);
          defined++;
        }
      }
    }
    assertThat(defined).as("the double-byte codes the JDK's GBK defines").isEqualTo(23940);
  }

  @Test
  void everyDefinedCodeIsTranscodedAndEveryRefusedOneLeftToTheJdk() {
    for (int lead = 0x81; lead <= 0xFE; lead++) {
      for (int trail = 0x40; trail <= 0xFE; trail++) {
        byte[] pair = {(byte) lead, (byte) trail};
        assertThat(transcode(pair)).as("%02X %02X", lead, trail).isEqualTo(jdkUtf8(pair));
      }
    }
  }

  @Test
  void mixedTextMatchesAndBrokenTextIsRefused() {
    byte[] text = "R1,汪建红 广东省深圳市福田区 ①€ abc".getBytes(GbkUtf8.GBK);
    assertThat(transcode(text)).isEqualTo(jdkUtf8(text));
    assertThat(transcode(Arrays.copyOf(text, text.length - 5))).isEqualTo(jdkUtf8(Arrays.copyOf(text, text.length - 5)));
    byte[] cut = Arrays.copyOf("张".getBytes(GbkUtf8.GBK), 1); // a lead byte without its trail
    assertThat(transcode(cut)).isNull();
    assertThat(jdkUtf8(cut)).isNull();
    assertThat(transcode(new byte[] {(byte) 0x80})).isNull();
  }
}
