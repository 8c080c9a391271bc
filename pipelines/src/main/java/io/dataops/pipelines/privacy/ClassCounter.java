package io.dataops.pipelines.privacy;

import io.dataops.core.sort.LongRecords;
import io.dataops.core.sort.RecordSort;
import io.dataops.core.sort.SpillRuns;
import java.nio.file.Path;

/**
 * Counts equivalence classes (by the 128-bit hash of their quasi-identifier values) with their weight and, for
 * l-diversity, the {@code l} smallest distinct sensitive-value hashes (ascending: the set a merge of parts keeps too),
 * in bounded memory: when the table is full it is sorted and spilled as a run. At the end the runs and the sorted
 * table are handed over as {@link ClassCounts}, which merges them. Memory is about {@code (8 * stride + 12)} bytes per
 * class held, whatever the input size. Sorting and spilling are core's external sort ({@link RecordSort},
 * {@link SpillRuns}); the hash table that combines a class's rows before it is sorted is this class's. Single-threaded.
 *
 * <p>With t-closeness ({@code histograms}) an entry is a class and one of its sensitive values' keys, with the weight
 * of that value in the class: the class's histogram is its entries, adjacent in the sorted runs, and distinct values
 * (for l) are counted from them instead of slots.
 */
final class ClassCounter implements AutoCloseable {
  private final int slots;
  private final boolean histograms;
  private final int stride;
  private final int maxEntries;
  /** The sort key's columns: (h1, h2), and the sensitive key with histograms. */
  private final int[] keyColumns;
  private long[] entries;
  private int[] index;
  private int size;
  private final SpillRuns runs;
  private long spilledBytes;

  ClassCounter(int l, Path spillDir, long memoryBudget) {
    this(l, false, spillDir, memoryBudget);
  }

  ClassCounter(int l, boolean histograms, Path spillDir, long memoryBudget) {
    this.histograms = histograms;
    this.slots = histograms || l <= 1 ? 0 : l;
    this.stride = histograms ? 4 : 3 + (slots > 0 ? 1 + slots : 0);
    long perEntry = 8L * stride + 12;
    this.maxEntries = (int) Math.max(1024, Math.min(1 << 26, memoryBudget / perEntry));
    this.keyColumns = histograms ? new int[] {0, 1, 3} : new int[] {0, 1};
    this.runs = new SpillRuns(spillDir, "classes-");
    int initial = Math.min(maxEntries, 1 << 12);
    this.entries = new long[initial * stride];
    this.index = new int[Integer.highestOneBit(initial * 2 - 1) * 2];
  }

  void add(long h1, long h2, long weight, long sensitive, boolean hasSensitive) {
    long s = histograms ? (hasSensitive ? sensitive : Closeness.NONE) : 0;
    int mask = index.length - 1;
    int slot = (int) (mix(h1 ^ h2 ^ s) & mask);
    while (true) {
      int e = index[slot];
      if (e == 0) {
        break;
      }
      int base = (e - 1) * stride;
      if (entries[base] == h1 && entries[base + 1] == h2 && (!histograms || entries[base + 3] == s)) {
        entries[base + 2] += weight;
        if (slots > 0 && hasSensitive) {
          addSensitive(base, sensitive);
        }
        return;
      }
      slot = (slot + 1) & mask;
    }
    if (size == maxEntries) {
      spill();
      add(h1, h2, weight, sensitive, hasSensitive);
      return;
    }
    if ((size + 1) * stride > entries.length) {
      entries = java.util.Arrays.copyOf(entries, (int) Math.min((long) maxEntries * stride, 2L * entries.length));
    }
    int base = size * stride;
    entries[base] = h1;
    entries[base + 1] = h2;
    entries[base + 2] = weight;
    if (histograms) {
      entries[base + 3] = s;
    }
    if (slots > 0) {
      entries[base + 3] = 0;
      if (hasSensitive) {
        addSensitive(base, sensitive);
      }
    }
    index[slot] = ++size;
    if (size * 2 > index.length) {
      rehash(index.length * 2);
    }
  }

  /** Keeps the {@code slots} smallest distinct hashes, ascending. */
  private void addSensitive(int base, long s) {
    int n = (int) entries[base + 3];
    int i = 0;
    while (i < n && entries[base + 4 + i] < s) {
      i++;
    }
    if (i == slots || i < n && entries[base + 4 + i] == s) {
      return;
    }
    int kept = Math.min(n, slots - 1); // when full, the largest falls off
    System.arraycopy(entries, base + 4 + i, entries, base + 5 + i, kept - i);
    entries[base + 4 + i] = s;
    entries[base + 3] = kept + 1;
  }

  private void rehash(int length) {
    index = new int[length];
    int mask = length - 1;
    for (int e = 0; e < size; e++) {
      int base = e * stride;
      int slot = (int) (mix(entries[base] ^ entries[base + 1] ^ (histograms ? entries[base + 3] : 0)) & mask);
      while (index[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      index[slot] = e + 1;
    }
  }

  private static long mix(long x) {
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    return x;
  }

  private void spill() {
    RecordSort.strided(entries, size, stride, keyColumns);
    runs.write(out -> LongRecords.write(out, entries, size, stride));
    spilledBytes += (long) size * stride * 8;
    size = 0;
    java.util.Arrays.fill(index, 0);
  }

  /** Hands the spilled runs and the sorted table over to {@code to}. The counter must not be used after. */
  void handOver(ClassCounts to) {
    RecordSort.strided(entries, size, stride, keyColumns);
    to.adopt(runs, spilledBytes, entries, size);
    spilledBytes = 0;
    entries = new long[0];
    index = new int[0];
    size = 0;
  }

  @Override
  public void close() {
    runs.close();
  }
}
