package io.dataops.pipelines.desensitize;

import io.dataops.lakehouse.types.ValueType;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Keyed pseudonyms: HMAC-SHA256 or HMAC-SM3 (GB/T 32905) of the value's canonical text, under a key from
 * configuration. The same value, key and context give the same pseudonym in every run and every product, so products
 * with one context can be joined on it (a pipeline's default context is its product's name: {@code
 * PseudonymContexts}); without the key it cannot be reversed or recomputed from guesses.
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
  private static final byte[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".getBytes(StandardCharsets.US_ASCII);

  private final Algorithm algorithm;
  private final String keyId;
  private final byte[] key;
  private final String context;
  private final int length;
  /** The UTF-8 of {@code context + '\u0000'}: what every message starts with. */
  private final byte[] prefix;
  private final ThreadLocal<Scratch> scratch;

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
    this.prefix = (this.context + '\u0000').getBytes(StandardCharsets.UTF_8);
    this.scratch = ThreadLocal.withInitial(() -> new Scratch(this.algorithm, key, prefix));
  }

  /**
   * A thread's MAC and buffers: the value's UTF-8, the MAC, the pseudonym's characters, reused from value to value (no
   * message string, byte array or digest array per value). The JDK's Mac hashes the padded key again for every
   * message; keeping the padded key's SHA-256 states and cloning them per value was no cheaper in a 1M-row run (the
   * skipped blocks go through the JDK's multi-block intrinsic, already compiled, while the clones cost), so it stays.
   * Static: a thread's copy must not hold the policy, or the thread would keep it alive after the run.
   */
  private static final class Scratch {
    final Mac sha256;
    final HMac sm3;
    final byte[] prefix;
    final byte[] mac = new byte[32];
    final byte[] chars = new byte[FULL_LENGTH];
    byte[] utf8 = new byte[64];

    Scratch(Algorithm algorithm, byte[] key, byte[] prefix) {
      this.sha256 = algorithm == Algorithm.HMAC_SHA256 ? jdkMac(key) : null;
      this.sm3 = algorithm == Algorithm.HMAC_SM3 ? new HMac(new SM3Digest()) : null;
      this.prefix = prefix;
      if (sm3 != null) {
        sm3.init(new KeyParameter(key));
      }
    }

    /** The MAC of {@code prefix} and the first {@code n} bytes of {@code message}, into {@link #mac}. */
    byte[] mac(byte[] message, int n) {
      if (sha256 != null) {
        sha256.update(prefix);
        sha256.update(message, 0, n);
        try {
          sha256.doFinal(mac, 0);
        } catch (ShortBufferException e) {
          throw new IllegalStateException(e);
        }
      } else {
        sm3.update(prefix, 0, prefix.length);
        sm3.update(message, 0, n);
        sm3.doFinal(mac, 0);
      }
      return mac;
    }

    /** Encodes {@code text} as UTF-8 into {@link #utf8}; returns the length. ASCII here, the JDK's encoder else. */
    int utf8(String text) {
      int n = text.length();
      if (n > utf8.length) {
        utf8 = new byte[Math.max(n, utf8.length * 2)];
      }
      for (int i = 0; i < n; i++) {
        char c = text.charAt(i);
        if (c >= 0x80) {
          byte[] b = text.getBytes(StandardCharsets.UTF_8);
          if (b.length > utf8.length) {
            utf8 = new byte[b.length];
          }
          System.arraycopy(b, 0, utf8, 0, b.length);
          return b.length;
        }
        utf8[i] = (byte) c;
      }
      return n;
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

  /** What separates this policy's pseudonyms from those of another context (not secret: a name). */
  public String context() {
    return context;
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
    Scratch s = scratch.get();
    int n = s.utf8(ValueType.text(value)); // first: it may replace the buffer
    byte[] mac = s.mac(s.utf8, n);
    return base32(mac, length, s.chars);
  }

  /**
   * The keyed MAC of a message (HMAC, RFC 2104, over SHA-256 or SM3) without the context prefix: {@link #apply}
   * encodes that of {@code context + '\u0000' + value}.
   */
  byte[] mac(byte[] message) {
    if (algorithm == Algorithm.HMAC_SM3) {
      HMac bc = new HMac(new SM3Digest());
      bc.init(new KeyParameter(key));
      bc.update(message, 0, message.length);
      byte[] digest = new byte[bc.getMacSize()];
      bc.doFinal(digest, 0);
      return digest;
    }
    return jdkMac(key).doFinal(message);
  }

  private static Mac jdkMac(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  static String base32(byte[] bytes, int chars) {
    return base32(bytes, chars, new byte[chars]);
  }

  /** The first {@code chars} base32 characters of {@code bytes}, built in {@code out} (ASCII: one copy to a string). */
  private static String base32(byte[] bytes, int chars, byte[] out) {
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
    return new String(out, 0, chars, StandardCharsets.ISO_8859_1);
  }
}
