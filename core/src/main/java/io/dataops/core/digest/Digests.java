package io.dataops.core.digest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Hex digests of text, bytes, files and streams: the one place the platform computes SHA-256 and SM3. */
public final class Digests {
  private static final HexFormat HEX = HexFormat.of();

  private Digests() {}

  public static String sha256(String text) {
    return hex(DigestAlgorithm.SHA256, text.getBytes(StandardCharsets.UTF_8));
  }

  public static String sha256(Path file) {
    return hex(DigestAlgorithm.SHA256, file);
  }

  public static String sm3(String text) {
    return hex(DigestAlgorithm.SM3, text.getBytes(StandardCharsets.UTF_8));
  }

  public static String hex(DigestAlgorithm algorithm, byte[] bytes) {
    return HEX.formatHex(algorithm.newDigest().digest(bytes));
  }

  /** The raw digest of UTF-8 text. */
  public static byte[] bytes(DigestAlgorithm algorithm, String text) {
    return algorithm.newDigest().digest(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A file's digest, read in 64 KiB blocks (files may be gigabytes). */
  public static String hex(DigestAlgorithm algorithm, Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return hex(algorithm, in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** A stream's digest, read to its end (the caller closes it). */
  public static String hex(DigestAlgorithm algorithm, InputStream in) throws IOException {
    MessageDigest md = algorithm.newDigest();
    byte[] buf = new byte[1 << 16];
    for (int n; (n = in.read(buf)) > 0; ) {
      md.update(buf, 0, n);
    }
    return HEX.formatHex(md.digest());
  }

  public static String toHex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }
}
