package io.dataops.core.sort;

import java.util.Arrays;
import java.util.List;

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

  /** Receives sorted keys a block at a time; the array is reused for the next block. */
  public interface SortedBlocks {
    void accept(long[] keys, int from, int to);
  }

  /** Segment size of {@link #sortSpread}'s buckets: 2 KB, so a few thousand half-filled ones waste little. */
  private static final int SEGMENT = 256;

  /**
   * Hands the longs of {@code chunks} to {@code blocks} in ascending (signed) order, block by block. Meant for keys
   * spread evenly over 64 bits (hashes): one pass moves every key into a bucket of its top bits, then each bucket — a
   * few thousand keys — is sorted on its own. That is neither a comparison sort of everything nor a merge of sorted
   * chunks (the two together were a tenth of a 5M-row quality run). The pass writes out of place, into 2 KB segments
   * per bucket taken as they fill: a few thousand sequential write streams whose misses overlap, where moving keys in
   * place (following each cycle of displaced keys) waited on a cache miss per key, one after the other (7% of a 5M
   * run's samples). The chunks are consumed: each is dropped (set to null) once read, so the keys are held twice over
   * by one chunk and the buckets' unfilled segments at most.
   */
  public static void sortSpread(List<long[]> chunks, SortedBlocks blocks) {
    long total = 0;
    for (long[] c : chunks) {
      total += c.length;
    }
    if (total == 0) {
      return;
    }
    if (total <= 1 << 14) {
      long[] all = new long[(int) total];
      int p = 0;
      for (int i = 0; i < chunks.size(); i++) {
        System.arraycopy(chunks.get(i), 0, all, p, chunks.get(i).length);
        p += chunks.get(i).length;
        chunks.set(i, null);
      }
      Arrays.sort(all);
      blocks.accept(all, 0, all.length);
      return;
    }
    // About 2048 keys a bucket, at most 2^12 buckets (their write positions, 32 KB of cache lines, stay cached).
    int bits = Math.max(1, Math.min(12, 64 - Long.numberOfLeadingZeros(total >>> 11)));
    int shift = 64 - bits;
    int buckets = 1 << bits;
    long[][][] full = new long[buckets][][]; // per bucket, its filled segments
    int[] fullCount = new int[buckets];
    long[][] open = new long[buckets][]; // per bucket, the segment being filled
    int[] fill = new int[buckets];
    for (int i = 0; i < chunks.size(); i++) {
      long[] c = chunks.get(i);
      chunks.set(i, null);
      for (long k : c) {
        int b = (int) ((k ^ Long.MIN_VALUE) >>> shift);
        long[] seg = open[b];
        if (seg == null || fill[b] == SEGMENT) {
          if (seg != null) {
            if (full[b] == null || fullCount[b] == full[b].length) {
              full[b] = full[b] == null ? new long[8][] : Arrays.copyOf(full[b], fullCount[b] * 2);
            }
            full[b][fullCount[b]++] = seg;
          }
          seg = open[b] = new long[SEGMENT];
          fill[b] = 0;
        }
        seg[fill[b]++] = k;
      }
    }
    long[] bucket = new long[64];
    int[] starts = new int[(1 << MAX_SUB_BITS) + 1];
    for (int b = 0; b < buckets; b++) {
      int len = fullCount[b] * SEGMENT + fill[b];
      if (len == 0) {
        continue;
      }
      if (bucket.length < len) {
        bucket = new long[Math.max(len, bucket.length * 2)];
      }
      sortBucket(full[b], fullCount[b], open[b], fill[b], bits, bucket, starts);
      full[b] = null;
      open[b] = null;
      blocks.accept(bucket, 0, len);
    }
  }

  /** Sub-buckets of a bucket: up to 2^12, one key each on average for spread keys. */
  private static final int MAX_SUB_BITS = 12;

  /**
   * Sorts one bucket's segments into {@code out}: a counting pass on the key bits below the bucket's {@code bits},
   * then each sub-bucket (one key on average) sorted on its own. Spread keys need no comparison sort at all, where
   * {@code Arrays.sort} of a whole bucket made about eleven unpredictable comparisons a key (7% of a 1M-row quality
   * run's samples). Keys that are not spread (repeats, clusters) only make some sub-buckets larger: those get
   * {@code Arrays.sort}, so the result is sorted whatever the keys.
   */
  private static void sortBucket(long[][] full, int fullCount, long[] open, int openFill, int bits, long[] out,
      int[] starts) {
    int len = fullCount * SEGMENT + openFill;
    int subBits = Math.max(1, Math.min(MAX_SUB_BITS, 32 - Integer.numberOfLeadingZeros(len - 1)));
    int subs = 1 << subBits;
    Arrays.fill(starts, 0, subs + 1, 0);
    for (int s = 0; s <= fullCount; s++) {
      long[] seg = s < fullCount ? full[s] : open;
      for (int i = 0, n = s < fullCount ? SEGMENT : openFill; i < n; i++) {
        starts[subDigit(seg[i], bits, subBits) + 1]++;
      }
    }
    for (int d = 0; d < subs; d++) {
      starts[d + 1] += starts[d];
    }
    // Scattering moves each sub-bucket's start to its end, which is the next one's start: starts[d] ends up at
    // sub-bucket d + 1's start, so sub-bucket d is [starts[d - 1], starts[d]) afterwards (from 0 for d = 0).
    for (int s = 0; s <= fullCount; s++) {
      long[] seg = s < fullCount ? full[s] : open;
      for (int i = 0, n = s < fullCount ? SEGMENT : openFill; i < n; i++) {
        long k = seg[i];
        out[starts[subDigit(k, bits, subBits)]++] = k;
      }
    }
    for (int d = 0, from = 0; d < subs; d++) {
      int to = starts[d];
      if (to - from > 16) {
        Arrays.sort(out, from, to);
      } else {
        for (int i = from + 1; i < to; i++) {
          long k = out[i];
          int j = i - 1;
          while (j >= from && out[j] > k) {
            out[j + 1] = out[j];
            j--;
          }
          out[j + 1] = k;
        }
      }
      from = to;
    }
  }

  /** The {@code subBits} bits below the top {@code bits} (which a bucket shares): unsigned, in signed key order. */
  private static int subDigit(long key, int bits, int subBits) {
    return (int) (((key ^ Long.MIN_VALUE) << bits) >>> (64 - subBits));
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
   * The in-place sort: an introsort. Quicksort with a median-of-three pivot and a three-way partition (records equal
   * to the pivot are settled at once, so a run of repeated keys, such as one output value in many rows, costs one
   * pass instead of a pass per record), falling back to heapsort past 2 log2 n levels, so no input order makes it
   * quadratic. The key columns are fields, not an array walked per comparison: the privacy check's class counts sort
   * millions of records, and a loop over the key array cost it a fifth more time.
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

    void sort(int lo, int hi) {
      if (hi > lo) {
        sort(lo, hi, 2 * (32 - Integer.numberOfLeadingZeros(hi - lo + 1)));
      }
    }

    /** Insertion sort below 16 records. */
    private void sort(int lo, int hi, int depth) {
      while (lo < hi) {
        if (hi - lo < 16) {
          for (int i = lo + 1; i <= hi; i++) {
            for (int j = i; j > lo && compare(j - 1, j) > 0; j--) {
              swap(j - 1, j);
            }
          }
          return;
        }
        if (depth-- == 0) {
          heapSort(lo, hi);
          return;
        }
        swap(lo, medianOfThree(lo, (lo + hi) >>> 1, hi));
        // Three-way partition around the pivot, which stays at a[lt]: [lo, lt) < pivot, [lt, i) == pivot,
        // (gt, hi] > pivot.
        int lt = lo;
        int gt = hi;
        int i = lo + 1;
        while (i <= gt) {
          int c = compare(i, lt);
          if (c < 0) {
            swap(lt++, i++);
          } else if (c > 0) {
            swap(i, gt--);
          } else {
            i++;
          }
        }
        if (lt - lo < hi - gt) {
          sort(lo, lt - 1, depth);
          lo = gt + 1;
        } else {
          sort(gt + 1, hi, depth);
          hi = lt - 1;
        }
      }
    }

    private int medianOfThree(int x, int y, int z) {
      if (compare(x, y) < 0) {
        return compare(y, z) < 0 ? y : compare(x, z) < 0 ? z : x;
      }
      return compare(x, z) < 0 ? x : compare(y, z) < 0 ? z : y;
    }

    private void heapSort(int lo, int hi) {
      int n = hi - lo + 1;
      for (int i = n / 2 - 1; i >= 0; i--) {
        siftDown(lo, i, n);
      }
      for (int end = n - 1; end > 0; end--) {
        swap(lo, lo + end);
        siftDown(lo, 0, end);
      }
    }

    private void siftDown(int lo, int i, int n) {
      while (2 * i + 1 < n) {
        int child = 2 * i + 1;
        if (child + 1 < n && compare(lo + child, lo + child + 1) < 0) {
          child++;
        }
        if (compare(lo + i, lo + child) >= 0) {
          return;
        }
        swap(lo + i, lo + child);
        i = child;
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
