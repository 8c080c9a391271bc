package io.dataops.pipelines.desensitize;

import io.dataops.core.digest.DigestAlgorithm;
import io.dataops.core.digest.Digests;
import io.dataops.lakehouse.identifiers.PrcIdentifiers;
import io.dataops.lakehouse.types.ValueType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.fpe.FPEEngine;
import org.bouncycastle.crypto.fpe.FPEFF1Engine;
import org.bouncycastle.crypto.fpe.FPEFF3_1Engine;
import org.bouncycastle.crypto.params.FPEParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Reversible format-preserving encryption (NIST SP 800-38G Rev. 1: FF1 or FF3-1) over AES or SM4 (GB/T 32907), with
 * Bouncy Castle's engines. For identifiers an authorized party may need to re-identify: the ciphertext has the
 * plaintext's shape, and {@link #reveal} with the same key gives the value back.
 *
 * <p>Shapes: {@code id_card} encrypts the 17-digit body and recomputes the check character (an ID number with a wrong
 * check character comes back with the right one); {@code mobile} keeps the first 3 digits and encrypts the other 8;
 * {@code digits} encrypts every digit and leaves separators in place; {@code alphanumeric} encrypts 0-9, a-z and A-Z
 * (radix 62). {@code keepFirst} leaves that many leading encryptable characters in clear (for example an ID's region).
 * The tweak comes from the policy's {@code tweak} text ({@link #tweakOf}) or raw {@code tweakHex}.
 */
public final class FormatPreservingEncryption implements ColumnPolicy {
  public enum Mode {
    FF1, FF3_1;

    public String spelling() {
      return this == FF1 ? "ff1" : "ff3-1";
    }

    public static Mode parse(String text) {
      String t = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
      for (Mode m : values()) {
        if (m.spelling().equals(t)) {
          return m;
        }
      }
      throw new PolicyException("unknown format-preserving mode '" + text + "' (expected ff1 or ff3-1)");
    }
  }

  public enum Cipher {
    AES, SM4;

    /** A new block cipher engine: AES (FIPS 197) or SM4 (GB/T 32907). */
    BlockCipher newBlockCipher() {
      return this == SM4 ? new SM4Engine() : AESEngine.newInstance();
    }

    public static Cipher parse(String text) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new PolicyException("unknown block cipher '" + text + "' (expected aes or sm4)");
      }
    }
  }

  public enum Shape {
    ID_CARD, MOBILE, DIGITS, ALPHANUMERIC;

    public String spelling() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Shape parse(String text) {
      for (Shape s : values()) {
        if (s.spelling().equals(text.trim().toLowerCase(Locale.ROOT).replace('-', '_'))) {
          return s;
        }
      }
      throw new PolicyException("unknown shape '" + text + "' (expected id_card, mobile, digits, alphanumeric)");
    }
  }

  private static final String DIGITS = "0123456789";
  private static final String ALNUM = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

  private final Mode mode;
  private final Cipher cipher;
  private final Shape shape;
  private final String keyId;
  private final int keepFirst;
  private final KeyParameter key;
  private final byte[] tweak;
  private final String alphabet;
  private final ThreadLocal<FPEEngine[]> engines; // [encrypt, decrypt]

  /** @param tweak the raw tweak; see {@link #tweakOf} for one derived from text. */
  public FormatPreservingEncryption(Mode mode, Cipher cipher, Shape shape, String keyId, KeyRing keys, int keepFirst,
      byte[] tweak) {
    this(mode, cipher, shape, shape == Shape.ALPHANUMERIC ? ALNUM : DIGITS, keyId, keys, keepFirst, tweak);
  }

  /** With the alphabet (its length is the radix) given: published samples of other radixes take the same path. */
  FormatPreservingEncryption(Mode mode, Cipher cipher, Shape shape, String alphabet, String keyId, KeyRing keys,
      int keepFirst, byte[] tweak) {
    this.mode = mode;
    this.cipher = cipher;
    this.shape = shape;
    this.keyId = keyId;
    this.keepFirst = keepFirst;
    byte[] k = keys.key(keyId);
    if (cipher == Cipher.SM4 && k.length != 16) {
      throw new PolicyException("key '" + keyId + "' must be 128 bits for SM4, it is " + k.length * 8);
    }
    if (cipher == Cipher.AES && k.length != 16 && k.length != 24 && k.length != 32) {
      throw new PolicyException("key '" + keyId + "' must be 128, 192 or 256 bits for AES, it is " + k.length * 8);
    }
    if (keepFirst < 0) {
      throw new PolicyException("keepFirst cannot be negative");
    }
    int available = switch (shape) {
      case ID_CARD -> 17;
      case MOBILE -> 8;
      default -> Integer.MAX_VALUE;
    };
    if (available - keepFirst < 6) {
      throw new PolicyException("encrypt " + shape.spelling() + " keeping the first " + keepFirst
          + " in clear leaves fewer than 6 characters to encrypt (NIST's minimum domain of one million)");
    }
    this.key = new KeyParameter(k);
    if (mode == Mode.FF3_1 && tweak.length != 7) {
      throw new PolicyException("an FF3-1 tweak is 56 bits (7 bytes), not " + tweak.length * 8);
    }
    this.tweak = tweak.clone();
    this.alphabet = alphabet;
    this.engines = ThreadLocal.withInitial(() -> new FPEEngine[] {engine(true), engine(false)});
  }

  private FPEEngine engine(boolean encrypt) {
    BlockCipher block = cipher.newBlockCipher();
    FPEEngine e = mode == Mode.FF1 ? new FPEFF1Engine(block) : new FPEFF3_1Engine(block);
    e.init(encrypt, new FPEParameters(key, alphabet.length(), tweak));
    return e;
  }

  /** A tweak from text: FF1 takes its UTF-8 bytes, FF3-1 the first 56 bits of its SHA-256. */
  public static byte[] tweakOf(Mode mode, String text) {
    String t = text == null ? "" : text;
    return mode == Mode.FF1 ? t.getBytes(StandardCharsets.UTF_8) : sha256(t, 7);
  }

  private static byte[] sha256(String text, int bytes) {
    return Arrays.copyOf(Digests.bytes(DigestAlgorithm.SHA256, text), bytes);
  }

  @Override
  public String kind() {
    return "encrypt";
  }

  @Override
  public String describe() {
    return "encrypt " + mode.spelling() + "-" + cipher.name().toLowerCase(Locale.ROOT) + " " + shape.spelling()
        + " (key " + keyId + (keepFirst > 0 ? ", first " + keepFirst + " in clear" : "") + ")";
  }

  public String keyId() {
    return keyId;
  }

  @Override
  public ValueType outputType(ValueType input) {
    if (input != ValueType.STRING) {
      throw new PolicyException("encrypt applies to string columns, not " + input.spelling());
    }
    return ValueType.STRING;
  }

  public Shape shape() {
    return shape;
  }

  @Override
  public Clear keptInClear() {
    return new Clear(shape == Shape.MOBILE ? Math.max(3, keepFirst) : keepFirst, 0);
  }

  @Override
  public boolean keepsIdentifierShape() {
    return true;
  }

  @Override
  public java.util.List<String> retains() {
    if (shape == Shape.MOBILE) {
      return java.util.List.of("first " + Math.max(3, keepFirst) + " digits in clear (network and area)");
    }
    return keepFirst > 0 ? java.util.List.of("first " + keepFirst + " characters in clear") : java.util.List.of();
  }

  @Override
  public Object apply(Object value) {
    return value == null ? null : process((String) value, true);
  }

  /** Only the characters left in clear: the ciphertext itself is unique per person, like a pseudonym. */
  @Override
  public Object quasiIdentifierValue(Object output) {
    if (output == null) {
      return null;
    }
    String s = (String) output;
    int clear = shape == Shape.MOBILE ? 3 + Math.max(0, keepFirst - 3) : keepFirst;
    return s.substring(0, Math.min(clear, s.length()));
  }

  /** The plaintext of a value this policy produced (re-identification by an authorized party). */
  public String reveal(String value) {
    return value == null ? null : process(value, false);
  }

  private String process(String v, boolean encrypt) {
    FPEEngine engine = engines.get()[encrypt ? 0 : 1];
    switch (shape) {
      case ID_CARD -> {
        if (v.length() != 18 || !allDigits(v, 0, 17) || !(Character.isDigit(v.charAt(17))
            || v.charAt(17) == 'X' || v.charAt(17) == 'x')) {
          throw new UnfitValueException("not an 18-character resident ID number");
        }
        String body = run(engine, v.substring(0, 17), keepFirst);
        return body + PrcIdentifiers.idCardCheckChar(body);
      }
      case MOBILE -> {
        if (v.length() != 11 || !allDigits(v, 0, 11) || v.charAt(0) != '1') {
          throw new UnfitValueException("not an 11-digit mobile number");
        }
        return v.substring(0, 3) + run(engine, v.substring(3), Math.max(0, keepFirst - 3));
      }
      default -> {
        return run(engine, v, keepFirst);
      }
    }
  }

  /** Encrypts (or decrypts) the alphabet characters of {@code v} after the first {@code clear}; others stay put. */
  private String run(FPEEngine engine, String v, int clear) {
    int[] positions = new int[v.length()];
    int n = 0;
    for (int i = 0; i < v.length(); i++) {
      if (alphabet.indexOf(v.charAt(i)) >= 0) {
        positions[n++] = i;
      }
    }
    int from = Math.min(clear, n);
    int count = n - from;
    double domain = Math.pow(alphabet.length(), count);
    if (domain < 1_000_000) {
      throw new UnfitValueException("too short to encrypt: " + count + " characters of radix " + alphabet.length()
          + " (at least a domain of one million)");
    }
    if (mode == Mode.FF3_1 && count > maxFf31Length()) {
      throw new UnfitValueException("too long for FF3-1: " + count + " characters (at most " + maxFf31Length() + ")");
    }
    byte[] digits = new byte[count];
    for (int i = 0; i < count; i++) {
      digits[i] = (byte) alphabet.indexOf(v.charAt(positions[from + i]));
    }
    byte[] out = new byte[count];
    engine.processBlock(digits, 0, count, out, 0);
    char[] chars = v.toCharArray();
    for (int i = 0; i < count; i++) {
      chars[positions[from + i]] = alphabet.charAt(out[i]);
    }
    return new String(chars);
  }

  private int maxFf31Length() {
    return 2 * (int) Math.floor(96 / (Math.log(alphabet.length()) / Math.log(2)));
  }

  private static boolean allDigits(String v, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = v.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
