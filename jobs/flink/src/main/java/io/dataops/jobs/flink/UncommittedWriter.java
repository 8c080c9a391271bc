package io.dataops.jobs.flink;

import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.accumulators.ListAccumulator;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.LocationProviders;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SerializableTable;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.sink.RowDataTaskWriterFactory;
import org.apache.iceberg.flink.sink.TaskWriterFactory;
import org.apache.iceberg.io.LocationProvider;
import org.apache.iceberg.io.TaskWriter;
import org.apache.iceberg.io.WriteResult;
import org.apache.iceberg.util.PropertyUtil;
import org.apache.iceberg.util.SerializableSupplier;

/**
 * Writes a stream of rows into data files of an Iceberg table and commits nothing: each subtask writes its own
 * Parquet files and, at the end of its input, reports them (one {@link WrittenFile} each) in an accumulator, which
 * the job's result carries back to the client whether the job ran in-process or on a cluster, and which holds only
 * the attempts that finished. The caller hands the files to {@code PublishVersion}, which stages, gates, publishes
 * and records them as one version. (Not Flink's {@code executeAndCollect}: its fetcher polls the running job and
 * warns that results "might be lost" when the in-process mini-cluster stops before its last poll.)
 *
 * <p>Why not iceberg-flink's {@code IcebergSink} or {@code FlinkSink}: their committer commits the files itself
 * (one snapshot per checkpoint, or at the end of input), on the table's current schema. A product version must be
 * one staged snapshot holding the run's files together with the schema change, committed after the quality gate
 * and found again by its run key after a crash; a commit by the sink would make unchecked rows visible (or, on a
 * branch, leave a second change to undo). So this operator does only the sink's writer half, with the very writer
 * the sink uses on each subtask ({@link RowDataTaskWriterFactory}: files rolled at the table's target size, its
 * Parquet properties and metrics, named and written through the table's FileIO, local or S3), on the schema the
 * caller gives (the product's next schema, which may not be committed yet).
 *
 * <p>A subtask that fails or is cancelled removes the files it wrote ({@link TaskWriter#abort()}); a retried
 * subtask writes new files under another attempt number.
 */
public final class UncommittedWriter extends AbstractStreamOperator<Void>
    implements OneInputStreamOperator<RowData, Void>, BoundedOneInput {
  private static final long serialVersionUID = 1L;

  private final TaskWriterFactory<RowData> factory;
  private final String accumulator;
  private transient TaskWriter<RowData> writer;
  private transient ListAccumulator<WrittenFile> written;

  private UncommittedWriter(TaskWriterFactory<RowData> factory, String accumulator) {
    this.factory = factory;
    this.accumulator = accumulator;
  }

  /** Where a job's writer reports its files: read them from the job's result once it finished. */
  public record Files(String accumulator) {
    public List<WrittenFile> of(JobExecutionResult result) {
      List<WrittenFile> files = result.getAccumulatorResult(accumulator);
      return files == null ? List.of() : List.copyOf(files);
    }
  }

  /**
   * The files the rows are written to, in {@code table}'s data folder with {@code schema} (the table's, or the one
   * the version will give it); as many writers as the rows have subtasks, each chained to its producer (no exchange
   * between the two).
   */
  public static Files write(DataStream<RowData> rows, Table table, Schema schema) {
    return write(rows, table, schema, null);
  }

  /**
   * As above, the files in {@code dataLocation} (null: the table's data folder): a run's own folder, so that the
   * files of an attempt that died are found and removed by the next one.
   */
  public static Files write(DataStream<RowData> rows, Table table, Schema schema, String dataLocation) {
    return write(rows, table, schema, dataLocation, table.name());
  }

  /** As above; {@code what} names the files (a job's second writer into the same table: its accumulator). */
  public static Files write(DataStream<RowData> rows, Table table, Schema schema, String dataLocation, String what) {
    if (!table.spec().isUnpartitioned()) {
      throw new IllegalArgumentException(table.name() + " is partitioned; product tables are not");
    }
    RowType rowType = rowType(rows);
    requireSameColumns(rowType, schema, table.name());
    SerializableSupplier<Table> supplier = new FixedTable(dataLocation == null ? SerializableTable.copyOf(table)
        : new Located(table, dataLocation));
    long targetSize = PropertyUtil.propertyAsLong(table.properties(), TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
        TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
    TaskWriterFactory<RowData> factory = new RowDataTaskWriterFactory(supplier, rowType, targetSize,
        FileFormat.PARQUET, Map.of(), null, false, schema, table.spec());
    Files files = new Files("dataops.written-files." + what);
    // Flink chains an operator to its producer by default (same parallelism, forward): no exchange.
    rows.transform("write uncommitted files of " + what, Types.VOID,
            new UncommittedWriter(factory, files.accumulator()))
        .setParallelism(rows.getParallelism())
        .sinkTo(new DiscardingSink<>()).setParallelism(rows.getParallelism()).name("end");
    return files;
  }

  @Override
  public void open() throws Exception {
    super.open();
    TaskInfo task = getRuntimeContext().getTaskInfo();
    factory.initialize(task.getIndexOfThisSubtask(), task.getAttemptNumber());
    writer = factory.create();
    written = new ListAccumulator<>();
    getRuntimeContext().addAccumulator(accumulator, written);
  }

  @Override
  public void processElement(StreamRecord<RowData> element) throws Exception {
    writer.write(element.getValue());
  }

  @Override
  public void endInput() throws Exception {
    WriteResult result = writer.complete();
    writer = null;
    for (DataFile f : result.dataFiles()) {
      written.add(new WrittenFile(f.location(), f.recordCount(), f.fileSizeInBytes()));
    }
  }

  /** Called on success (nothing left to do) and on failure or cancel: then this attempt's files are removed. */
  @Override
  public void close() throws Exception {
    try {
      if (writer != null) {
        writer.abort();
        writer = null;
      }
    } finally {
      super.close();
    }
  }

  /** The table whose new data files go to another folder (its location provider's data path). */
  private static final class Located extends SerializableTable {
    private static final long serialVersionUID = 1L;
    private final LocationProvider locations;

    Located(Table table, String dataLocation) {
      super(table);
      Map<String, String> properties = new java.util.HashMap<>(table.properties());
      properties.put(TableProperties.WRITE_DATA_LOCATION, dataLocation);
      this.locations = LocationProviders.locationsFor(table.location(), properties);
    }

    @Override
    public LocationProvider locationProvider() {
      return locations;
    }
  }

  /** The table as it was when the job was built (a class, not a lambda: a missing class then names itself). */
  private record FixedTable(Table table) implements SerializableSupplier<Table> {
    @Override
    public Table get() {
      return table;
    }
  }

  private static RowType rowType(DataStream<RowData> rows) {
    if (rows.getType() instanceof InternalTypeInfo<?> info && info.toLogicalType() instanceof RowType rowType) {
      return rowType;
    }
    throw new IllegalArgumentException("rows of unknown type " + rows.getType() + ": give them a RowType");
  }

  /** The rows are written by position: their columns must be the schema's, in order, of the same types. */
  private static void requireSameColumns(RowType rows, Schema schema, String table) {
    RowType wanted = FlinkSchemaUtil.convert(schema);
    List<String> names = rows.getFieldNames();
    boolean same = names.equals(wanted.getFieldNames());
    for (int i = 0; same && i < names.size(); i++) {
      same = nullable(rows.getTypeAt(i)).equals(nullable(wanted.getTypeAt(i)));
    }
    if (!same) {
      throw new IllegalArgumentException("the rows " + rows.asSummaryString() + " do not fit the columns of "
          + table + " " + wanted.asSummaryString());
    }
  }

  private static LogicalType nullable(LogicalType t) {
    return t.copy(true);
  }
}
