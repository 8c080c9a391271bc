package io.dataops.lakehouse.landing;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds structural bytes eight at a time (SWAR: a long read from the array, bytes equal to the one sought turned
 * into set high bits). CSV framing and splitting look at every byte of a feed: most records have no quote, so their
 * end is the first line feed, and most fields end at the first delimiter.
 */
final class ByteScan {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  private ByteScan() {}

  /** The index of the first byte in {@code b[from, to)} equal to {@code x} or {@code y}, or -1. */
  static int indexOfEither(byte[] b, int from, int to, byte x, byte y) {
    long xs = (x & 0xffL) * ONES;
    long ys = (y & 0xffL) * ONES;
    int i = from;
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      long w = (long) LONGS.get(b, i);
      long found = zeroBytes(w ^ xs) | zeroBytes(w ^ ys);
      if (found != 0) {
        // Little-endian: the lowest flagged byte comes first in the array, and it is always a true match (a false
        // flag can only sit above a true one).
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (b[i] == x || b[i] == y) {
        return i;
      }
    }
    return -1;
  }

  /** The index of the first byte in {@code b[from, to)} equal to {@code x}, or -1. */
  static int indexOf(byte[] b, int from, int to, byte x) {
    long xs = (x & 0xffL) * ONES;
    int i = from;
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      long found = zeroBytes((long) LONGS.get(b, i) ^ xs);
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (b[i] == x) {
        return i;
      }
    }
    return -1;
  }

  /** True when every byte of {@code b[from, to)} is ASCII (below 0x80). */
  static boolean isAscii(byte[] b, int from, int to) {
    long highs = 0;
    int i = from;
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      highs |= (long) LONGS.get(b, i);
    }
    for (; i < to; i++) {
      highs |= b[i] & 0xffL;
    }
    return (highs & HIGHS) == 0;
  }

  /** The high bit of each byte of {@code v} that may be zero: exact for the lowest such byte. */
  private static long zeroBytes(long v) {
    return (v - ONES) & ~v & HIGHS;
  }
}
