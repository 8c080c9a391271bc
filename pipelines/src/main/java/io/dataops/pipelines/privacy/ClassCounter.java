package io.dataops.pipelines.privacy;

import io.dataops.core.files.OwnerOnly;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Counts equivalence classes (by the 128-bit hash of their quasi-identifier values) with their weight and, for
 * l-diversity, up to {@code l} distinct sensitive-value hashes, in bounded memory: when the table is full it is sorted
 * and spilled as a run, and the runs are merged at the end. Memory is about {@code (8 * stride + 12)} bytes per class
 * held, whatever the input size. Single-threaded.
 */
final class ClassCounter implements AutoCloseable {
  /** One merged class, in ascending (h1, h2) order. */
  interface Cursor extends AutoCloseable {
    boolean next();

    long h1();

    long h2();

    long weight();

    /** Distinct sensitive values seen, capped at l (0 without l-diversity). */
    int distinct();

    @Override
    void close();
  }

  private final int slots;
  private final int stride;
  private final int maxEntries;
  private final Path spillDir;
  private long[] entries;
  private int[] index;
  private int size;
  private final List<Path> runs = new ArrayList<>();
  private long spilledBytes;

  ClassCounter(int l, Path spillDir, long memoryBudget) {
    this.slots = l > 1 ? l : 0;
    this.stride = 3 + (slots > 0 ? 1 + slots : 0);
    long perEntry = 8L * stride + 12;
    this.maxEntries = (int) Math.max(1024, Math.min(1 << 26, memoryBudget / perEntry));
    this.spillDir = spillDir;
    int initial = Math.min(maxEntries, 1 << 12);
    this.entries = new long[initial * stride];
    this.index = new int[Integer.highestOneBit(initial * 2 - 1) * 2];
  }

  void add(long h1, long h2, long weight, long sensitive, boolean hasSensitive) {
    int mask = index.length - 1;
    int slot = (int) (mix(h1 ^ h2) & mask);
    while (true) {
      int e = index[slot];
      if (e == 0) {
        break;
      }
      int base = (e - 1) * stride;
      if (entries[base] == h1 && entries[base + 1] == h2) {
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

  private void addSensitive(int base, long s) {
    int n = (int) entries[base + 3];
    if (n >= slots) {
      return;
    }
    for (int i = 0; i < n; i++) {
      if (entries[base + 4 + i] == s) {
        return;
      }
    }
    entries[base + 4 + n] = s;
    entries[base + 3] = n + 1;
  }

  private void rehash(int length) {
    index = new int[length];
    int mask = length - 1;
    for (int e = 0; e < size; e++) {
      int base = e * stride;
      int slot = (int) (mix(entries[base] ^ entries[base + 1]) & mask);
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

  long spilledBytes() {
    return spilledBytes;
  }

  /** All classes, merged, in (h1, h2) order. The counter must not be used after. */
  Cursor finish() {
    if (runs.isEmpty()) {
      sort(0, size - 1);
      return new Cursor() {
        int i = -1;

        @Override
        public boolean next() {
          return ++i < size;
        }

        @Override
        public long h1() {
          return entries[i * stride];
        }

        @Override
        public long h2() {
          return entries[i * stride + 1];
        }

        @Override
        public long weight() {
          return entries[i * stride + 2];
        }

        @Override
        public int distinct() {
          return slots > 0 ? (int) entries[i * stride + 3] : 0;
        }

        @Override
        public void close() { }
      };
    }
    if (size > 0) {
      spill();
    }
    entries = new long[0];
    index = new int[0];
    return new MergeCursor();
  }

  /** In-place quicksort of the records by (h1, h2). */
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
    return c != 0 ? c : Long.compare(entries[a * stride + 1], entries[b * stride + 1]);
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

  private final class RunReader {
    final DataInputStream in;
    final long[] record = new long[stride];

    RunReader(Path run) throws IOException {
      in = new DataInputStream(new BufferedInputStream(Files.newInputStream(run), 1 << 16));
    }

    boolean advance() throws IOException {
      try {
        for (int i = 0; i < stride; i++) {
          record[i] = in.readLong();
        }
        return true;
      } catch (EOFException e) {
        in.close();
        return false;
      }
    }
  }

  private final class MergeCursor implements Cursor {
    final PriorityQueue<RunReader> heap = new PriorityQueue<>((a, b) -> {
      int c = Long.compare(a.record[0], b.record[0]);
      return c != 0 ? c : Long.compare(a.record[1], b.record[1]);
    });
    final long[] current = new long[stride];

    MergeCursor() {
      try {
        for (Path run : runs) {
          RunReader r = new RunReader(run);
          if (r.advance()) {
            heap.add(r);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public boolean next() {
      if (heap.isEmpty()) {
        return false;
      }
      try {
        RunReader first = heap.poll();
        System.arraycopy(first.record, 0, current, 0, stride);
        if (first.advance()) {
          heap.add(first);
        }
        while (!heap.isEmpty() && heap.peek().record[0] == current[0] && heap.peek().record[1] == current[1]) {
          RunReader r = heap.poll();
          current[2] += r.record[2];
          if (slots > 0) {
            for (int i = 0; i < (int) r.record[3]; i++) {
              addTo(current, r.record[4 + i]);
            }
          }
          if (r.advance()) {
            heap.add(r);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return true;
    }

    private void addTo(long[] rec, long s) {
      int n = (int) rec[3];
      if (n >= slots) {
        return;
      }
      for (int i = 0; i < n; i++) {
        if (rec[4 + i] == s) {
          return;
        }
      }
      rec[4 + n] = s;
      rec[3] = n + 1;
    }

    @Override
    public long h1() {
      return current[0];
    }

    @Override
    public long h2() {
      return current[1];
    }

    @Override
    public long weight() {
      return current[2];
    }

    @Override
    public int distinct() {
      return slots > 0 ? (int) current[3] : 0;
    }

    @Override
    public void close() {
      for (RunReader r : heap) {
        try {
          r.in.close();
        } catch (IOException ignored) {
          // closing a scratch file
        }
      }
      heap.clear();
    }
  }
}
