package io.dataops.core.sort;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.LongPredicate;

/**
 * A spilled run of variable-length records each with a 64-bit key (a hash): {@code [key:8][length:4][bytes]}, read a
 * record at a time into {@link #key} and {@link #buf} (from offset 0, {@link #length} bytes; the buffer is reused by
 * the next record: copy what must outlive it).
 */
public final class KeyedRecords implements RunMerge.Source {
  private final DataInputStream in;
  private final LongPredicate wanted;
  public long key;
  public byte[] buf = new byte[256];
  public int length;

  private KeyedRecords(DataInputStream in, LongPredicate wanted) {
    this.in = in;
    this.wanted = wanted;
  }

  /** Every record of the run. */
  public static KeyedRecords read(Path run) throws IOException {
    return new KeyedRecords(SpillRuns.input(run), null);
  }

  /** Only the records whose key {@code wanted} accepts; the others are skipped unread. */
  public static KeyedRecords read(Path run, LongPredicate wanted) throws IOException {
    return new KeyedRecords(SpillRuns.input(run), wanted);
  }

  public static void write(DataOutputStream out, long key, byte[] b, int off, int len) throws IOException {
    out.writeLong(key);
    out.writeInt(len);
    out.write(b, off, len);
  }

  @Override
  public boolean advance() throws IOException {
    while (true) {
      long k;
      try {
        k = in.readLong();
      } catch (EOFException end) {
        return false;
      }
      int len = in.readInt();
      if (wanted != null && !wanted.test(k)) {
        in.skipNBytes(len);
        continue;
      }
      if (buf.length < len) {
        buf = new byte[Math.max(len, buf.length * 2)];
      }
      in.readFully(buf, 0, len);
      key = k;
      length = len;
      return true;
    }
  }

  @Override
  public void close() {
    SpillRuns.closeQuietly(in);
  }
}
