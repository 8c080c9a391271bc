package io.dataops.core.sort;

import java.util.Arrays;

/**
 * The in-memory half of the external sort (see {@link SpillRuns}): records are sorted where they lie, before a run
 * is spilled or merged. Two layouts, the two the platform's sorts use: records keyed by a 64-bit hash (an index order
 * by radix, ties left to the caller) and fixed-width records of longs (sorted in place by some of their columns).
 */
public final class RecordSort {
  private RecordSort() {}

  /**
   * The indices {@code 0..n-1} in ascending (signed) order of {@code keys}, stable: an LSD radix sort on 16-bit
   * digits, four passes whatever the keys (no comparisons, which a hash makes unpredictable branches of).
   */
  public static int[] radixOrder(long[] keys, int n) {
    int[] idx = new int[n];
    int[] tmp = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    int[] counts = new int[1 << 16];
    for (int shift = 0; shift < 64; shift += 16) {
      Arrays.fill(counts, 0);
      for (int i = 0; i < n; i++) {
        counts[digit(keys[idx[i]], shift)]++;
      }
      int sum = 0;
      for (int d = 0; d < counts.length; d++) {
        int c = counts[d];
        counts[d] = sum;
        sum += c;
      }
      for (int i = 0; i < n; i++) {
        tmp[counts[digit(keys[idx[i]], shift)]++] = idx[i];
      }
      int[] swap = idx;
      idx = tmp;
      tmp = swap;
    }
    return idx;
  }

  private static int digit(long key, int shift) {
    // Flip the sign bit so the unsigned digit order equals signed long order.
    return (int) (((key ^ Long.MIN_VALUE) >>> shift) & 0xFFFF);
  }

  /**
   * Sorts the first {@code n} records of {@code a} ({@code stride} longs each) in place, in ascending (signed) order
   * of the columns {@code keyColumns} (one to three), compared in that order.
   */
  public static void strided(long[] a, int n, int stride, int... keyColumns) {
    if (keyColumns.length == 0 || keyColumns.length > 3) {
      throw new IllegalArgumentException("sorts by one to three key columns, not " + keyColumns.length);
    }
    new Strided(a, stride, keyColumns[0], keyColumns.length > 1 ? keyColumns[1] : -1,
        keyColumns.length > 2 ? keyColumns[2] : -1).sort(0, n - 1);
  }

  /** Compares two records of {@code stride} longs, {@code a} at {@code aBase}, {@code b} at {@code bBase}. */
  public static int compare(long[] a, int aBase, long[] b, int bBase, int[] keyColumns) {
    for (int k : keyColumns) {
      int c = Long.compare(a[aBase + k], b[bBase + k]);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /**
   * The in-place quicksort. The key columns are fields, not an array walked per comparison: the privacy check's
   * class counts sort millions of records, and a loop over the key array cost it a fifth more time.
   */
  private static final class Strided {
    private final long[] a;
    private final int stride;
    private final int k0;
    private final int k1;
    private final int k2;

    Strided(long[] a, int stride, int k0, int k1, int k2) {
      this.a = a;
      this.stride = stride;
      this.k0 = k0;
      this.k1 = k1;
      this.k2 = k2;
    }

    /** Insertion sort below 16 records. */
    void sort(int lo, int hi) {
      while (lo < hi) {
        if (hi - lo < 16) {
          for (int i = lo + 1; i <= hi; i++) {
            for (int j = i; j > lo && compare(j - 1, j) > 0; j--) {
              swap(j - 1, j);
            }
          }
          return;
        }
        swap((lo + hi) >>> 1, hi);
        int store = lo;
        for (int i = lo; i < hi; i++) {
          if (compare(i, hi) < 0) {
            swap(i, store++);
          }
        }
        swap(store, hi);
        if (store - lo < hi - store) {
          sort(lo, store - 1);
          lo = store + 1;
        } else {
          sort(store + 1, hi);
          hi = store - 1;
        }
      }
    }

    private int compare(int x, int y) {
      int p = x * stride;
      int q = y * stride;
      int c = Long.compare(a[p + k0], a[q + k0]);
      if (c != 0 || k1 < 0) {
        return c;
      }
      c = Long.compare(a[p + k1], a[q + k1]);
      return c != 0 || k2 < 0 ? c : Long.compare(a[p + k2], a[q + k2]);
    }

    private void swap(int x, int y) {
      if (x == y) {
        return;
      }
      int p = x * stride;
      int q = y * stride;
      for (int i = 0; i < stride; i++) {
        long t = a[p + i];
        a[p + i] = a[q + i];
        a[q + i] = t;
      }
    }
  }
}
