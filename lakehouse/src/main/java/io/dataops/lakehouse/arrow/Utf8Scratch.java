package io.dataops.lakehouse.arrow;

import java.nio.charset.StandardCharsets;
import org.apache.arrow.vector.VarCharVector;

/**
 * One reused buffer for text values' UTF-8 bytes read out of Arrow's off-heap memory: a reader decodes or hashes
 * each value from it instead of from a new byte array per value (what {@link VarCharVector#get} makes). One per
 * reader and thread; what {@link #bytes} holds is valid until the next read.
 */
public final class Utf8Scratch {
  private byte[] bytes = new byte[256];

  /** Copies text value {@code i}'s UTF-8 bytes to the start of {@link #bytes}; returns their length. */
  public int read(VarCharVector v, int i) {
    int length = ArrowValues.copyUtf8(v, i, bytes, 0);
    if (length > bytes.length) {
      bytes = new byte[Math.max(length, bytes.length * 2)];
      ArrowValues.copyUtf8(v, i, bytes, 0);
    }
    return length;
  }

  /** The bytes of the last value read. */
  public byte[] bytes() {
    return bytes;
  }

  /** Text value {@code i} as a string (the same string {@code new String(v.get(i), UTF_8)} gives). */
  public String string(VarCharVector v, int i) {
    int length = read(v, i); // first: the read may replace the buffer
    return new String(bytes, 0, length, StandardCharsets.UTF_8);
  }
}
