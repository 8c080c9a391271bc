package io.dataops.quality.run;

import io.dataops.lakehouse.maintenance.DataFileRewriter;
import io.dataops.quality.engine.FailureSink;
import io.dataops.quality.suite.Expectation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.io.RollingDataWriter;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;

/**
 * Streams one scan thread's failing rows into data files of {@code quality.row_failures}; the run commits all
 * threads' files at once. Values are already masked by the caller. Thread-safe: after the scan, analyzers finishing
 * in parallel share the first thread's writer. The file is opened at the first failing row, on the thread that finds
 * it: opening a Parquet writer costs about 0.1 s of CPU (Iceberg builds a default Hadoop configuration, parsing its
 * XML defaults, for every file), which a run's main thread paid once per scan thread before the scan began, and a
 * thread that finds no failing row writes no file.
 */
final class RowFailureWriter implements FailureSink, AutoCloseable {
  static final Schema SCHEMA = new Schema(
      NestedField.required(1, "run_id", Types.StringType.get()),
      NestedField.required(2, "table_name", Types.StringType.get()),
      NestedField.optional(3, "snapshot_id", Types.LongType.get()),
      NestedField.required(4, "expectation_id", Types.StringType.get()),
      NestedField.required(5, "expectation_type", Types.StringType.get()),
      NestedField.required(6, "severity", Types.StringType.get()),
      NestedField.optional(7, "columns", Types.StringType.get()),
      NestedField.optional(8, "row_key", Types.StringType.get(), "primary key of the row (masked where personal)"),
      NestedField.optional(9, "feed_id", Types.StringType.get()),
      NestedField.optional(10, "row_number", Types.LongType.get(), "row number in the feed's file"),
      NestedField.required(11, "reason", Types.StringType.get()),
      NestedField.optional(12, "value", Types.StringType.get(), "the failing value, masked where personal"),
      NestedField.required(13, "checked_at", Types.TimestampType.withZone()));

  private final Table table;
  private final int slot;
  private final String runId;
  private RollingDataWriter<Record> writer;
  /** The files that replaced the writer's own when {@link #without} dropped rows; null until then. */
  private List<DataFile> kept;
  private final GenericRecord record;
  private final List<Expectation> expectations;
  private final List<String> columns;
  private long written;
  /** The rows written of each expectation (by index). */
  private final long[] rowsOf;

  RowFailureWriter(Table table, int slot, String runId, String tableName, Long snapshotId,
      List<Expectation> expectations, List<String> columns, OffsetDateTime checkedAt) {
    this.table = table;
    this.slot = slot;
    this.runId = runId;
    this.expectations = expectations;
    this.columns = columns;
    this.rowsOf = new long[expectations.size()];
    this.record = GenericRecord.create(table.schema());
    record.setField("run_id", runId);
    record.setField("table_name", tableName);
    record.setField("snapshot_id", snapshotId);
    record.setField("checked_at", checkedAt);
  }

  /** Synchronized: analyzers that finish side by side report through the same writer. */
  @Override
  public synchronized void fail(int expectation, String rowKey, String feedId, long rowNumber, String reason, String shownValue) {
    Expectation e = expectations.get(expectation);
    record.setField("expectation_id", e.id());
    record.setField("expectation_type", e.type());
    record.setField("severity", e.severity().spelling());
    record.setField("columns", columns.get(expectation));
    record.setField("row_key", rowKey);
    record.setField("feed_id", feedId);
    record.setField("row_number", rowNumber >= 0 ? rowNumber : null);
    record.setField("reason", reason);
    record.setField("value", shownValue);
    if (writer == null) {
      writer = open();
    }
    writer.write(record);
    written++;
    rowsOf[expectation]++;
  }

  /** Whether this writer holds rows of any of {@code expectations} (indices). */
  synchronized boolean holdsAny(BitSet expectations) {
    return expectations.stream().anyMatch(i -> rowsOf[i] > 0);
  }

  /**
   * Drops the rows of the {@code dropped} expectations (indices) from this closed writer: the rows kept are written
   * again to one new file, which then stands for this writer's files, and those are deleted (none is written when no
   * row is kept). For an expectation that raised while its failing rows were being written (a pattern's overrun): it
   * reports no rows, as GX's raised expectation reports none.
   */
  synchronized void without(BitSet dropped) {
    // The rows name their expectation by id, one expectation each (SuiteParser refuses a suite giving two one id).
    Set<String> ids = new HashSet<>();
    dropped.stream().forEach(i -> ids.add(expectations.get(i).id()));
    long keep = IntStream.range(0, rowsOf.length).filter(i -> !dropped.get(i)).mapToLong(i -> rowsOf[i]).sum();
    List<DataFile> before = files();
    kept = keep == 0 ? List.of() : List.of(DataFileRewriter.rewrite(table, before,
        r -> !ids.contains((String) r.getField("expectation_id")), keep, String.format("%05d-%s-kept", slot, runId)));
    written = keep;
    dropped.stream().forEach(i -> rowsOf[i] = 0);
    before.forEach(f -> table.io().deleteFile(f.location()));
  }

  /** The same file names as before the writer opened lazily: the slot and the run name them. */
  private RollingDataWriter<Record> open() {
    GenericFileWriterFactory factory = new GenericFileWriterFactory.Builder(table)
        .dataFileFormat(FileFormat.PARQUET).dataSchema(table.schema()).build();
    OutputFileFactory files = OutputFileFactory.builderFor(table, slot, 0).operationId(runId)
        .format(FileFormat.PARQUET).build();
    return new RollingDataWriter<>(factory, files, table.io(), 256L << 20, PartitionSpec.unpartitioned(), null);
  }

  synchronized long written() {
    return written;
  }

  synchronized List<DataFile> files() {
    if (kept != null) {
      return kept;
    }
    return writer == null ? List.of() : writer.result().dataFiles();
  }

  /**
   * The files of a closed writer, for deleting them when their run fails; none when the writer never opened or its
   * close failed (Iceberg's rolling writer then keeps its result to itself).
   */
  synchronized List<DataFile> filesWritten() {
    if (kept != null) {
      return kept;
    }
    if (writer == null) {
      return List.of();
    }
    try {
      return writer.result().dataFiles();
    } catch (IllegalStateException notClosed) {
      return List.of();
    }
  }

  @Override
  public synchronized void close() {
    if (writer == null) {
      return;
    }
    try {
      writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
