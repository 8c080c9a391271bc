package io.dataops.pipelines.privacy;

import io.dataops.lakehouse.types.ValueType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The leak check's filter of raw personal values: a blocked Bloom filter (16 bits per expected value, every probe of
 * a value in one 512-bit block, so one cache miss per value; about 0.2% false hits, measured: 0.23%). Its size comes
 * from the expected number of values and the memory limit (once the limit caps it, false hits rise: 1.3% at 10.7 bits
 * a value, 5% at 8), its hash functions are fixed, so filters built from the same two numbers over parts of the raw
 * values (parallel subtasks: each given the whole input's expected count, not its share) merge by OR into exactly the
 * filter of all the values, bit for bit. Holds bits of hashes and a count, never a value: it
 * may be shipped and saved. Adding is single-threaded; testing ({@link #mightContain}) may be concurrent after.
 */
public final class LeakFilter {
  static final int BLOCK_BITS = 512;
  static final int PROBES = 11;
  /**
   * Opens the versioned format. The first format had no header and began with the block count, which is positive:
   * a negative first word tells them apart, so filters saved by earlier builds still load.
   */
  private static final long MAGIC = 0xD0_1F_17_7E_12_00_00_01L;
  static final int VERSION = 1;

  /**
   * A system property that lowers the engines' memory limit for the filter ({@link #memoryLimit}): how tests make a
   * small run's filter crowded enough that most values hit it.
   */
  public static final String MEMORY_LIMIT_PROPERTY = "dataops.leak-check.filter-bytes";

  private final long blocks;
  /** A {@link #touch}'s or-ed loads, kept only when they equal {@link #TOUCH_MARK}: read by nobody. */
  @SuppressWarnings("unused")
  private long touched;
  private final long[] bits;
  private long rawValues;
  private final ValueKey key = new ValueKey();

  /**
   * @param expectedRaw about how many raw personal values there are in all (sizes the filter)
   * @param maxFilterBytes the most memory the filter may take
   */
  public LeakFilter(long expectedRaw, long maxFilterBytes) {
    long wanted = Math.max(1 << 16, expectedRaw * 16);
    long limit = Math.max(64, maxFilterBytes * 8);
    this.blocks = Math.max(1, Math.min(wanted, limit) / BLOCK_BITS);
    this.bits = new long[(int) (blocks * (BLOCK_BITS / 64))];
  }

  private LeakFilter(long blocks, long[] bits, long rawValues) {
    this.blocks = blocks;
    this.bits = bits;
    this.rawValues = rawValues;
  }

  /**
   * The memory limit an engine gives its filters: {@code configured}, or the {@link #MEMORY_LIMIT_PROPERTY} when that
   * is lower. Every part of one run's filter must be built with the same limit (parts of other sizes do not merge).
   */
  public static long memoryLimit(long configured) {
    return Math.min(configured, Long.getLong(MEMORY_LIMIT_PROPERTY, configured));
  }

  /** A raw value of a personal-data column (values shorter than two characters are not personal data). */
  public void add(Object value) {
    String text = ValueType.text(value);
    if (text == null || text.codePointCount(0, text.length()) < 2) {
      return;
    }
    insert(key.reset().add(text).hash());
  }

  /** The same for a raw text value given as its UTF-8 bytes (as a columnar reader holds it): no String made. */
  public void addUtf8(byte[] utf8, int length) {
    if (codePoints(utf8, length) < 2) {
      return;
    }
    insert(key.reset().addUtf8(utf8, length).hash());
  }

  /** Raw values added (to this filter and the filters merged into it). */
  public long rawValues() {
    return rawValues;
  }

  /**
   * Adds the values of {@code other}, a filter of the same size built over other raw values, and returns this one.
   */
  public LeakFilter merge(LeakFilter other) {
    if (other == this) {
      throw new IllegalArgumentException("a filter cannot be merged with itself");
    }
    if (other.blocks != blocks) {
      throw new IllegalArgumentException("leak filters of " + blocks + " and " + other.blocks + " blocks cannot be "
          + "merged: build every part with the same expected count and memory limit");
    }
    for (int i = 0; i < bits.length; i++) {
      bits[i] |= other.bits[i];
    }
    rawValues += other.rawValues;
    return this;
  }

  /** Code points in UTF-8: the bytes that do not continue a sequence (counted up to two). */
  static int codePoints(byte[] utf8, int length) {
    int n = 0;
    for (int i = 0; i < length && n < 2; i++) {
      if ((utf8[i] & 0xC0) != 0x80) {
        n++;
      }
    }
    return n;
  }

  private void insert(Hash128 h) {
    rawValues++;
    insert(h.h1, h.h2);
  }

  /**
   * Inserts the first {@code n} hashes of {@code h1} and {@code h2} ({@link RawHashes}' batch) in three loops: the
   * blocks (a 64-bit division each), a load of each block's cache line ({@link #touch}), then the inserts, which find
   * their lines in the cache. An insert is some hundred instructions (eleven probes), so a loop of inserts alone has
   * two or three misses in flight; the loop of bare loads has as many as the core takes (6M random hashes into a 64 MB
   * filter, huge pages, medians of three alternated runs: 85-94 ns an insert against 93-143 ns without it).
   */
  void insertAll(long[] h1, long[] h2, int n) {
    rawValues += n;
    int[] at = new int[n];
    for (int i = 0; i < n; i++) {
      at[i] = block(h1[i]);
    }
    touch(at, n);
    for (int i = 0; i < n; i++) {
      insert(at[i], h2[i]);
    }
  }

  /**
   * Loads the first word of each of the first {@code n} blocks: independent loads the core issues together, so their
   * lines come from memory at once. What they read decides a branch (almost never taken) only so the compiler cannot
   * drop them; probing threads that share a filter write nothing to it.
   */
  private void touch(int[] blocks, int n) {
    long any = 0;
    for (int i = 0; i < n; i++) {
      any |= bits[blocks[i]];
    }
    if (any == TOUCH_MARK) {
      touched = any;
    }
  }

  /** A value the or of a batch's first words is all but never equal to (see {@link #touch}). */
  private static final long TOUCH_MARK = 0x5DEECE66DL;

  /** Inserts one hash (not counted as a raw value: also how the leak check files its spilled candidates' hashes). */
  void insert(long h1, long h2) {
    insert(block(h1), h2);
  }

  private void insert(int block, long h2) {
    int a = (int) h2;
    int b = (int) (h2 >>> 32) | 1;
    for (int i = 0; i < PROBES; i++) {
      int bit = (a + i * b) & (BLOCK_BITS - 1);
      bits[block + (bit >>> 6)] |= 1L << bit;
    }
  }

  /** The first word of the value's 512-bit block: all its probes fall in one cache line. */
  private int block(long h1) {
    return (int) Long.remainderUnsigned(h1, blocks) * (BLOCK_BITS / 64);
  }

  /** False when the value whose hash is {@code h} was certainly not added. */
  boolean mightContain(Hash128 h) {
    return mightContain(h.h1, h.h2);
  }

  /** The same for a hash given as its two halves. */
  boolean mightContain(long h1, long h2) {
    return mightContain(block(h1), h2);
  }

  /**
   * Probes the first {@code n} hashes of {@code h1} and {@code h2} (a batch of output values, see {@link LeakCheck}):
   * {@code hit[i]} is what {@link #mightContain(long, long)} says of hash {@code i}. Two loops with nothing else in
   * them: the blocks first (a 64-bit division each, into {@code blocks}, a scratch array of at least {@code n}), then
   * the probes, so that no load waits on a division and the core keeps several values' cache misses in flight at once
   * (measured on a 64 MB filter: 27-34 ns a probe against 41-50 ns probing one at a time). Between the two, a load of
   * each block's line ({@link #touch}): 35-43 ns a probe against 40-52 ns without it (6M absent hashes, as above).
   */
  void mightContainAll(long[] h1, long[] h2, int n, int[] blocks, boolean[] hit) {
    for (int i = 0; i < n; i++) {
      blocks[i] = block(h1[i]);
    }
    touch(blocks, n);
    for (int i = 0; i < n; i++) {
      hit[i] = mightContain(blocks[i], h2[i]);
    }
  }

  private boolean mightContain(int block, long h2) {
    int a = (int) h2;
    int b = (int) (h2 >>> 32) | 1;
    for (int i = 0; i < PROBES; i++) {
      int bit = (a + i * b) & (BLOCK_BITS - 1);
      if ((bits[block + (bit >>> 6)] & (1L << bit)) == 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Writes the filter: the format version and hash parameters (a filter hashed otherwise is refused, not misread),
   * its size, the count of raw values and the bits. The stream is flushed, not closed.
   */
  public void writeTo(OutputStream stream) throws IOException {
    DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(stream, 1 << 16));
    out.writeLong(MAGIC);
    out.writeInt(VERSION);
    out.writeInt(BLOCK_BITS);
    out.writeInt(PROBES);
    out.writeLong(blocks);
    out.writeLong(rawValues);
    for (long w : bits) {
      out.writeLong(w);
    }
    out.flush();
  }

  /**
   * A filter read back from {@link #writeTo}, or from a file the first, headerless format saved. Reads exactly the
   * filter's bytes; a stream cut short or of another version fails with an {@link IOException} that says which.
   */
  public static LeakFilter readFrom(InputStream stream) throws IOException {
    DataInputStream in = new DataInputStream(stream);
    try {
      long first = in.readLong();
      long blocks = first;
      if (first == MAGIC) {
        int version = in.readInt();
        if (version != VERSION) {
          throw new IOException("a leak filter of format version " + version + "; this build reads version "
              + VERSION);
        }
        int blockBits = in.readInt();
        int probes = in.readInt();
        if (blockBits != BLOCK_BITS || probes != PROBES) {
          throw new IOException("a leak filter hashed with " + blockBits + "-bit blocks and " + probes + " probes; "
              + "this build uses " + BLOCK_BITS + " and " + PROBES);
        }
        blocks = in.readLong();
      }
      if (blocks < 1 || blocks > Integer.MAX_VALUE / (BLOCK_BITS / 64)) {
        throw new IOException("not a leak filter (" + blocks + " blocks)");
      }
      long raw = in.readLong();
      long[] bits = new long[(int) (blocks * (BLOCK_BITS / 64))];
      for (int i = 0; i < bits.length; i++) {
        bits[i] = in.readLong();
      }
      return new LeakFilter(blocks, bits, raw);
    } catch (EOFException e) {
      throw new IOException("the leak filter is cut short", e);
    }
  }

  /** {@link #writeTo} into an array. */
  public byte[] toBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bits.length * 8 + 40);
    try {
      writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** {@link #readFrom} an array. */
  public static LeakFilter fromBytes(byte[] bytes) throws IOException {
    return readFrom(new ByteArrayInputStream(bytes));
  }
}
