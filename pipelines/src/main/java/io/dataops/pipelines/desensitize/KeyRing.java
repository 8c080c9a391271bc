package io.dataops.pipelines.desensitize;

/**
 * Secret keys by name, from configuration (never from a pipeline file). Implementations must not log or print key
 * material; {@link #fingerprint} lets a lineage record say which key was used without revealing it.
 */
public interface KeyRing {

  /** The key named {@code id}; throws {@link PolicyException} naming the id (and where keys come from) if absent. */
  byte[] key(String id);

  /** A short, non-reversible identifier of the key named {@code id} (HMAC-SHA256 of a fixed label, 8 bytes hex). */
  default String fingerprint(String id) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(key(id), "HmacSHA256"));
      byte[] f = mac.doFinal("dataops key fingerprint".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return java.util.HexFormat.of().formatHex(f, 0, 8);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
