package io.dataops.lakehouse.landing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The read buffer of the text readers: bytes {@code [pos, limit)} of {@code buf} are unread; {@link #fill()}
 * appends more (growing the buffer for a long record) and feeds them to the file's digest on the way.
 */
abstract class BufferedFeedReader implements FeedReader {
  private final InputStream in;
  private final MessageDigest digest;
  protected byte[] buf = new byte[1 << 20];
  protected int pos;
  protected int limit;
  private boolean eof;
  private long bytesRead;

  BufferedFeedReader(Path file, MessageDigest digest) throws IOException {
    this.in = Files.newInputStream(file);
    this.digest = digest;
  }

  /** Moves the bytes from {@code start} to the front of the buffer; returns how far they moved. */
  protected final int compactFrom(int start) {
    if (start == 0) {
      return 0;
    }
    int keep = limit - start;
    System.arraycopy(buf, start, buf, 0, keep);
    limit = keep;
    pos -= start;
    return start;
  }

  /** Reads more bytes after {@code limit}, growing the buffer when it is full. False at the end of the file. */
  protected final boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    if (limit == buf.length) {
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    int n = in.read(buf, limit, buf.length - limit);
    if (n < 0) {
      eof = true;
      return false;
    }
    if (digest != null) {
      digest.update(buf, limit, n);
    }
    bytesRead += n;
    limit += n;
    return true;
  }

  @Override
  public final long bytesRead() {
    return bytesRead;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
