package io.dataops.quality.engine;

import io.dataops.lakehouse.arrow.ArrowValues;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.arrow.vector.VarCharVector;

/** A growable byte buffer that builds grouping keys without allocating per value. */
public final class KeyBuffer {
  byte[] bytes = new byte[64];
  int length;

  public void clear() {
    length = 0;
  }

  public int length() {
    return length;
  }

  public byte[] array() {
    return bytes;
  }

  private void ensure(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }

  public void put(byte b) {
    ensure(1);
    bytes[length++] = b;
  }

  public void putLong(long v) {
    ensure(8);
    for (int i = 7; i >= 0; i--) {
      bytes[length++] = (byte) (v >>> (i * 8));
    }
  }

  public void putInt(int v) {
    ensure(4);
    setInt(length, v);
    length += 4;
  }

  public void setInt(int at, int v) {
    bytes[at] = (byte) (v >>> 24);
    bytes[at + 1] = (byte) (v >>> 16);
    bytes[at + 2] = (byte) (v >>> 8);
    bytes[at + 3] = (byte) v;
  }

  public void put(byte[] src, int off, int len) {
    ensure(len);
    System.arraycopy(src, off, bytes, length, len);
    length += len;
  }

  /** Appends text value {@code row}'s UTF-8 bytes from Arrow's memory, without a copy in between. */
  public void putUtf8(VarCharVector src, int row) {
    int len = ArrowValues.copyUtf8(src, row, bytes, length);
    if (len > bytes.length - length) {
      ensure(len);
      ArrowValues.copyUtf8(src, row, bytes, length);
    }
    length += len;
  }

  public void putString(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    put(b, 0, b.length);
  }

  /** 64-bit hash of the contents (FNV-1a, then a SplitMix64 finalizer for well-spread high bits). */
  public long hash() {
    return hash(bytes, 0, length);
  }

  public static long hash(byte[] b, int off, int len) {
    long h = 0xcbf29ce484222325L;
    for (int i = off; i < off + len; i++) {
      h ^= b[i] & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    return h ^ (h >>> 33);
  }
}
