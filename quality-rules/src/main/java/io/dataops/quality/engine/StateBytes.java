package io.dataops.quality.engine;

import java.nio.ByteBuffer;

/** Analyzer states that are a few numbers, as bytes. */
final class StateBytes {
  private StateBytes() {}

  static byte[] longs(long... values) {
    ByteBuffer b = ByteBuffer.allocate(4 + 8 * values.length);
    b.putInt(values.length);
    for (long v : values) {
      b.putLong(v);
    }
    return b.array();
  }

  static long[] read(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    long[] v = new long[b.getInt()];
    for (int i = 0; i < v.length; i++) {
      v[i] = b.getLong();
    }
    return v;
  }
}
