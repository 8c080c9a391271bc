package io.dataops.lakehouse.landing;

import java.util.List;

/**
 * A batch of framed records handed from the reader thread to a landing worker. Framing (finding where records
 * start and end) happens on the reader thread; parsing and decoding happen in {@link #parse}, on the worker.
 */
interface RecordBatch {
  int size();

  /** 1-based data row number of record {@code i} in the file. */
  long rowNumber(int i);

  /** 1-based line where record {@code i} starts, 0 where lines mean nothing (Parquet). */
  long lineNumber(int i);

  /**
   * Fills {@code values} (contract column order; {@link ValueConverter#ABSENT} where the source has no such
   * field) and adds a problem for anything that stops the row from being read as the contract says.
   */
  void parse(int i, Object[] values, List<Problem> problems, Scratch scratch);

  /** The record as sent, for the quarantine. */
  RawRow raw(int i, Scratch scratch);

  /**
   * The worker is done with every record of the batch (what it wrote was copied): a reader may reuse the batch's
   * memory for later records.
   */
  default void release() {}

  /** Text of a record; {@code bytes} only when the text is not an exact decoding of what was sent. */
  record RawRow(String text, byte[] bytes) {}
}
