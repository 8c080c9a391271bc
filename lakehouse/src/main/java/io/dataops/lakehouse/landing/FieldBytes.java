package io.dataops.lakehouse.landing;

import java.nio.charset.Charset;

/**
 * One field of a text record, still as bytes: where it lies, in which charset, and whether it is plain ASCII. The
 * converter parses numbers and dates straight from the bytes and hands ASCII or UTF-8 text to the Parquet writer
 * without building a String. Reused per worker and column; valid only until the next record.
 */
final class FieldBytes {
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

  /** The field as text; null when the bytes are not valid in the charset. */
  String decode(Scratch scratch) {
    return scratch.decode(bytes, off, off + len, charset);
  }
}
