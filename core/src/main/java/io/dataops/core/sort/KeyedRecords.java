package io.dataops.core.sort;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * A spilled run of variable-length records each with a 64-bit key (a hash): {@code [key:8][length:4][bytes]}, read a
 * record at a time into {@link #key} and {@link #buf} (from {@link #offset}, {@link #length} bytes; the buffer is
 * reused by the next record: copy what must outlive it). Reading and {@link Writer writing} go through a byte array
 * of their own, a block at a time: per-record calls into buffered streams (a lock and a bounds check each, a key, a
 * length and the bytes per record) were most of the cost of a spill at 5M rows.
 */
public final class KeyedRecords implements RunMerge.Source {
  private static final int BLOCK = 1 << 16;
  private final InputStream in;
  private final LongPredicate wanted;
  public long key;
  /** Holds the current record at {@link #offset}; also the read-ahead buffer (do not write into it). */
  public byte[] buf = new byte[BLOCK];
  public int offset;
  public int length;
  private int pos;
  private int limit;

  private KeyedRecords(InputStream in, LongPredicate wanted) {
    this.in = in;
    this.wanted = wanted;
  }

  /** Every record of the run. */
  public static KeyedRecords read(Path run) throws IOException {
    return new KeyedRecords(Files.newInputStream(run), null);
  }

  /** Only the records whose key {@code wanted} accepts; the others are skipped unread. */
  public static KeyedRecords read(Path run, LongPredicate wanted) throws IOException {
    return new KeyedRecords(Files.newInputStream(run), wanted);
  }

  /** One record (for a few; a run of many is written through a {@link Writer}). */
  public static void write(DataOutputStream out, long key, byte[] b, int off, int len) throws IOException {
    out.writeLong(key);
    out.writeInt(len);
    out.write(b, off, len);
  }

  /** Writes records to a stream through a block of its own; {@link #flush} at the end. */
  public static final class Writer {
    private final OutputStream out;
    private final byte[] block = new byte[BLOCK];
    private int fill;

    public Writer(OutputStream out) {
      this.out = out;
    }

    public void write(long key, byte[] b, int off, int len) throws IOException {
      if (fill + 12 > block.length) {
        flushBlock();
      }
      putLong(block, fill, key);
      putInt(block, fill + 8, len);
      fill += 12;
      if (len > block.length - fill) {
        flushBlock();
        out.write(b, off, len);
        return;
      }
      System.arraycopy(b, off, block, fill, len);
      fill += len;
    }

    private void flushBlock() throws IOException {
      out.write(block, 0, fill);
      fill = 0;
    }

    public void flush() throws IOException {
      flushBlock();
      out.flush();
    }
  }

  @Override
  public boolean advance() throws IOException {
    while (true) {
      if (!fill(12)) {
        return false;
      }
      long k = getLong(buf, pos);
      int len = getInt(buf, pos + 8);
      pos += 12;
      if (wanted != null && !wanted.test(k)) {
        skip(len);
        continue;
      }
      if (!fill(len)) {
        throw new IOException("a spilled run ends inside a record");
      }
      key = k;
      offset = pos;
      length = len;
      pos += len;
      return true;
    }
  }

  private void skip(int len) throws IOException {
    int here = Math.min(len, limit - pos);
    pos += here;
    if (here < len) {
      in.skipNBytes(len - here);
    }
  }

  /** Makes {@code n} bytes available from {@link #pos}; false at a clean end of the run. */
  private boolean fill(int n) throws IOException {
    if (limit - pos >= n) {
      return true;
    }
    int have = limit - pos;
    if (buf.length < n) {
      buf = Arrays.copyOf(buf, Math.max(n, buf.length * 2));
    }
    // The caller's view of the previous record may lie in the buffer: it is overwritten now, as documented.
    System.arraycopy(buf, pos, buf, 0, have);
    pos = 0;
    limit = have;
    while (limit < n) {
      int r = in.read(buf, limit, buf.length - limit);
      if (r < 0) {
        if (limit == 0) {
          return false;
        }
        throw new IOException("a spilled run ends inside a record");
      }
      limit += r;
    }
    return true;
  }

  private static long getLong(byte[] b, int p) {
    return ((long) getInt(b, p) << 32) | (getInt(b, p + 4) & 0xffffffffL);
  }

  private static int getInt(byte[] b, int p) {
    return ((b[p] & 0xff) << 24) | ((b[p + 1] & 0xff) << 16) | ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
  }

  private static void putLong(byte[] b, int p, long v) {
    putInt(b, p, (int) (v >>> 32));
    putInt(b, p + 4, (int) v);
  }

  private static void putInt(byte[] b, int p, int v) {
    b[p] = (byte) (v >>> 24);
    b[p + 1] = (byte) (v >>> 16);
    b[p + 2] = (byte) (v >>> 8);
    b[p + 3] = (byte) v;
  }

  @Override
  public void close() {
    SpillRuns.closeQuietly(in);
  }
}
