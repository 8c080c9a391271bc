package io.dataops.lakehouse.arrow;

import java.nio.charset.StandardCharsets;
import org.apache.arrow.memory.ArrowBuf;
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

  /**
   * Text values {@code 0..rows-1} of {@code v} as strings (null where null) into {@code out}: the strings
   * {@link #string} gives, with the batch's UTF-8 data copied out of Arrow's memory in one piece instead of value by
   * value, and each value's validity read only when the batch has nulls.
   */
  public void strings(VarCharVector v, int rows, Object[] out) {
    if (rows == 0) {
      return;
    }
    ArrowBuf offsets = v.getOffsetBuffer();
    int first = offsets.getInt(0);
    int length = offsets.getInt((long) rows * VarCharVector.OFFSET_WIDTH) - first;
    if (length > bytes.length) {
      bytes = new byte[Math.max(length, bytes.length * 2)];
    }
    v.getDataBuffer().getBytes(first, bytes, 0, length);
    boolean nulls = v.getNullCount() > 0;
    int start = 0;
    for (int i = 0; i < rows; i++) {
      int end = offsets.getInt((long) (i + 1) * VarCharVector.OFFSET_WIDTH) - first;
      out[i] = nulls && v.isNull(i) ? null : new String(bytes, start, end - start, StandardCharsets.UTF_8);
      start = end;
    }
  }
}
