package io.dataops.core.digest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The two digests the platform uses: SM3 (GB/T 32905, the default for what regulators verify: content digests of
 * product versions, the audit chain) and SHA-256 (feed identities, run keys). Both give 32 bytes.
 */
public enum DigestAlgorithm {
  SM3("SM3"),
  SHA256("SHA-256");

  private final String jcaName;

  DigestAlgorithm(String jcaName) {
    this.jcaName = jcaName;
  }

  /** A fresh digest (MessageDigest is not thread-safe: one per use). */
  public MessageDigest newDigest() {
    try {
      // The JDK has no SM3. Bouncy Castle's SM3 MessageDigest is made directly: building its whole provider loads
      // hundreds of classes from a signed jar (each verified, none in the class-data archive), a third of a
      // short command's start-up.
      return this == SM3 ? new org.bouncycastle.jcajce.provider.digest.SM3.Digest()
          : MessageDigest.getInstance(jcaName);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(jcaName + " is not available", e);
    }
  }

  /** The name in manifests and settings: {@code sm3} or {@code sha256}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Reads {@code sm3} or {@code sha256} (also {@code SHA-256}), any case. */
  public static DigestAlgorithm of(String label) {
    String l = label.strip().toLowerCase(java.util.Locale.ROOT).replace("-", "");
    for (DigestAlgorithm a : values()) {
      if (a.label().equals(l)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown digest '" + label + "' (sm3 or sha256)");
  }
}
