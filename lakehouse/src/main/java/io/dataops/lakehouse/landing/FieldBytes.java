package io.dataops.lakehouse.landing;

import io.dataops.lakehouse.parquet.Utf8Slice;
import java.nio.charset.Charset;

/**
 * One field of a text record, still as bytes: where it lies, in which charset, and whether it is plain ASCII. The
 * converter parses numbers and dates straight from the bytes and hands ASCII or UTF-8 text to the Parquet writer
 * without building a String. Reused per worker and column; valid only until the next record.
 */
final class FieldBytes implements Utf8Slice {
  byte[] bytes;
  int off;
  int len;
  boolean ascii;
  Charset charset;

  FieldBytes set(byte[] bytes, int off, int len, boolean ascii, Charset charset) {
    this.bytes = bytes;
    this.off = off;
    this.len = len;
    this.ascii = ascii;
    this.charset = charset;
    return this;
  }

  /** The bytes as the writer stores them: the converter hands over only ASCII or valid UTF-8 fields. */
  @Override
  public byte[] utf8() {
    return bytes;
  }

  @Override
  public int offset() {
    return off;
  }

  @Override
  public int length() {
    return len;
  }

  /** The field as text; null when the bytes are not valid in the charset. */
  String decode(Scratch scratch) {
    return scratch.decode(bytes, off, off + len, charset);
  }
}
