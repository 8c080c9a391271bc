package io.dataops.quality.engine;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Values (with, optionally, where each came from) sorted by hash and then by value, in memory up to a budget and
 * in sorted runs on disk beyond it. Iterating merges the runs, so equal values arrive together: exact grouping in
 * bounded memory, however many values there are.
 */
final class SortedValueRecords {
  private final boolean withRows;
  private final Path dir;
  private final long budget;
  private byte[] arena = new byte[1 << 16];
  private int used;
  private long[] hashes = new long[1024];
  private int[] offsets = new int[1024];
  private int count;
  private final List<Path> runs = new ArrayList<>();
  private long total;

  SortedValueRecords(boolean withRows, Path dir, long budget) {
    this.withRows = withRows;
    this.dir = dir;
    this.budget = Math.max(1 << 16, budget);
  }

  long size() {
    return total;
  }

  void add(long hash, byte[] value, int valueLen, String rowKey, String feedId, long rowNumber) {
    byte[] key = withRows && rowKey != null ? rowKey.getBytes(StandardCharsets.UTF_8) : null;
    byte[] feed = withRows && feedId != null ? feedId.getBytes(StandardCharsets.UTF_8) : null;
    int need = 4 + valueLen + (withRows ? 4 + (key == null ? 0 : key.length) + 2 + (feed == null ? 0 : feed.length) + 8 : 0);
    if ((long) used + need + (count + 1L) * 12 > budget && count > 0) {
      spill();
    }
    if (used + need > arena.length) {
      arena = Arrays.copyOf(arena, Math.max(arena.length * 2, used + need));
    }
    if (count == hashes.length) {
      hashes = Arrays.copyOf(hashes, count * 2);
      offsets = Arrays.copyOf(offsets, count * 2);
    }
    hashes[count] = hash;
    offsets[count] = used;
    used = putInt(used, valueLen);
    System.arraycopy(value, 0, arena, used, valueLen);
    used += valueLen;
    if (withRows) {
      used = putBytes(used, key, true);
      used = putBytes(used, feed, false);
      for (int i = 7; i >= 0; i--) {
        arena[used++] = (byte) (rowNumber >>> (i * 8));
      }
    }
    count++;
    total++;
  }

  private int putInt(int at, int v) {
    arena[at] = (byte) (v >>> 24);
    arena[at + 1] = (byte) (v >>> 16);
    arena[at + 2] = (byte) (v >>> 8);
    arena[at + 3] = (byte) v;
    return at + 4;
  }

  private int putBytes(int at, byte[] b, boolean intLength) {
    int len = b == null ? 0 : b.length;
    if (intLength) {
      at = putInt(at, b == null ? -1 : len);
    } else {
      arena[at++] = (byte) ((b == null ? 0xFFFF : len) >>> 8);
      arena[at++] = (byte) (b == null ? 0xFFFF : len);
    }
    if (len > 0) {
      System.arraycopy(b, 0, arena, at, len);
    }
    return at + len;
  }

  /** Moves everything of {@code other} into this collection (merging two threads' states). */
  void absorb(SortedValueRecords other) {
    runs.addAll(other.runs);
    other.runs.clear();
    int[] order = other.sortedOrder();
    for (int idx : order) {
      Record r = other.recordAt(other.offsets[idx], other.hashes[idx]);
      add(r.hash, r.value, r.value.length, r.rowKey, r.feedId, r.rowNumber);
      total--; // add() counted it again
    }
    total += other.count;
    other.count = 0;
    other.used = 0;
  }

  private void spill() {
    int[] order = sortedOrder();
    try {
      Files.createDirectories(dir);
      Path run = Files.createTempFile(dir, "values", ".run");
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(run), 1 << 16))) {
        for (int idx : order) {
          int start = offsets[idx];
          int end = idx + 1 < count ? offsets[idx + 1] : used; // records lie in the arena in insertion order
          out.writeLong(hashes[idx]);
          out.writeInt(end - start);
          out.write(arena, start, end - start);
        }
      }
      runs.add(run);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot spill values to " + dir, e);
    }
    count = 0;
    used = 0;
  }

  /** Indices of the in-memory records in (hash, value) order: radix sort on the hash, then ties by value. */
  private int[] sortedOrder() {
    int n = count;
    int[] idx = new int[n];
    int[] tmp = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    int[] counts = new int[1 << 16];
    for (int shift = 0; shift < 64; shift += 16) {
      Arrays.fill(counts, 0);
      for (int i = 0; i < n; i++) {
        counts[digit(hashes[idx[i]], shift)]++;
      }
      int sum = 0;
      for (int d = 0; d < counts.length; d++) {
        int c = counts[d];
        counts[d] = sum;
        sum += c;
      }
      for (int i = 0; i < n; i++) {
        tmp[counts[digit(hashes[idx[i]], shift)]++] = idx[i];
      }
      int[] swap = idx;
      idx = tmp;
      tmp = swap;
    }
    // Equal hashes: order by value, so that different values that collide are never interleaved.
    for (int i = 0; i < n; ) {
      int j = i + 1;
      while (j < n && hashes[idx[j]] == hashes[idx[i]]) {
        j++;
      }
      if (j - i > 1 && !allSameValue(idx, i, j)) {
        Integer[] boxed = new Integer[j - i];
        for (int k = i; k < j; k++) {
          boxed[k - i] = idx[k];
        }
        Arrays.sort(boxed, (a, b) -> compareValues(arena, offsets[a], arena, offsets[b]));
        for (int k = i; k < j; k++) {
          idx[k] = boxed[k - i];
        }
      }
      i = j;
    }
    return idx;
  }

  private static int digit(long hash, int shift) {
    // Flip the sign bit so the unsigned digit order equals signed long order.
    return (int) (((hash ^ Long.MIN_VALUE) >>> shift) & 0xFFFF);
  }

  private boolean allSameValue(int[] idx, int from, int to) {
    for (int k = from + 1; k < to; k++) {
      if (compareValues(arena, offsets[idx[from]], arena, offsets[idx[k]]) != 0) {
        return false;
      }
    }
    return true;
  }

  /** Compares two length-prefixed values. */
  static int compareValues(byte[] a, int aOff, byte[] b, int bOff) {
    int aLen = ((a[aOff] & 0xff) << 24) | ((a[aOff + 1] & 0xff) << 16) | ((a[aOff + 2] & 0xff) << 8) | (a[aOff + 3] & 0xff);
    int bLen = ((b[bOff] & 0xff) << 24) | ((b[bOff + 1] & 0xff) << 16) | ((b[bOff + 2] & 0xff) << 8) | (b[bOff + 3] & 0xff);
    return Arrays.compareUnsigned(a, aOff + 4, aOff + 4 + aLen, b, bOff + 4, bOff + 4 + bLen);
  }

  /** One record as read back. */
  static final class Record {
    long hash;
    byte[] value;
    String rowKey;
    String feedId;
    long rowNumber;

    int compareTo(Record o) {
      int c = Long.compare(hash, o.hash);
      return c != 0 ? c : Arrays.compareUnsigned(value, o.value);
    }

    boolean sameValue(Record o) {
      return hash == o.hash && Arrays.equals(value, o.value);
    }
  }

  private Record recordAt(int start, long hash) {
    return decode(arena, start, hash);
  }

  private Record decode(byte[] buf, int p, long hash) {
    Record r = new Record();
    r.hash = hash;
    int valueLen = ((buf[p] & 0xff) << 24) | ((buf[p + 1] & 0xff) << 16) | ((buf[p + 2] & 0xff) << 8) | (buf[p + 3] & 0xff);
    p += 4;
    r.value = Arrays.copyOfRange(buf, p, p + valueLen);
    p += valueLen;
    if (withRows) {
      int keyLen = ((buf[p] & 0xff) << 24) | ((buf[p + 1] & 0xff) << 16) | ((buf[p + 2] & 0xff) << 8) | (buf[p + 3] & 0xff);
      p += 4;
      if (keyLen >= 0) {
        r.rowKey = new String(buf, p, keyLen, StandardCharsets.UTF_8);
        p += keyLen;
      }
      int feedLen = ((buf[p] & 0xff) << 8) | (buf[p + 1] & 0xff);
      p += 2;
      if (feedLen != 0xFFFF) {
        r.feedId = new String(buf, p, feedLen, StandardCharsets.UTF_8);
        p += feedLen;
      }
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (buf[p + i] & 0xff);
      }
      r.rowNumber = v;
    }
    return r;
  }

  /** Receives the records in (hash, value) order. */
  interface Visitor {
    void visit(Record r);
  }

  /** Streams every record in order, merging the runs on disk with what is in memory; then removes the runs. */
  void forEachSorted(Visitor visitor) {
    List<Cursor> cursors = new ArrayList<>();
    try {
      int[] order = sortedOrder();
      cursors.add(new MemoryCursor(order));
      for (Path run : runs) {
        cursors.add(new FileCursor(run));
      }
      PriorityQueue<Cursor> queue = new PriorityQueue<>((a, b) -> a.current.compareTo(b.current));
      for (Cursor c : cursors) {
        if (c.advance()) {
          queue.add(c);
        }
      }
      while (!queue.isEmpty()) {
        Cursor c = queue.poll();
        visitor.visit(c.current);
        if (c.advance()) {
          queue.add(c);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read spilled values", e);
    } finally {
      for (Cursor c : cursors) {
        c.close();
      }
      for (Path run : runs) {
        try {
          Files.deleteIfExists(run);
        } catch (IOException ignored) {
          // a temporary file in the run's own folder, removed with it
        }
      }
      runs.clear();
    }
  }

  private abstract static class Cursor {
    Record current;

    abstract boolean advance() throws IOException;

    void close() {}
  }

  private final class MemoryCursor extends Cursor {
    private final int[] order;
    private int next;

    MemoryCursor(int[] order) {
      this.order = order;
    }

    @Override
    boolean advance() {
      if (next >= order.length) {
        return false;
      }
      int idx = order[next++];
      current = recordAt(offsets[idx], hashes[idx]);
      return true;
    }
  }

  private final class FileCursor extends Cursor {
    private final DataInputStream in;
    private byte[] buf = new byte[256];

    FileCursor(Path run) throws IOException {
      this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(run), 1 << 16));
    }

    @Override
    boolean advance() throws IOException {
      long hash;
      try {
        hash = in.readLong();
      } catch (EOFException end) {
        return false;
      }
      int len = in.readInt();
      if (buf.length < len) {
        buf = new byte[Math.max(len, buf.length * 2)];
      }
      in.readFully(buf, 0, len);
      current = decode(buf, 0, hash);
      return true;
    }

    @Override
    void close() {
      try {
        in.close();
      } catch (IOException ignored) {
        // reading is over
      }
    }
  }
}
