package io.dataops.quality.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.SeekableInputStream;

/**
 * The end of a Parquet data file, read once: the footer whole when it is plain (at least the last 64 KB, more when the
 * footer is longer). {@link #input()} is the file again with those bytes served from memory, so the scan's reader, which
 * reads the footer itself, reads it from here instead of a second time from the file (a ranged GET on object storage).
 */
final class FileTail {
  /** Footers of flat tables fit: usually a single request on object storage. */
  static final int MIN_TAIL = 64 * 1024;
  private static final byte[] MAGIC = {'P', 'A', 'R', '1'};

  private final InputFile file;
  private final long length;
  /** Where {@link #bytes} start in the file. */
  private final long start;
  private final byte[] bytes;

  private FileTail(InputFile file, long length, long start, byte[] bytes) {
    this.file = file;
    this.length = length;
    this.start = start;
    this.bytes = bytes;
  }

  static FileTail read(InputFile file) {
    return read(file, MIN_TAIL);
  }

  /** As above, reading at least the last {@code minTail} bytes (tests use small ones). */
  static FileTail read(InputFile file, int minTail) {
    long length = file.getLength();
    try (SeekableInputStream in = file.newStream()) {
      int tail = (int) Math.min(minTail, length);
      byte[] buf = readAt(in, length - tail, tail);
      int footer = footerLength(buf, length);
      if (footer > 0 && footer + 8 > tail) {
        buf = readAt(in, length - 8 - footer, footer + 8);
      }
      return new FileTail(file, length, length - buf.length, buf);
    } catch (IOException e) {
      throw new UncheckedIOException("reading a data file's footer failed", e);
    }
  }

  /**
   * The plain footer's bytes (Thrift FileMetaData), or null when the file does not end in one (too short, an
   * encrypted footer, a damaged length).
   */
  ByteBuffer footer() {
    int footer = footerLength(bytes, length);
    if (footer <= 0 || footer + 8 > bytes.length) {
      return null;
    }
    return ByteBuffer.wrap(bytes, bytes.length - 8 - footer, footer);
  }

  /** Where the bytes held start in the file. */
  long start() {
    return start;
  }

  /** The file, its tail served from memory. */
  InputFile input() {
    return new TailInput();
  }

  /** The footer's length from the last 8 bytes of {@code tail} (the file's end), or 0 when they are not a plain footer's. */
  private static int footerLength(byte[] tail, long fileLength) {
    if (tail.length < 8 || fileLength < 12) {
      return 0;
    }
    for (int m = 0; m < 4; m++) {
      if (tail[tail.length - 4 + m] != MAGIC[m]) {
        return 0;
      }
    }
    int footer = ByteBuffer.wrap(tail, tail.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    return footer > 0 && footer <= fileLength - 12 ? footer : 0;
  }

  private static byte[] readAt(SeekableInputStream in, long pos, int len) throws IOException {
    byte[] buf = new byte[len];
    in.seek(pos);
    int off = 0;
    while (off < len) {
      int n = in.read(buf, off, len - off);
      if (n < 0) {
        throw new IOException("the file ended before its footer");
      }
      off += n;
    }
    return buf;
  }

  private final class TailInput implements InputFile {
    @Override
    public long getLength() {
      return length;
    }

    @Override
    public SeekableInputStream newStream() {
      return new TailStream();
    }

    @Override
    public String location() {
      return file.location();
    }

    @Override
    public boolean exists() {
      return true;
    }
  }

  /** Reads at or after {@link #start} come from memory; reads before it from the file, opened at the first one. */
  private final class TailStream extends SeekableInputStream {
    private long pos;
    private SeekableInputStream inner;

    @Override
    public long getPos() {
      return pos;
    }

    @Override
    public void seek(long newPos) {
      pos = newPos;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (pos >= start) {
        if (pos >= length) {
          return -1;
        }
        int n = (int) Math.min(len, length - pos);
        System.arraycopy(bytes, (int) (pos - start), b, off, n);
        pos += n;
        return n;
      }
      if (inner == null) {
        inner = file.newStream();
      }
      if (inner.getPos() != pos) {
        inner.seek(pos);
      }
      int n = inner.read(b, off, len);
      if (n > 0) {
        pos += n;
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      if (inner != null) {
        inner.close();
      }
    }
  }
}
