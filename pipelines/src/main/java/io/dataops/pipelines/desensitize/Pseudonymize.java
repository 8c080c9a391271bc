package io.dataops.pipelines.desensitize;

import io.dataops.lakehouse.types.ValueType;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Keyed pseudonyms: HMAC-SHA256 or HMAC-SM3 (GB/T 32905) of the value's canonical text, under a key from
 * configuration. The same value, key and context give the same pseudonym in every run and every product, so products
 * can be joined on it; without the key it cannot be reversed or recomputed from guesses.
 *
 * <p>The output is lower-case base32 (RFC 4648 alphabet, no padding): it has no digit 0, 1, 8 or 9, so a pseudonym
 * can never look like a mobile or ID number to the leak check. {@code length} truncates it (at least 16 characters,
 * 80 bits); {@code context} separates pseudonym spaces (the same ID gives unrelated pseudonyms in two contexts).
 */
public final class Pseudonymize implements ColumnPolicy {
  public enum Algorithm {
    HMAC_SHA256, HMAC_SM3;

    public String spelling() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Algorithm parse(String text) {
      for (Algorithm a : values()) {
        if (a.spelling().equals(text.trim().toLowerCase(Locale.ROOT).replace('_', '-'))) {
          return a;
        }
      }
      throw new PolicyException("unknown pseudonym algorithm '" + text + "' (expected hmac-sha256 or hmac-sm3)");
    }
  }

  /** 256 bits in base32. */
  public static final int FULL_LENGTH = 52;
  public static final int MIN_LENGTH = 16;
  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

  private final Algorithm algorithm;
  private final String keyId;
  private final byte[] key;
  private final String context;
  private final int length;
  private final ThreadLocal<Object> macs;

  public Pseudonymize(Algorithm algorithm, String keyId, KeyRing keys, String context, int length) {
    if (length < MIN_LENGTH || length > FULL_LENGTH) {
      throw new PolicyException("pseudonym length must be between " + MIN_LENGTH + " and " + FULL_LENGTH
          + " characters, not " + length);
    }
    this.algorithm = algorithm;
    this.keyId = keyId;
    this.key = keys.key(keyId).clone();
    if (key.length < 16) {
      throw new PolicyException("key '" + keyId + "' is shorter than 128 bits");
    }
    this.context = context == null ? "" : context;
    this.length = length;
    this.macs = ThreadLocal.withInitial(this::newMac);
  }

  private Object newMac() {
    if (algorithm == Algorithm.HMAC_SM3) {
      HMac mac = new HMac(new SM3Digest());
      mac.init(new KeyParameter(key));
      return mac;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  @Override
  public String kind() {
    return "pseudonymize";
  }

  @Override
  public String describe() {
    return "pseudonymize " + algorithm.spelling() + " (key " + keyId + (context.isEmpty() ? "" : ", context " + context)
        + ", " + length + " characters)";
  }

  public Algorithm algorithm() {
    return algorithm;
  }

  public String keyId() {
    return keyId;
  }

  @Override
  public ValueType outputType(ValueType input) {
    return ValueType.STRING;
  }

  @Override
  public Object apply(Object value) {
    if (value == null) {
      return null;
    }
    return base32(mac((context + '\u0000' + ValueType.text(value)).getBytes(StandardCharsets.UTF_8)), length);
  }

  /** The keyed MAC of a message (HMAC, RFC 2104, over SHA-256 or SM3): what {@link #apply} encodes. */
  byte[] mac(byte[] message) {
    Object mac = macs.get();
    if (mac instanceof Mac jce) {
      return jce.doFinal(message);
    }
    HMac bc = (HMac) mac;
    bc.update(message, 0, message.length);
    byte[] digest = new byte[bc.getMacSize()];
    bc.doFinal(digest, 0);
    return digest;
  }

  static String base32(byte[] bytes, int chars) {
    char[] out = new char[chars];
    int buffer = 0;
    int bits = 0;
    int i = 0;
    int o = 0;
    while (o < chars) {
      if (bits < 5) {
        buffer = (buffer << 8) | (i < bytes.length ? bytes[i] & 0xFF : 0);
        i++;
        bits += 8;
      }
      out[o++] = BASE32[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
    return new String(out);
  }
}
