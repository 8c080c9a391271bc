package io.dataops.jobs.batch;

import io.dataops.lakehouse.arrow.ArrowValues;
import io.dataops.lakehouse.arrow.Utf8Scratch;
import io.dataops.lakehouse.types.ColumnType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBResultSet;

/**
 * A DuckDB result read as Arrow batches (the C data interface: DuckDB fills the vectors, no per-value JNI call) and
 * handed out as rows typed like the pipeline's columns — the same values the JDBC getters give, about three times
 * faster. The conversions are {@link ArrowValues}'. Row by row ({@link #next}), a reader thread of its own pulls
 * DuckDB's batches and converts them a batch ahead: DuckDB's scan (which runs in the fetching thread) and the
 * conversion then overlap with what the caller does with the rows (policies, the privacy pass). Not thread-safe for
 * callers; closes the result set with itself, after its reader thread has stopped.
 */
final class ArrowRows implements AutoCloseable {
  static final int BATCH_ROWS = 4096;

  private final ResultSet result;
  private final BufferAllocator allocator;
  private final ArrowReader reader;
  private final List<ColumnType> types;
  private final int[] targets;
  private final int width;
  private final Utf8Scratch text = new Utf8Scratch();
  /** Converted batches, at most two ahead of the caller: an Object[][] of rows, {@link #END}, or the failure (a RuntimeException or Error) to rethrow. */
  private final java.util.concurrent.BlockingQueue<Object> ahead = new java.util.concurrent.ArrayBlockingQueue<>(2);
  private static final Object END = new Object();
  private Thread fetcher;
  private Object[][] batch;
  private int next;
  private boolean ended;

  /**
   * @param types the type of each result column, in order
   * @param targets where each result column goes in a row (negative: nowhere), or null for the same position
   * @param width the row's length (the result's width when {@code targets} is null)
   */
  ArrowRows(ResultSet result, List<ColumnType> types, int[] targets, int width) throws SQLException {
    this.result = result;
    this.types = types;
    this.targets = targets;
    this.width = width;
    this.allocator = new RootAllocator();
    try {
      this.reader = (ArrowReader) result.unwrap(DuckDBResultSet.class).arrowExportStream(allocator, BATCH_ROWS);
    } catch (SQLException | RuntimeException e) {
      allocator.close();
      throw e;
    }
  }

  ArrowRows(ResultSet result, List<ColumnType> types) throws SQLException {
    this(result, types, null, types.size());
  }

  /**
   * Column by column instead of row by row: hands each batch's vectors to {@code batch} (for readers that use the
   * bytes in place). Not to be mixed with {@link #next}.
   */
  void forEachBatch(java.util.function.BiConsumer<FieldVector[], Integer> batch) {
    try {
      while (reader.loadNextBatch()) {
        VectorSchemaRoot r = reader.getVectorSchemaRoot();
        batch.accept(r.getFieldVectors().toArray(new FieldVector[0]), r.getRowCount());
      }
    } catch (java.io.IOException e) {
      throw EngineErrors.failure("reading DuckDB's result failed", e);
    }
  }

  /**
   * Calls {@code text} with the UTF-8 bytes of every non-null value of a text vector (in a reused buffer: valid only
   * during the call), or {@code other} with the typed value of every non-null value of another vector.
   */
  static void values(FieldVector v, int rows, ColumnType type, Utf8Sink text, java.util.function.Consumer<Object> other) {
    Utf8Scratch scratch = new Utf8Scratch();
    if (v instanceof VarCharVector s) {
      for (int i = 0; i < rows; i++) {
        if (!s.isNull(i)) {
          int length = scratch.read(s, i);
          text.accept(scratch.bytes(), length);
        }
      }
    } else {
      for (int i = 0; i < rows; i++) {
        if (!v.isNull(i)) {
          other.accept(ArrowValues.value(v, i, type, scratch));
        }
      }
    }
  }

  /** Receives a text value's UTF-8 bytes. */
  @FunctionalInterface
  interface Utf8Sink {
    void accept(byte[] utf8, int length);
  }

  /** The next row, or null at the end. */
  Object[] next() {
    while (batch == null || next >= batch.length) {
      if (ended) {
        return null;
      }
      if (fetcher == null) {
        fetcher = new Thread(this::fetch, "duckdb-rows");
        fetcher.setDaemon(true);
        fetcher.start();
      }
      Object got;
      try {
        got = ahead.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw EngineErrors.failure("reading DuckDB's result was interrupted", e);
      }
      if (got == END) {
        ended = true;
        return null;
      }
      if (got instanceof Throwable failure) {
        ended = true;
        if (failure instanceof Error error) {
          throw error;
        }
        throw (RuntimeException) failure;
      }
      batch = (Object[][]) got;
      next = 0;
    }
    return batch[next++];
  }

  /** The reader thread: every batch converted to rows, then {@link #END} (or the failure); stops when interrupted. */
  private void fetch() {
    try {
      while (reader.loadNextBatch()) {
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        FieldVector[] vectors = root.getFieldVectors().toArray(new FieldVector[0]);
        Object[][] rows = new Object[root.getRowCount()][];
        for (int r = 0; r < rows.length; r++) {
          Object[] row = new Object[width];
          for (int c = 0; c < vectors.length; c++) {
            int at = targets == null ? c : targets[c];
            if (at >= 0) { // a negative target: a column read only to count rows
              row[at] = ArrowValues.value(vectors[c], r, types.get(c), text);
            }
          }
          rows[r] = row;
        }
        if (rows.length > 0) {
          ahead.put(rows);
        }
      }
      ahead.put(END);
    } catch (InterruptedException e) {
      // closed early: the caller no longer takes rows
    } catch (java.io.IOException e) {
      offerFailure(EngineErrors.failure("reading DuckDB's result failed", e));
    } catch (RuntimeException | Error e) { // handed to the caller, which would otherwise wait for rows forever
      offerFailure(e);
    }
  }

  private void offerFailure(Throwable failure) {
    try {
      ahead.put(failure);
    } catch (InterruptedException ignored) {
      // closed early: nobody is waiting for it
    }
  }

  /**
   * Stops the reader thread before the stream is closed under it: interrupted, it leaves a full queue at once, or
   * after the batch DuckDB is producing (a native call an interrupt does not cut short).
   */
  private void stopFetcher() {
    if (fetcher == null) {
      return;
    }
    fetcher.interrupt();
    ahead.clear();
    boolean interrupted = false;
    while (true) {
      try {
        fetcher.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stopFetcher();
    try {
      if (reader != null) {
        reader.close();
      }
    } catch (java.io.IOException ignored) {
      // the result is gone either way
    } finally {
      allocator.close();
      try {
        result.close();
      } catch (SQLException ignored) {
        // closed with its statement
      }
    }
  }
}
