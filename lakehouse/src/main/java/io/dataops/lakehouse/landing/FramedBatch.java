package io.dataops.lakehouse.landing;

import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * Records of a text format, framed on the reader thread: their bytes copied out of the read buffer. A batch taken
 * from a {@link Recycler} goes back to it when its worker releases it, so a feed reuses a few batches (as many as
 * the queue and the workers hold at once) instead of allocating and growing a new megabyte for every one.
 */
abstract class FramedBatch implements RecordBatch {
  static final int FLAG_UNTERMINATED = 1;
  static final int FLAG_TOO_LONG = 2;

  protected final Charset charset;
  protected byte[] bytes = new byte[64 * 1024];
  protected int[] starts;
  private int used;
  private int size;
  private long[] rows;
  private long[] lines;
  protected int[] flags;
  protected String[] notes;
  /** Where {@link #release} returns the batch; null for a batch nobody recycles. */
  private Queue<FramedBatch> home;

  FramedBatch(Charset charset, int capacity) {
    this.charset = charset;
    this.starts = new int[capacity + 1];
    this.rows = new long[capacity];
    this.lines = new long[capacity];
    this.flags = new int[capacity];
    this.notes = new String[capacity];
  }

  final void add(byte[] src, int from, int to, long row, long line, int flag, String note) {
    int len = to - from;
    if (used + len > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, used + len));
    }
    if (size == rows.length) {
      int cap = size * 2;
      starts = Arrays.copyOf(starts, cap + 1);
      rows = Arrays.copyOf(rows, cap);
      lines = Arrays.copyOf(lines, cap);
      flags = Arrays.copyOf(flags, cap);
      notes = Arrays.copyOf(notes, cap);
    }
    System.arraycopy(src, from, bytes, used, len);
    starts[size] = used;
    rows[size] = row;
    lines[size] = line;
    flags[size] = flag;
    notes[size] = note;
    used += len;
    starts[++size] = used;
  }

  @Override
  public final void release() {
    if (home != null) {
      Arrays.fill(notes, 0, size, null); // no stale framing notes kept alive
      used = 0;
      size = 0;
      home.offer(this);
    }
  }

  final int byteSize() {
    return used;
  }

  @Override
  public final int size() {
    return size;
  }

  @Override
  public final long rowNumber(int i) {
    return rows[i];
  }

  @Override
  public final long lineNumber(int i) {
    return lines[i];
  }

  /** Reports a framing problem found on the reader thread; true when there was one. */
  protected final boolean framingProblem(int i, java.util.List<Problem> problems) {
    if (flags[i] == 0) {
      return false;
    }
    problems.add(new Problem((flags[i] & FLAG_UNTERMINATED) != 0 ? Problem.UNTERMINATED_QUOTE
        : Problem.RECORD_TOO_LONG, null, notes[i]));
    return true;
  }

  @Override
  public final RawRow raw(int i, Scratch scratch) {
    String exact = scratch.decode(bytes, starts[i], starts[i + 1], charset);
    if (exact != null) {
      return new RawRow(exact, null);
    }
    return new RawRow(scratch.decodeLenient(bytes, starts[i], starts[i + 1], charset),
        Arrays.copyOfRange(bytes, starts[i], starts[i + 1]));
  }

  /** The batches of one reader: released ones first, a new one when none is free. */
  static final class Recycler<B extends FramedBatch> {
    private final Queue<FramedBatch> free = new ConcurrentLinkedQueue<>();
    private final Supplier<B> fresh;

    Recycler(Supplier<B> fresh) {
      this.fresh = fresh;
    }

    @SuppressWarnings("unchecked") // only batches of this recycler's own supplier are ever released into it
    B take() {
      FramedBatch b = free.poll();
      if (b == null) {
        b = fresh.get();
        b.home = free;
      }
      return (B) b;
    }
  }
}
