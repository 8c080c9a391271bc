package io.dataops.pipelines.desensitize;

import java.security.DigestException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * HMAC-SHA256 (RFC 2104) with the key's padded blocks hashed once: the inner and outer SHA-256 states after
 * {@code K xor ipad} and {@code K xor opad} are kept and copied per message, so a message of up to 55 bytes costs two
 * compressions instead of the four {@code javax.crypto.Mac} spends (it hashes the padded key again for every message).
 * The compressions are the JDK's own SHA-256 (its CPU intrinsic). Gives exactly {@code Mac("HmacSHA256")}'s bytes.
 * Not thread-safe: one per thread.
 */
final class HmacSha256 {
  static final int LENGTH = 32;
  private static final int BLOCK = 64;

  private final MessageDigest inner;
  private final MessageDigest outer;

  HmacSha256(byte[] key) {
    try {
      byte[] k = key.length > BLOCK ? MessageDigest.getInstance("SHA-256").digest(key) : key;
      byte[] ipad = new byte[BLOCK];
      byte[] opad = new byte[BLOCK];
      for (int i = 0; i < BLOCK; i++) {
        byte b = i < k.length ? k[i] : 0;
        ipad[i] = (byte) (b ^ 0x36);
        opad[i] = (byte) (b ^ 0x5c);
      }
      inner = MessageDigest.getInstance("SHA-256");
      inner.update(ipad);
      outer = MessageDigest.getInstance("SHA-256");
      outer.update(opad);
      Arrays.fill(ipad, (byte) 0);
      Arrays.fill(opad, (byte) 0);
      inner.clone(); // fail here, not per message, should a provider's digest not be cloneable
    } catch (GeneralSecurityException | CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** Writes the MAC of {@code prefix} followed by {@code message[0, length)} to {@code out[0, 32)}. */
  void mac(byte[] prefix, byte[] message, int length, byte[] out) {
    try {
      MessageDigest in = (MessageDigest) inner.clone();
      in.update(prefix);
      in.update(message, 0, length);
      in.digest(out, 0, LENGTH);
      MessageDigest o = (MessageDigest) outer.clone();
      o.update(out, 0, LENGTH);
      o.digest(out, 0, LENGTH);
    } catch (CloneNotSupportedException | DigestException e) {
      throw new IllegalStateException("SHA-256 failed", e);
    }
  }
}
