package io.dataops.lakehouse.landing;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/** Frames a feed file into batches of records on one thread and pushes them to the workers. */
interface FeedReader extends Closeable {

  /** Receives batches in file order; may block when the workers are behind (bounded memory). */
  @FunctionalInterface
  interface BatchSink {
    void accept(RecordBatch batch) throws InterruptedException;
  }

  /** Reads the whole file. */
  void read(BatchSink sink) throws IOException, InterruptedException;

  /** Bytes consumed so far (for progress). */
  long bytesRead();

  /** Lines or sheet rows that held nothing at all; they are not rows. */
  default long blankLines() {
    return 0;
  }

  /** The encoding actually used (a byte-order mark can override the contract's); null for binary formats. */
  String encoding();

  /** Optional contract columns the file does not have; they land as nulls. */
  List<String> missingColumns();
}
