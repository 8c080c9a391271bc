package io.dataops.quality.engine;

import io.dataops.core.sort.KeyedRecords;
import io.dataops.core.sort.LongRecords;
import io.dataops.core.sort.RecordSort;
import io.dataops.core.sort.RunMerge;
import io.dataops.core.sort.SpillRuns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Values, each with an opaque locator (where the row came from), sorted by hash and then by value: in memory up
 * to a budget, in sorted runs on disk beyond it. Iterating merges the runs, so equal values arrive together —
 * exact grouping in bounded memory, however many values there are. Records stay bytes throughout: merging two
 * collections copies arrays, iterating hands out views, nothing is decoded unless the caller asks. The sort, the
 * spilled runs and their merge are core's external sort ({@link RecordSort}, {@link SpillRuns}, {@link RunMerge});
 * this class keeps the record layout and the grouping specialisation ({@link #forGrouping}). Besides its own budget,
 * every collection of a run draws on the run's {@link ValueMemory}: it grows only while the pool has room, and
 * spills (records, or kept hashes) when refused.
 */
final class SortedValueRecords {
  private final Path dir;
  private final long budget;
  private final ValueMemory memory;
  // Record i: arena[offsets[i] ..] = [valueLen:4][value][locatorLen:4][locator]; records lie in insertion order.
  // Small at first: a run may hold thousands of collections (a rule per column, a state per thread).
  private byte[] arena = new byte[1 << 13];
  private int used;
  private long[] hashes = new long[256];
  private int[] offsets = new int[256];
  private int count;
  /** Bytes of {@link #memory} held by the arena and the two arrays beside it. */
  private long heldRecords;
  private final SpillRuns runs;
  /**
   * Grouping only ({@link #forGrouping}): runs are spilled as they came, unsorted, and every record's hash is also
   * kept here (8 bytes a record), so that grouping sorts bare hashes and reads back only the records whose hash is
   * shared.
   */
  private final boolean grouping;
  private final List<long[]> fullHashChunks = new ArrayList<>();
  private long[] hashChunk = new long[0];
  private int hashChunkFill;
  /** Hashes kept in memory now (in the chunks); the others went to {@link #hashRuns}. */
  private long keptHashes;
  /** Bytes of {@link #memory} held by the chunks. */
  private long heldHashes;
  /** Kept hashes spilled in sorted runs when the run's memory had no room for more (grouping only). */
  private final SpillRuns hashRuns;
  /** Hashes are kept in chunks, so that neither growing nor merging copies them (or needs room for a copy). */
  private static final int HASH_CHUNK = 1 << 18;
  /** Refused more memory, kept hashes spill once there are this many (512 KB); fewer are held regardless. */
  private static final int HASH_SPILL_FLOOR = 1 << 16;
  /** Hash runs merged at once (each read through a 64 KB buffer); more are merged in rounds. */
  private static final int HASH_FAN_IN = 64;

  SortedValueRecords(Path dir, long budget) {
    this(dir, budget, ValueMemory.unbounded());
  }

  SortedValueRecords(Path dir, long budget, ValueMemory memory) {
    this(dir, budget, false, memory);
  }

  private SortedValueRecords(Path dir, long budget, boolean grouping, ValueMemory memory) {
    this.dir = dir;
    this.budget = Math.max(1 << 16, budget);
    this.grouping = grouping;
    this.memory = memory;
    this.runs = new SpillRuns(dir, "values");
    this.hashRuns = new SpillRuns(dir, "hashes");
    heldRecords = arena.length + 12L * hashes.length;
    memory.overdraw(heldRecords);
  }

  /** Records that are only ever visited by {@link #forEachSharedHash}. */
  static SortedValueRecords forGrouping(Path dir, long budget) {
    return forGrouping(dir, budget, ValueMemory.unbounded());
  }

  static SortedValueRecords forGrouping(Path dir, long budget, ValueMemory memory) {
    return new SortedValueRecords(dir, budget, true, memory);
  }

  void add(long hash, byte[] value, int valueLen, byte[] locator, int locatorLen) {
    int need = 8 + valueLen + locatorLen;
    if (count > 0 && (overBudget(need) || !ensure(need, 1, false))) {
      spill();
    }
    ensure(need, 1, true);
    hashes[count] = hash;
    offsets[count] = used;
    used = putInt(arena, used, valueLen);
    System.arraycopy(value, 0, arena, used, valueLen);
    used += valueLen;
    used = putInt(arena, used, locatorLen);
    System.arraycopy(locator, 0, arena, used, locatorLen);
    used += locatorLen;
    count++;
    keepHash(hash);
  }

  /**
   * Whether one more record of {@code bytes} would pass the budget. Kept hashes count too, up to half of it, so
   * records in memory always have the other half (past that, hashes alone grow: 8 bytes a value).
   */
  private boolean overBudget(int bytes) {
    long kept = Math.min(8L * keptHashes, budget / 2);
    return (long) used + bytes + (count + 1L) * 12 + kept > budget;
  }

  private void keepHash(long hash) {
    if (!grouping) {
      return;
    }
    if (hashChunkFill == hashChunk.length) {
      if (hashChunkFill > 0) {
        fullHashChunks.add(hashChunk);
      }
      // Chunks grow with the count (a column of a few values, of which a wide table has thousands, stays small).
      int size = (int) Math.min(HASH_CHUNK, Math.max(256, keptHashes));
      if (!memory.reserve(8L * size)) {
        if (keptHashes >= HASH_SPILL_FLOOR) {
          spillHashes();
          size = 256;
        }
        memory.overdraw(8L * size);
      }
      heldHashes += 8L * size;
      hashChunk = new long[size];
      hashChunkFill = 0;
    }
    hashChunk[hashChunkFill++] = hash;
    keptHashes++;
  }

  /** Writes the kept hashes, sorted, as a run and gives their memory back. */
  private void spillHashes() {
    List<long[]> chunks = takeHashChunks();
    hashRuns.write(out -> {
      try {
        RecordSort.sortSpread(chunks, longsTo(out));
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    });
    keptHashes = 0;
    memory.release(heldHashes);
    heldHashes = 0;
  }

  /** The kept hashes as full arrays (the partly filled chunk trimmed), leaving none here. */
  private List<long[]> takeHashChunks() {
    List<long[]> all = new ArrayList<>(fullHashChunks);
    if (hashChunkFill > 0) {
      all.add(Arrays.copyOf(hashChunk, hashChunkFill));
    }
    fullHashChunks.clear();
    hashChunk = new long[0];
    hashChunkFill = 0;
    return all;
  }

  /** Drops the memory of records that went elsewhere (absorbed, spilled for good, or read). */
  private void release() {
    arena = new byte[0];
    hashes = new long[0];
    offsets = new int[0];
    count = 0;
    used = 0;
    memory.release(heldRecords);
    heldRecords = 0;
  }

  /** A whole record as it lies in an arena or a run: [valueLen][value][locatorLen][locator]. */
  private void addRecord(long hash, byte[] b, int off, int len) {
    if (count > 0 && (overBudget(len) || !ensure(len, 1, false))) {
      spill();
    }
    ensure(len, 1, true);
    hashes[count] = hash;
    offsets[count] = used;
    System.arraycopy(b, off, arena, used, len);
    used += len;
    count++;
  }

  /**
   * Grows the arena and the arrays beside it for {@code bytes} and {@code records} more, with the run's memory's
   * leave: false, growing nothing, when the pool refuses, unless {@code force} (room for one record).
   */
  private boolean ensure(int bytes, int records, boolean force) {
    int arenaSize = used + bytes <= arena.length ? arena.length
        : (int) Math.min(Integer.MAX_VALUE - 16, Math.max(arena.length * 2L, used + bytes));
    int cap = count + records <= hashes.length ? hashes.length : Math.max(hashes.length * 2, count + records);
    long grow = (arenaSize - arena.length) + 12L * (cap - hashes.length);
    if (grow == 0) {
      return true;
    }
    if (!memory.reserve(grow)) {
      if (!force) {
        return false;
      }
      memory.overdraw(grow);
    }
    heldRecords += grow;
    if (arenaSize != arena.length) {
      arena = Arrays.copyOf(arena, arenaSize);
    }
    if (cap != hashes.length) {
      hashes = Arrays.copyOf(hashes, cap);
      offsets = Arrays.copyOf(offsets, cap);
    }
    return true;
  }

  /** Moves everything of {@code other} into this collection: runs are handed over, memory is copied as bytes. */
  void absorb(SortedValueRecords other) {
    runs.adopt(other.runs);
    if (grouping) {
      hashRuns.adopt(other.hashRuns);
      fullHashChunks.addAll(other.takeHashChunks());
      keptHashes += other.keptHashes;
      other.keptHashes = 0;
      heldHashes += other.heldHashes; // the memory moves with the chunks
      other.heldHashes = 0;
    }
    if (other.count == 0) {
      other.release();
      return;
    }
    if ((long) used + other.used + (count + (long) other.count) * 12 > budget
        || !ensure(other.used, other.count, false)) {
      other.spill();
      runs.adopt(other.runs);
      other.release();
      return;
    }
    System.arraycopy(other.arena, 0, arena, used, other.used);
    System.arraycopy(other.hashes, 0, hashes, count, other.count);
    for (int i = 0; i < other.count; i++) {
      offsets[count + i] = other.offsets[i] + used;
    }
    used += other.used;
    count += other.count;
    other.release();
  }

  private void spill() {
    int[] order = grouping ? null : sortedOrder(); // grouping spills records as they came
    runs.write(out -> {
      KeyedRecords.Writer w = new KeyedRecords.Writer(out);
      for (int i = 0; i < count; i++) {
        int idx = order == null ? i : order[i];
        int start = offsets[idx];
        w.write(hashes[idx], arena, start, recordEnd(arena, start) - start);
      }
      w.flush();
    });
    count = 0;
    used = 0;
  }

  static int recordEnd(byte[] b, int start) {
    int p = start + 4 + getInt(b, start);
    return p + 4 + getInt(b, p);
  }

  static int getInt(byte[] b, int p) {
    return ((b[p] & 0xff) << 24) | ((b[p + 1] & 0xff) << 16) | ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
  }

  static int putInt(byte[] b, int p, int v) {
    b[p] = (byte) (v >>> 24);
    b[p + 1] = (byte) (v >>> 16);
    b[p + 2] = (byte) (v >>> 8);
    b[p + 3] = (byte) v;
    return p + 4;
  }

  /** Indices of the in-memory records in (hash, value) order: radix sort on the hash, then ties by value. */
  private int[] sortedOrder() {
    int n = count;
    int[] idx = RecordSort.radixOrder(hashes, n);
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
    int aLen = getInt(a, aOff);
    int bLen = getInt(b, bOff);
    return Arrays.compareUnsigned(a, aOff + 4, aOff + 4 + aLen, b, bOff + 4, bOff + 4 + bLen);
  }

  /** A record seen through the buffer it lies in. */
  static final class View {
    long hash;
    byte[] buf;
    int offset;
    /** The buffer is refilled by the next record (a spilled run): copy what must outlive the visit. */
    boolean transientBuffer;

    int valueOffset() {
      return offset + 4;
    }

    int valueLength() {
      return getInt(buf, offset);
    }

    int locatorOffset() {
      return offset + 8 + valueLength();
    }

    int locatorLength() {
      return getInt(buf, offset + 4 + valueLength());
    }

    byte[] value() {
      return Arrays.copyOfRange(buf, valueOffset(), valueOffset() + valueLength());
    }

    byte[] locator() {
      return Arrays.copyOfRange(buf, locatorOffset(), locatorOffset() + locatorLength());
    }

    int compareTo(View o) {
      int c = Long.compare(hash, o.hash);
      return c != 0 ? c : compareValues(buf, offset, o.buf, o.offset);
    }
  }

  /** Receives the records in (hash, value) order. */
  interface Visitor {
    void visit(View r);
  }

  /**
   * Visits, in (hash, value) order, only the records whose hash another record shares — the only ones that can hold
   * a duplicated value — and returns how many it left out (each a value that occurs once). Sorting the bare hashes
   * and confirming the few shared ones by their bytes touches the values of candidates only, where sorting every
   * record by (hash, value) reads them all in random order. A collection that spilled is visited whole (returns 0).
   */
  long forEachSharedHash(Visitor visitor) {
    if (!runs.isEmpty()) {
      return forEachSharedHashSpilled(visitor);
    }
    // Kept hashes are the in-memory records' hashes here (the sort consumes them: records carry their own).
    long[] onceCount = {0};
    HashFilter filter = grouping ? sharedHashes(onceCount)
        : HashFilter.of(new ArrayList<>(List.of(Arrays.copyOf(hashes, count))), onceCount);
    long once = visitShared(filter, onceCount[0], visitor);
    release();
    return once;
  }

  /**
   * The hashes kept that occur more than once, counting those that occur once into {@code once[0]}: sorted in
   * memory, or, when some spilled, by merging the sorted runs (in rounds of {@link #HASH_FAN_IN}). Gives the kept
   * hashes' memory back.
   */
  private HashFilter sharedHashes(long[] once) {
    try {
      if (hashRuns.isEmpty()) {
        return HashFilter.of(takeHashChunks(), once);
      }
      spillHashes();
      while (hashRuns.size() > HASH_FAN_IN) {
        List<Path> round = List.copyOf(hashRuns.files().subList(0, HASH_FAN_IN));
        hashRuns.write(out -> mergeHashRuns(round, longsTo(out)));
        round.forEach(hashRuns::delete);
      }
      HashFilter.Runs runs = new HashFilter.Runs();
      mergeHashRuns(List.copyOf(hashRuns.files()), runs);
      return HashFilter.of(runs, once);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read spilled hashes", e);
    } finally {
      hashRuns.close();
      fullHashChunks.clear();
      hashChunk = new long[0];
      hashChunkFill = 0;
      keptHashes = 0;
      memory.release(heldHashes);
      heldHashes = 0;
    }
  }

  /** Blocks written to {@code out} as they come (a failure as {@link UncheckedIOException}, for the caller to unwrap). */
  private static RecordSort.SortedBlocks longsTo(java.io.DataOutputStream out) {
    return (keys, from, to) -> {
      try {
        for (int i = from; i < to; i++) {
          out.writeLong(keys[i]);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  /** Hands the longs of sorted hash runs to {@code blocks} in ascending order, a block at a time. */
  private static void mergeHashRuns(List<Path> files, RecordSort.SortedBlocks blocks) throws IOException {
    List<LongRecords> sources = new ArrayList<>();
    try {
      for (Path f : files) {
        sources.add(LongRecords.read(f, 1));
      }
    } catch (IOException e) {
      sources.forEach(LongRecords::close);
      throw e;
    }
    long[] block = new long[4096];
    int n = 0;
    try (RunMerge<LongRecords> merge = new RunMerge<>(sources, (a, b) -> Long.compare(a.record[0], b.record[0]))) {
      for (LongRecords r = merge.next(); r != null; r = merge.next()) {
        block[n++] = r.record[0];
        if (n == block.length) {
          blocks.accept(block, 0, n);
          n = 0;
        }
      }
      if (n > 0) {
        blocks.accept(block, 0, n);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /**
   * The same over spilled records, reading each run once from start to end: only the records whose hash is shared
   * are kept, in a collection of their own that sorts them (spilling again if they are many).
   */
  private long forEachSharedHashSpilled(Visitor visitor) {
    if (!grouping) {
      throw new IllegalStateException("hashes are kept only by records made forGrouping");
    }
    long[] once = {0};
    HashFilter filter = sharedHashes(once);
    SortedValueRecords shared = new SortedValueRecords(dir, budget, memory);
    try {
      for (int i = 0; i < count; i++) {
        if (filter.contains(hashes[i])) {
          int start = offsets[i];
          shared.addRecord(hashes[i], arena, start, recordEnd(arena, start) - start);
        }
      }
      for (Path run : List.copyOf(runs.files())) {
        KeyedRecords in = KeyedRecords.read(run, filter::contains);
        try {
          while (in.advance()) {
            shared.addRecord(in.key, in.buf, in.offset, in.length);
          }
        } finally {
          in.close();
        }
        runs.delete(run);
      }
    } catch (IOException e) {
      shared.runs.close();
      throw new UncheckedIOException("cannot read spilled values", e);
    } catch (RuntimeException e) {
      shared.runs.close();
      throw e;
    } finally {
      runs.close();
      release();
    }
    shared.forEachSorted(visitor);
    return once[0];
  }

  /** The hashes that occur more than once among sorted ones, asked about cheaply (a bitmap, then a search). */
  private record HashFilter(long[] shared, long[] bitmap, int mask) {
    /** Also counts, into {@code once[0]}, the hashes that occur exactly once. Consumes (nulls) the mutable chunks. */
    static HashFilter of(List<long[]> chunks, long[] once) {
      // Sorted by core's bucket sort for spread keys (no array of all the hashes is ever made), then scanned for
      // runs of equal hashes across the sorted blocks.
      Runs runs = new Runs();
      RecordSort.sortSpread(chunks, runs);
      return of(runs, once);
    }

    /** The filter of hashes {@code runs} was handed in order. */
    static HashFilter of(Runs runs, long[] once) {
      runs.end();
      once[0] += runs.once;
      long[] shared = Arrays.copyOf(runs.shared, runs.sharedCount);
      int sharedCount = shared.length;
      // A bitmap of the shared hashes' low bits rules out nearly every other record without a search.
      int bits = Integer.highestOneBit(Math.max(64, Math.min(1 << 30, sharedCount * 16)) - 1) << 1;
      long[] bitmap = new long[bits >>> 6];
      int mask = bits - 1;
      for (long h : shared) {
        int b = (int) h & mask;
        bitmap[b >>> 6] |= 1L << b;
      }
      return new HashFilter(shared, bitmap, mask);
    }

    /** Counts, over hashes arriving in order, those seen once and collects those seen more than once. */
    private static final class Runs implements RecordSort.SortedBlocks {
      long once;
      long[] shared = new long[16];
      int sharedCount;
      boolean have;
      long current;
      long run;

      @Override
      public void accept(long[] keys, int from, int to) {
        for (int i = from; i < to; i++) {
          long h = keys[i];
          if (have && h == current) {
            run++;
            continue;
          }
          end();
          have = true;
          current = h;
          run = 1;
        }
      }

      /** Closes the current run of equal hashes. */
      void end() {
        if (!have) {
          return;
        }
        if (run == 1) {
          once++;
        } else {
          if (sharedCount == shared.length) {
            shared = Arrays.copyOf(shared, sharedCount * 2);
          }
          shared[sharedCount++] = current;
        }
        have = false;
      }
    }

    boolean isEmpty() {
      return shared.length == 0;
    }

    boolean contains(long h) {
      int b = (int) h & mask;
      return (bitmap[b >>> 6] & (1L << b)) != 0 && Arrays.binarySearch(shared, h) >= 0;
    }
  }

  /** The in-memory case: visits the records that {@code filter} holds. */
  private long visitShared(HashFilter filter, long once, Visitor visitor) {
    if (filter.isEmpty()) {
      return once;
    }
    int[] candidates = new int[Math.min(count, filter.shared().length * 4)];
    int n = 0;
    for (int i = 0; i < count; i++) {
      if (filter.contains(hashes[i])) {
        if (n == candidates.length) {
          candidates = Arrays.copyOf(candidates, Math.min(count, n * 2));
        }
        candidates[n++] = i;
      }
    }
    Integer[] order = new Integer[n];
    for (int k = 0; k < n; k++) {
      order[k] = candidates[k];
    }
    Arrays.sort(order, (a, b) -> {
      int c = Long.compare(hashes[a], hashes[b]);
      return c != 0 ? c : compareValues(arena, offsets[a], arena, offsets[b]);
    });
    View view = new View();
    view.buf = arena;
    for (Integer idx : order) {
      view.hash = hashes[idx];
      view.offset = offsets[idx];
      visitor.visit(view);
    }
    return once;
  }

  /** Streams every record in order, merging the runs on disk with what is in memory; then removes the runs. */
  void forEachSorted(Visitor visitor) {
    try (Sorted sorted = openSorted()) {
      for (View v = sorted.next(); v != null; v = sorted.next()) {
        visitor.visit(v);
      }
    }
  }

  /**
   * The records in (hash, value) order, pulled one at a time (for merge-joining two collections). A view is valid
   * until the next call. Closing removes the runs and drops the records in memory: the collection is read.
   */
  Sorted openSorted() {
    if (grouping && !runs.isEmpty()) {
      throw new IllegalStateException("records made forGrouping spill unsorted runs: visit them by forEachSharedHash");
    }
    return new Sorted();
  }

  final class Sorted implements AutoCloseable {
    private final RunMerge<Cursor> merge;

    private Sorted() {
      List<Cursor> cursors = new ArrayList<>();
      cursors.add(new MemoryCursor(sortedOrder()));
      try {
        for (Path run : runs.files()) {
          cursors.add(new FileCursor(KeyedRecords.read(run)));
        }
      } catch (IOException e) {
        cursors.forEach(Cursor::close);
        runs.close();
        throw new UncheckedIOException("cannot read spilled values", e);
      }
      try {
        merge = new RunMerge<>(cursors, (a, b) -> a.view.compareTo(b.view));
      } catch (RuntimeException e) {
        runs.close();
        throw e;
      }
    }

    View next() {
      Cursor c = merge.next();
      return c == null ? null : c.view;
    }

    @Override
    public void close() {
      merge.close();
      runs.close();
      release();
    }
  }

  private abstract static class Cursor implements RunMerge.Source {
    final View view = new View();
  }

  private final class MemoryCursor extends Cursor {
    private final int[] order;
    private int next;

    MemoryCursor(int[] order) {
      this.order = order;
      view.buf = arena;
    }

    @Override
    public boolean advance() {
      if (next >= order.length) {
        return false;
      }
      int idx = order[next++];
      view.hash = hashes[idx];
      view.offset = offsets[idx];
      return true;
    }
  }

  /** A spilled run: the view is over the reader's buffer, refilled by the next record. */
  private static final class FileCursor extends Cursor {
    private final KeyedRecords in;

    FileCursor(KeyedRecords in) {
      this.in = in;
      view.transientBuffer = true;
    }

    @Override
    public boolean advance() throws IOException {
      if (!in.advance()) {
        return false;
      }
      view.buf = in.buf;
      view.hash = in.key;
      view.offset = in.offset;
      return true;
    }

    @Override
    public void close() {
      in.close();
    }
  }
}
