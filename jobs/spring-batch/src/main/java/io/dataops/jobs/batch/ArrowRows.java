package io.dataops.jobs.batch;

import io.dataops.lakehouse.arrow.ArrowValues;
import io.dataops.lakehouse.arrow.Utf8Scratch;
import io.dataops.lakehouse.types.ColumnType;
import io.dataops.lakehouse.types.ValueType;
import io.dataops.pipelines.privacy.RawHashes;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBResultSet;

/**
 * A DuckDB result read as Arrow batches (the C data interface: DuckDB fills the vectors, no per-value JNI call) and
 * handed out as rows typed like the pipeline's columns — the same values the JDBC getters give, about three times
 * faster. The conversions are {@link ArrowValues}'. Not thread-safe; closes the result set with itself.
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
  private VectorSchemaRoot root;
  private FieldVector[] vectors;
  /** The current batch's values, column by column (decoded a column at a time: one tight loop per column). */
  private Object[][] columns;
  private int rows;
  private int next;

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

  /**
   * The raw values of a vector's first {@code rows} values (nulls left out) into {@code out}, hashed from the vector's
   * own encodings: text from one copy of the batch's UTF-8 data, dates from their day numbers, decimals from their
   * unscaled value; the hashes are those of the values' canonical text, as {@link ArrowValues#value} then
   * {@code LeakFilter.add} give them. Other types go through {@link ArrowValues#value}.
   */
  static void rawHashes(FieldVector v, int rows, ColumnType type, RawHashes out) {
    if (v instanceof VarCharVector s) {
      ArrowBuf offsets = s.getOffsetBuffer();
      int first = offsets.getInt(0);
      int bytes = offsets.getInt((long) rows * VarCharVector.OFFSET_WIDTH) - first;
      byte[] text = out.textBuffer(bytes);
      s.getDataBuffer().getBytes(first, text, RawHashes.TEXT_AT, bytes);
      int start = 0;
      for (int i = 0; i < rows; i++) {
        int end = offsets.getInt((long) (i + 1) * VarCharVector.OFFSET_WIDTH) - first;
        if (!s.isNull(i)) {
          out.addText(start, end);
        }
        start = end;
      }
    } else if (v instanceof DateDayVector d && type.type() == ValueType.DATE) {
      for (int i = 0; i < rows; i++) {
        if (!d.isNull(i)) {
          out.addDate(d.get(i));
        }
      }
    } else if (v instanceof DecimalVector d && type.type() == ValueType.DECIMAL && d.getScale() == type.scale()) {
      ArrowBuf data = d.getDataBuffer();
      for (int i = 0; i < rows; i++) {
        if (!d.isNull(i)) {
          long low = data.getLong((long) i * DecimalVector.TYPE_WIDTH);
          long high = data.getLong((long) i * DecimalVector.TYPE_WIDTH + 8);
          if (high == (low >> 63)) {
            out.addDecimal(low, type.scale());
          } else {
            out.addValue(ArrowValues.decimal(d, i, type.scale()));
          }
        }
      }
    } else {
      Utf8Scratch scratch = new Utf8Scratch();
      for (int i = 0; i < rows; i++) {
        if (!v.isNull(i)) {
          out.addValue(ArrowValues.value(v, i, type, scratch));
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
    try {
      while (next >= rows) {
        if (!reader.loadNextBatch()) {
          return null;
        }
        root = reader.getVectorSchemaRoot();
        vectors = root.getFieldVectors().toArray(new FieldVector[0]);
        rows = root.getRowCount();
        next = 0;
        decode();
      }
    } catch (java.io.IOException e) {
      throw EngineErrors.failure("reading DuckDB's result failed", e);
    }
    Object[] row = new Object[width];
    for (int c = 0; c < vectors.length; c++) {
      int at = targets == null ? c : targets[c];
      if (at >= 0) { // a negative target: a column read only to count rows
        row[at] = columns[c][next];
      }
    }
    next++;
    return row;
  }

  /** Converts the batch just loaded into {@link #columns}. */
  private void decode() {
    if (columns == null || columns.length != vectors.length) {
      columns = new Object[vectors.length][];
    }
    for (int c = 0; c < vectors.length; c++) {
      if ((targets == null ? c : targets[c]) < 0) {
        continue;
      }
      if (columns[c] == null || columns[c].length < rows) {
        columns[c] = new Object[Math.max(rows, BATCH_ROWS)];
      }
      ArrowValues.values(vectors[c], rows, types.get(c), text, columns[c]);
    }
  }

  @Override
  public void close() {
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
