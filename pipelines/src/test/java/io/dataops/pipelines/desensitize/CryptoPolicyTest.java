package io.dataops.pipelines.desensitize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.lakehouse.identifiers.PrcIdentifiers;
import io.dataops.pipelines.desensitize.FormatPreservingEncryption.Cipher;
import io.dataops.pipelines.desensitize.FormatPreservingEncryption.Mode;
import io.dataops.pipelines.desensitize.FormatPreservingEncryption.Shape;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.fpe.FPEEngine;
import org.bouncycastle.crypto.fpe.FPEFF1Engine;
import org.bouncycastle.crypto.params.FPEParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CryptoPolicyTest {
  static final String K128 = "2B7E151628AED2A6ABF7158809CF4F3C";
  static final String K192 = "2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F";
  static final String K256 = "2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F7F036D6F04FC6A94";
  final TestKeys keys = new TestKeys().with("k128", K128).with("k192", K192).with("k256", K256)
      .with("other", "000102030405060708090A0B0C0D0E0F");

  /** NIST SP 800-38G, FF1 samples 1, 2, 4, 5, 7, 8 (radix 10): through the policy, text tweak as UTF-8. */
  @ParameterizedTest
  @CsvSource({
      "k128, '',         2433477484",
      "k128, 9876543210, 6124200773",
      "k192, '',         2830668132",
      "k192, 9876543210, 2496655549",
      "k256, '',         6657667009",
      "k256, 9876543210, 1001623463"})
  void ff1MatchesTheNistSamples(String key, String tweak, String ciphertext) {
    FormatPreservingEncryption f = new FormatPreservingEncryption(Mode.FF1, Cipher.AES, Shape.DIGITS, key, keys, 0,
        FormatPreservingEncryption.tweakOf(Mode.FF1, tweak));
    assertThat(f.apply("0123456789")).isEqualTo(ciphertext);
    assertThat(f.reveal(ciphertext)).isEqualTo("0123456789");
  }

  /** NIST SP 800-38G, FF1 samples 3, 6, 9 (radix 36), on the engine the policy uses. */
  @ParameterizedTest
  @CsvSource({"" + K128 + ", a9tv40mll9kdu509eum", "" + K192 + ", xbj3kv35jrawxv32ysr",
      "" + K256 + ", xs8a0azh2avyalyzuwd"})
  void ff1EngineMatchesTheRadix36Samples(String key, String ciphertext) {
    String alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
    FPEEngine e = new FPEFF1Engine();
    e.init(true, new FPEParameters(new KeyParameter(HexFormat.of().parseHex(key)), 36,
        HexFormat.of().parseHex("3737373770717273373737")));
    String plain = "0123456789abcdefghi";
    byte[] in = new byte[plain.length()];
    for (int i = 0; i < in.length; i++) {
      in[i] = (byte) alphabet.indexOf(plain.charAt(i));
    }
    byte[] out = new byte[in.length];
    e.processBlock(in, 0, in.length, out, 0);
    StringBuilder s = new StringBuilder();
    for (byte b : out) {
      s.append(alphabet.charAt(b));
    }
    assertThat(s.toString()).isEqualTo(ciphertext);
  }

  /** The NIST ACVP FF3-1 sample (AES-128, radix 62, 56-bit tweak) through the alphanumeric shape. */
  @Test
  void ff31MatchesTheAcvpSample() {
    FormatPreservingEncryption f = new FormatPreservingEncryption(Mode.FF3_1, Cipher.AES, Shape.ALPHANUMERIC, "acvp",
        new TestKeys().with("acvp", "7793833CE891B496381BD5B882F77EA1"), 0, HexFormat.of().parseHex("C58797C2580174"));
    assertThat(f.apply("YbpT3hDo0J9xwCQ5qUWt93iv")).isEqualTo("dDEYxViK56lGbV1WdZTPTe4w");
    assertThat(f.reveal("dDEYxViK56lGbV1WdZTPTe4w")).isEqualTo("YbpT3hDo0J9xwCQ5qUWt93iv");
  }

  @Test
  void idNumbersAndMobilesKeepTheirShapeAndComeBack() {
    for (Mode mode : Mode.values()) {
      for (Cipher cipher : Cipher.values()) {
        FormatPreservingEncryption id = new FormatPreservingEncryption(mode, cipher, Shape.ID_CARD, "k128", keys, 6,
            FormatPreservingEncryption.tweakOf(mode, "citizens.id_card"));
        String raw = "440304198503071231";
        assertThat(PrcIdentifiers.hasValidIdCardCheckChar(raw)).isTrue();
        String enc = (String) id.apply(raw);
        assertThat(enc).hasSize(18).startsWith("440304").isNotEqualTo(raw);
        assertThat(PrcIdentifiers.hasValidIdCardCheckChar(enc)).as("the check character is recomputed").isTrue();
        assertThat(id.reveal(enc)).isEqualTo(raw);
        assertThatThrownBy(() -> id.apply("4403041985030712")).isInstanceOf(UnfitValueException.class)
            .hasMessage("not an 18-character resident ID number");

        FormatPreservingEncryption mobile = new FormatPreservingEncryption(mode, cipher, Shape.MOBILE, "k128", keys, 0,
            FormatPreservingEncryption.tweakOf(mode, ""));
        String m = (String) mobile.apply("13812345678");
        assertThat(m).hasSize(11).startsWith("138").containsOnlyDigits().isNotEqualTo("13812345678");
        assertThat(mobile.reveal(m)).isEqualTo("13812345678");
      }
    }
    FormatPreservingEncryption aes = new FormatPreservingEncryption(Mode.FF1, Cipher.AES, Shape.DIGITS, "k128", keys,
        0, new byte[0]);
    FormatPreservingEncryption sm4 = new FormatPreservingEncryption(Mode.FF1, Cipher.SM4, Shape.DIGITS, "k128", keys,
        0, new byte[0]);
    assertThat(sm4.apply("6222021234567890")).as("SM4 is a different cipher").isNotEqualTo(aes.apply("6222021234567890"));
    assertThat((String) aes.apply("6222 0212 3456 7890")).matches("\\d{4} \\d{4} \\d{4} \\d{4}");
    assertThatThrownBy(() -> aes.apply("12345")).isInstanceOf(UnfitValueException.class)
        .hasMessageContaining("too short to encrypt: 5 characters");
    assertThatThrownBy(() -> new FormatPreservingEncryption(Mode.FF1, Cipher.SM4, Shape.DIGITS, "k256", keys, 0,
        new byte[0])).hasMessage("key 'k256' must be 128 bits for SM4, it is 256");
    assertThatThrownBy(() -> new FormatPreservingEncryption(Mode.FF1, Cipher.AES, Shape.MOBILE, "k128", keys, 5,
        new byte[0])).hasMessageContaining("fewer than 6 characters to encrypt");
    assertThatThrownBy(() -> new FormatPreservingEncryption(Mode.FF3_1, Cipher.AES, Shape.DIGITS, "k128", keys, 0,
        new byte[8])).hasMessage("an FF3-1 tweak is 56 bits (7 bytes), not 64");
  }

  @Test
  void pseudonymsAreStableKeyedBase32AndCannotLookLikeIdentifiers() throws Exception {
    Pseudonymize p = new Pseudonymize(Pseudonymize.Algorithm.HMAC_SHA256, "k128", keys, "", 52);
    String a = (String) p.apply("440304198503071231");
    assertThat(a).hasSize(52).matches("[a-z2-7]+");
    assertThat(new Pseudonymize(Pseudonymize.Algorithm.HMAC_SHA256, "k128", keys, "", 52).apply("440304198503071231"))
        .as("stable across instances (runs)").isEqualTo(a);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(HexFormat.of().parseHex(K128), "HmacSHA256"));
    byte[] expected = mac.doFinal("\u0000440304198503071231".getBytes(StandardCharsets.UTF_8));
    assertThat(a).isEqualTo(Pseudonymize.base32(expected, 52));
    assertThat(new Pseudonymize(Pseudonymize.Algorithm.HMAC_SHA256, "other", keys, "", 52).apply("440304198503071231"))
        .as("another key").isNotEqualTo(a);
    assertThat(new Pseudonymize(Pseudonymize.Algorithm.HMAC_SHA256, "k128", keys, "employment", 52)
        .apply("440304198503071231")).as("another context").isNotEqualTo(a);
    String sm3 = (String) new Pseudonymize(Pseudonymize.Algorithm.HMAC_SM3, "k128", keys, "", 20)
        .apply("440304198503071231");
    assertThat((String) sm3).hasSize(20).matches("[a-z2-7]+").isNotEqualTo(a.substring(0, 20));
    assertThat(new Pseudonymize(Pseudonymize.Algorithm.HMAC_SHA256, "k128", keys, "", 16).apply(12345L))
        .isEqualTo(new Pseudonymize(Pseudonymize.Algorithm.HMAC_SHA256, "k128", keys, "", 16).apply("12345"));
    assertThat(p.apply(null)).isNull();
    assertThat(Pseudonymize.base32(HexFormat.of().parseHex("666f6f626172"), 10)).as("RFC 4648: foobar")
        .isEqualTo("mzxw6ytboi");
    assertThatThrownBy(() -> new Pseudonymize(Pseudonymize.Algorithm.HMAC_SHA256, "k128", keys, "", 8))
        .hasMessage("pseudonym length must be between 16 and 52 characters, not 8");
    assertThatThrownBy(() -> new Pseudonymize(Pseudonymize.Algorithm.HMAC_SHA256, "missing", keys, "", 20))
        .hasMessage("no key 'missing'");
    assertThat(keys.fingerprint("k128")).hasSize(16).isNotEqualTo(keys.fingerprint("other"))
        .doesNotContainIgnoringCase(K128.substring(0, 8));
  }
}
