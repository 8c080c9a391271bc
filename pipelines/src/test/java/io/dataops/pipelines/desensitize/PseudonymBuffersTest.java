package io.dataops.pipelines.desensitize;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Pseudonyms made in per-thread buffers are those made from a message string per value, as before. */
class PseudonymBuffersTest {

  /** The pseudonym as it was computed before: javax.crypto's Mac over context, NUL and the text, base32 by chars. */
  private static String before(byte[] key, String context, Object value, int length) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    byte[] bytes = mac.doFinal((context + '\u0000' + io.dataops.lakehouse.types.ValueType.text(value))
        .getBytes(StandardCharsets.UTF_8));
    char[] alphabet = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    char[] out = new char[length];
    int buffer = 0;
    int bits = 0;
    int i = 0;
    for (int o = 0; o < length; o++) {
      if (bits < 5) {
        buffer = (buffer << 8) | (i < bytes.length ? bytes[i] & 0xFF : 0);
        i++;
        bits += 8;
      }
      out[o] = alphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
    return new String(out);
  }

  @Test
  void pseudonymsAreThoseOfTheJdkMacOnHostileValues() throws Exception {
    List<Object> values = new ArrayList<>(List.of("", "1", "440304198503071231", "44030419850307123X", "张三",
        "欧阳娜娜", "买买提·艾力", "𠀀𠀁", "a\uD800b", "\uDC00", "é", "é", "１３８００１３８０００", "\u0000",
        "x".repeat(63), "y".repeat(64), "z".repeat(200), "中".repeat(100), 12345L, 7, new java.math.BigDecimal("1.50"),
        java.time.LocalDate.of(1985, 3, 7)));
    Random random = new Random(7);
    for (int i = 0; i < 2000; i++) {
      char[] c = new char[random.nextInt(90)];
      for (int j = 0; j < c.length; j++) {
        c[j] = random.nextInt(4) == 0 ? (char) random.nextInt(0x10000) : (char) (32 + random.nextInt(95));
      }
      values.add(new String(c));
    }
    for (String keyHex : new String[] {CryptoPolicyTest.K128, CryptoPolicyTest.K256, "ab".repeat(100)}) {
      byte[] key = HexFormat.of().parseHex(keyHex);
      TestKeys keys = new TestKeys().with("k", keyHex);
      for (String context : new String[] {"", "employment", "场景"}) {
        for (int length : new int[] {16, 20, 52}) {
          Pseudonymize p = new Pseudonymize(Pseudonymize.Algorithm.HMAC_SHA256, "k", keys, context, length);
          Pseudonymize sm3 = new Pseudonymize(Pseudonymize.Algorithm.HMAC_SM3, "k", keys, context, length);
          for (Object v : values) {
            assertThat(p.apply(v)).as("%s", Arrays.toString(String.valueOf(v).toCharArray()))
                .isEqualTo(before(key, context, v, length));
            byte[] message = (context + '\u0000' + io.dataops.lakehouse.types.ValueType.text(v))
                .getBytes(StandardCharsets.UTF_8);
            assertThat(sm3.apply(v)).as("sm3 %s", Arrays.toString(String.valueOf(v).toCharArray()))
                .isEqualTo(Pseudonymize.base32(sm3.mac(message), length));
          }
        }
      }
    }
  }
}
