package io.dataops.core.digest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The two digests the platform uses: SM3 (GB/T 32905, the default for what regulators verify: content digests of
 * product versions, the audit chain) and SHA-256 (feed identities, run keys). Both give 32 bytes.
 */
public enum DigestAlgorithm {
  SM3("SM3"),
  SHA256("SHA-256");

  // The JDK has no SM3; Bouncy Castle's provider is passed per call instead of being registered globally.
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  private final String jcaName;

  DigestAlgorithm(String jcaName) {
    this.jcaName = jcaName;
  }

  /** A fresh digest (MessageDigest is not thread-safe: one per use). */
  public MessageDigest newDigest() {
    try {
      return this == SM3 ? MessageDigest.getInstance(jcaName, BC) : MessageDigest.getInstance(jcaName);
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
