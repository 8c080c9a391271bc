package io.dataops.lakehouse.parquet;

/**
 * Text already encoded as UTF-8, in a slice of an array: a text column's writer stores these bytes as they are,
 * without a String in between (and without a copy: Parquet copies what it keeps). Valid until its holder reuses it.
 */
public interface Utf8Slice {
  byte[] utf8();

  int offset();

  int length();
}
