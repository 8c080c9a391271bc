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
import org.bouncycastle.crypto.BlockCipher;
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

  static final String RADIX36 = "0123456789abcdefghijklmnopqrstuvwxyz";
  static final String ALNUM = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

  /** NIST SP 800-38G, FF1 samples 3, 6, 9 (radix 36): through the policy, its alphabet given, raw tweak. */
  @ParameterizedTest
  @CsvSource({"k128, a9tv40mll9kdu509eum", "k192, xbj3kv35jrawxv32ysr", "k256, xs8a0azh2avyalyzuwd"})
  void ff1MatchesTheRadix36Samples(String key, String ciphertext) {
    FormatPreservingEncryption f = new FormatPreservingEncryption(Mode.FF1, Cipher.AES, Shape.ALPHANUMERIC, RADIX36,
        key, keys, 0, HexFormat.of().parseHex("3737373770717273373737"));
    assertThat(f.apply("0123456789abcdefghi")).isEqualTo(ciphertext);
    assertThat(f.reveal(ciphertext)).isEqualTo("0123456789abcdefghi");
  }

  /** GB/T 32907-2016 Appendix A: one block, and the same block encrypted 1,000,000 times, with the policy's SM4. */
  @Test
  void sm4MatchesTheGbt32907Examples() {
    byte[] key = HexFormat.of().parseHex("0123456789abcdeffedcba9876543210");
    BlockCipher sm4 = Cipher.SM4.newBlockCipher();
    sm4.init(true, new KeyParameter(key));
    byte[] block = key.clone(); // the example's plaintext is its key
    sm4.processBlock(block, 0, block, 0);
    assertThat(HexFormat.of().formatHex(block)).isEqualTo("681edf34d206965e86b3e94f536e4246");
    for (int i = 1; i < 1_000_000; i++) {
      sm4.processBlock(block, 0, block, 0);
    }
    assertThat(HexFormat.of().formatHex(block)).isEqualTo("595298c7c6fd271f0402f804c33d3f66");
    BlockCipher aes = Cipher.AES.newBlockCipher(); // FIPS 197 Appendix C.1
    aes.init(true, new KeyParameter(HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f")));
    byte[] out = new byte[16];
    aes.processBlock(HexFormat.of().parseHex("00112233445566778899aabbccddeeff"), 0, out, 0);
    assertThat(HexFormat.of().formatHex(out)).isEqualTo("69c4e0d86a7b0430d8cdb78070b4c55a");
  }

  /** The reference FF1 and FF3-1 (written from the standard) give NIST's AES samples: it can judge the SM4 ones. */
  @Test
  void theReferenceGivesTheNistSamples() {
    byte[] k128 = HexFormat.of().parseHex(K128);
    assertThat(text(Sp80038g.ff1(Cipher.AES.newBlockCipher(), k128, new byte[0], 10, numerals("0123456789",
        RADIX36)), RADIX36)).isEqualTo("2433477484");
    assertThat(text(Sp80038g.ff1(Cipher.AES.newBlockCipher(), HexFormat.of().parseHex(K256),
        HexFormat.of().parseHex("3737373770717273373737"), 36, numerals("0123456789abcdefghi", RADIX36)), RADIX36))
        .isEqualTo("xs8a0azh2avyalyzuwd");
    assertThat(text(Sp80038g.ff31(Cipher.AES.newBlockCipher(), HexFormat.of().parseHex(
        "7793833CE891B496381BD5B882F77EA1"), HexFormat.of().parseHex("C58797C2580174"), 62, numerals(
        "YbpT3hDo0J9xwCQ5qUWt93iv", ALNUM)), ALNUM)).isEqualTo("dDEYxViK56lGbV1WdZTPTe4w");
  }

  /** FF1 and FF3-1 over SM4 through the policy equal the reference over the standard's SM4. */
  @ParameterizedTest
  @CsvSource({"'', 0123456789", "citizens.id_card, 44030419850307123", "x, 6222021234567890128"})
  void ff1AndFf31OverSm4MatchTheReference(String tweak, String digits) {
    byte[] key = HexFormat.of().parseHex(K128);
    byte[] ff1Tweak = FormatPreservingEncryption.tweakOf(Mode.FF1, tweak);
    FormatPreservingEncryption ff1 = new FormatPreservingEncryption(Mode.FF1, Cipher.SM4, Shape.DIGITS, "k128", keys,
        0, ff1Tweak);
    assertThat(ff1.apply(digits)).isEqualTo(text(Sp80038g.ff1(Cipher.SM4.newBlockCipher(), key, ff1Tweak, 10,
        numerals(digits, RADIX36)), RADIX36));
    byte[] ff31Tweak = FormatPreservingEncryption.tweakOf(Mode.FF3_1, tweak);
    FormatPreservingEncryption ff31 = new FormatPreservingEncryption(Mode.FF3_1, Cipher.SM4, Shape.DIGITS, "k128",
        keys, 0, ff31Tweak);
    assertThat(ff31.apply(digits)).isEqualTo(text(Sp80038g.ff31(Cipher.SM4.newBlockCipher(), key, ff31Tweak, 10,
        numerals(digits, RADIX36)), RADIX36));
    FormatPreservingEncryption alnum = new FormatPreservingEncryption(Mode.FF1, Cipher.SM4, Shape.ALPHANUMERIC, "k128",
        keys, 0, ff1Tweak);
    String text = "Yb" + digits + "Tz";
    assertThat(alnum.apply(text)).isEqualTo(text(Sp80038g.ff1(Cipher.SM4.newBlockCipher(), key, ff1Tweak, 62,
        numerals(text, ALNUM)), ALNUM));
  }

  private static int[] numerals(String text, String alphabet) {
    return text.chars().map(alphabet::indexOf).toArray();
  }

  private static String text(int[] numerals, String alphabet) {
    StringBuilder s = new StringBuilder();
    for (int n : numerals) {
      s.append(alphabet.charAt(n));
    }
    return s.toString();
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

  /**
   * HMAC-SM3: the three examples of GM/T 0042-2015 Appendix D.3 whose keys are long enough for a policy (SM3 as in GB/T
   * 32905); HMAC-SHA256: RFC 4231 test case 1. Through the policy's MAC, and the pseudonym is that MAC of the value.
   */
  @ParameterizedTest
  @CsvSource({
      "HMAC_SM3, 0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20, "
          + "6162636462636465636465666465666765666768666768696768696a"
          + "68696a6b696a6b6c6a6b6c6d6b6c6d6e6c6d6e6f6d6e6f706e6f7071"
          + "6162636462636465636465666465666765666768666768696768696a"
          + "68696a6b696a6b6c6a6b6c6d6b6c6d6e6c6d6e6f6d6e6f706e6f7071, "
          + "ca05e144ed05d1857840d1f318a4a8669e559fc8391f414485bfdf7bb408963a",
      "HMAC_SM3, 0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425, "
          + "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd, "
          + "220bf579ded555393f0159f66c99877822a3ecf610d1552154b41d44b94db3ae",
      "HMAC_SM3, 0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b, 4869205468657265, "
          + "c0ba18c68b90c88bc07de794bfc7d2c8d19ec31ed8773bc2b390c9604e0be11e",
      "HMAC_SHA256, 0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b, 4869205468657265, "
          + "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"})
  void hmacsMatchTheirPublishedExamples(Pseudonymize.Algorithm algorithm, String key, String message, String mac) {
    Pseudonymize p = new Pseudonymize(algorithm, "k", new TestKeys().with("k", key), "", Pseudonymize.FULL_LENGTH);
    assertThat(HexFormat.of().formatHex(p.mac(HexFormat.of().parseHex(message)))).isEqualTo(mac);
    assertThat(p.apply("440304198503071231")).isEqualTo(Pseudonymize.base32(
        p.mac("\u0000440304198503071231".getBytes(StandardCharsets.UTF_8)), Pseudonymize.FULL_LENGTH));
  }
}
