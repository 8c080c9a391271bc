package io.dataops.pipelines.privacy;

import io.dataops.core.files.OwnerOnly;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts equivalence classes (by the 128-bit hash of their quasi-identifier values) with their weight and, for
 * l-diversity, the {@code l} smallest distinct sensitive-value hashes (ascending: the set a merge of parts keeps too),
 * in bounded memory: when the table is full it is sorted and spilled as a run. At the end the runs and the sorted
 * table are handed over as {@link ClassCounts}, which merges them. Memory is about {@code (8 * stride + 12)} bytes per
 * class held, whatever the input size. Single-threaded.
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
  private final Path spillDir;
  private long[] entries;
  private int[] index;
  private int size;
  private final List<Path> runs = new ArrayList<>();
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
    this.spillDir = spillDir;
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
    sort(0, size - 1);
    try {
      OwnerOnly.directories(spillDir);
      Path run = Files.createTempFile(spillDir, "classes-", ".run");
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(run), 1 << 16))) {
        for (int i = 0; i < size * stride; i++) {
          out.writeLong(entries[i]);
        }
      }
      spilledBytes += (long) size * stride * 8;
      runs.add(run);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot spill equivalence classes to " + spillDir, e);
    }
    size = 0;
    java.util.Arrays.fill(index, 0);
  }

  /** Hands the spilled runs and the sorted table over to {@code to}. The counter must not be used after. */
  void handOver(ClassCounts to) {
    sort(0, size - 1);
    to.adopt(runs, spilledBytes, entries, size);
    runs.clear();
    spilledBytes = 0;
    entries = new long[0];
    index = new int[0];
    size = 0;
  }

  /** In-place quicksort of the records by (h1, h2) (and the sensitive key, with histograms). */
  private void sort(int lo, int hi) {
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

  private int compare(int a, int b) {
    int c = Long.compare(entries[a * stride], entries[b * stride]);
    if (c == 0) {
      c = Long.compare(entries[a * stride + 1], entries[b * stride + 1]);
    }
    return c != 0 || !histograms ? c : Long.compare(entries[a * stride + 3], entries[b * stride + 3]);
  }

  private void swap(int a, int b) {
    if (a == b) {
      return;
    }
    int x = a * stride;
    int y = b * stride;
    for (int i = 0; i < stride; i++) {
      long t = entries[x + i];
      entries[x + i] = entries[y + i];
      entries[y + i] = t;
    }
  }

  @Override
  public void close() {
    for (Path run : runs) {
      try {
        Files.deleteIfExists(run);
      } catch (IOException ignored) {
        // scratch space; the job's work folder is removed as a whole too
      }
    }
    runs.clear();
  }
}
