package io.dataops.lakehouse.sample;

import java.time.LocalDate;

/** Small helpers shared by the sample factories. */
final class Samples {
  private Samples() {}

  /** A well-mixed 64-bit value from a seed, an index and a stream tag (SplitMix64 finalizer). */
  static long mix(long seed, long index, long stream) {
    long z = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + stream * 0x94D049BB133111EBL;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  static String pad(long value, int width) {
    String s = Long.toString(value);
    if (s.length() >= width) {
      return s;
    }
    return "0".repeat(width - s.length()) + s;
  }

  static String yyyymmdd(LocalDate d) {
    return pad(d.getYear(), 4) + pad(d.getMonthValue(), 2) + pad(d.getDayOfMonth(), 2);
  }
}
