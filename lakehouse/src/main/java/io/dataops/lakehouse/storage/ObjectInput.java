package io.dataops.lakehouse.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.ConcurrentModificationException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.SeekableInputStream;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * One object read by its exact bucket and key through the AWS SDK, as an Iceberg {@link InputFile}. Iceberg's S3FileIO
 * takes a location string and parses it as a URI, so a key with '#' or '?' loses everything after it; a key given as
 * is has no such trouble. Seeks re-open the object at the new position with a ranged GET (Parquet reads its footer
 * first), short forward seeks skip within the open stream. A missing object is Iceberg's {@link NotFoundException}.
 *
 * <p>With an {@code etag} (the one its listing gave) every HEAD and GET is conditional on it ({@code If-Match}): an
 * object put again under the key after it was listed, even between two ranged GETs (Parquet's footer, then its
 * pages), answers 412, and the read fails with a {@link ConcurrentModificationException} instead of mixing two
 * contents.
 *
 * @param location what messages call it ({@code s3://bucket/key}, never parsed)
 * @param size the object's size when known from its listing, else negative (asked with a HEAD on first use)
 * @param etag the ETag (unquoted) every read is pinned to, or null to read whatever the key holds
 */
public record ObjectInput(S3Client s3, String bucket, String key, String location, long size, String etag)
    implements InputFile {
  private static final long SKIP_WITHIN = 256 * 1024;

  @Override
  public long getLength() {
    if (size >= 0) {
      return size;
    }
    try {
      return s3.headObject(b -> b.bucket(bucket).key(key).ifMatch(ifMatch())).contentLength();
    } catch (S3Exception e) {
      throw notFoundOr(e);
    }
  }

  @Override
  public SeekableInputStream newStream() {
    long length = getLength(); // also says early that the object is gone
    return new RangeStream(length);
  }

  @Override
  public boolean exists() {
    return exists(s3, bucket, key);
  }

  /** Whether the object is there (a HEAD by its exact key; 404 is no, any other refusal is thrown). */
  public static boolean exists(S3Client s3, String bucket, String key) {
    try {
      s3.headObject(b -> b.bucket(bucket).key(key));
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  private RuntimeException notFoundOr(S3Exception e) {
    if (e.statusCode() == 412 && etag != null) {
      ConcurrentModificationException changed = new ConcurrentModificationException("the object at " + location
          + " changed while it was read (another content was put under its key)");
      changed.initCause(e);
      return changed;
    }
    return e.statusCode() == 404 ? new NotFoundException(e, "no object at %s", location) : e;
  }

  /** The If-Match header's value, null (no condition) when the read is not pinned. */
  private String ifMatch() {
    return etag == null ? null : "\"" + etag + "\"";
  }

  private final class RangeStream extends SeekableInputStream {
    private final long length;
    private long pos;
    private long openAt = -1; // where `in` was opened, advanced as it is read; -1 when none is open
    private InputStream in;
    private boolean closed;

    RangeStream(long length) {
      this.length = length;
    }

    @Override
    public long getPos() {
      return pos;
    }

    @Override
    public void seek(long newPos) throws IOException {
      if (newPos < 0) {
        throw new IOException("cannot seek to " + newPos + " in " + location);
      }
      pos = newPos;
    }

    /** The stream positioned at {@code pos}: the open one (skipping a little forward), else a new ranged GET. */
    private InputStream positioned() throws IOException {
      if (closed) {
        throw new IOException("stream closed: " + location);
      }
      if (in != null && pos >= openAt && pos - openAt <= SKIP_WITHIN) {
        in.skipNBytes(pos - openAt);
        openAt = pos;
        return in;
      }
      drop();
      try {
        ResponseInputStream<GetObjectResponse> opened =
            s3.getObject(b -> b.bucket(bucket).key(key).range("bytes=" + pos + "-").ifMatch(ifMatch()));
        in = opened;
        openAt = pos;
        return in;
      } catch (S3Exception e) {
        throw notFoundOr(e);
      }
    }

    @Override
    public int read() throws IOException {
      if (pos >= length) {
        return -1; // an empty object has no byte range to ask for (S3 answers 416)
      }
      int b = positioned().read();
      if (b >= 0) {
        pos++;
        openAt++;
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (pos >= length) {
        return -1;
      }
      int n = positioned().read(buf, off, len);
      if (n > 0) {
        pos += n;
        openAt += n;
      }
      return n;
    }

    private void drop() throws IOException {
      if (in != null) {
        if (in instanceof ResponseInputStream<?> response) {
          response.abort(); // do not drain the rest of a large object to reuse the connection
        }
        in.close();
        in = null;
        openAt = -1;
      }
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        drop();
      }
    }
  }
}
