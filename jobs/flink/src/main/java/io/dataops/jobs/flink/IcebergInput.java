package io.dataops.jobs.flink;

import io.dataops.core.BadInputException;
import io.dataops.lakehouse.catalog.Lakehouse;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.flink.FlinkConfigOptions;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.flink.source.IcebergSource;
import org.apache.iceberg.types.Types.NestedField;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * A pinned read as a Flink stream of rows: iceberg-flink's FLIP-27 {@link IcebergSource}, bounded, at one snapshot,
 * projected to the read's columns and with its filter pushed down (files, row groups and rows outside it skipped). Readers open the data files through the table's FileIO (local folders or
 * S3 alike); only split planning, on the JobManager, opens the catalog.
 */
public final class IcebergInput {
  private IcebergInput() {}

  /** The rows of the read; their row type follows the read's columns, in its order. */
  public static DataStream<RowData> read(StreamExecutionEnvironment env, Lakehouse lakehouse, PinnedRead read) {
    TableIdentifier id = TableIdentifier.parse(read.table());
    Table table;
    try {
      table = lakehouse.load(id);
    } catch (NoSuchTableException e) {
      throw new BadInputException("no table " + read.table() + " in the lakehouse", e);
    }
    if (table.snapshot(read.snapshotId()) == null) {
      throw new BadInputException(read.table() + " has no snapshot " + read.snapshotId()
          + " (expired, or of another table): see `dataops table history " + read.table() + "`");
    }
    Schema projected = project(SnapshotUtil.schemaFor(table, read.snapshotId()), read);
    Configuration conf = new Configuration();
    // The job's parallelism decides how many readers there are, not the number of splits.
    conf.set(FlinkConfigOptions.TABLE_EXEC_ICEBERG_INFER_SOURCE_PARALLELISM, false);
    return IcebergSource.forRowData()
        .tableLoader(TableLoader.fromCatalog(new LakehouseCatalogLoader(lakehouse.config()), id))
        .table(table)
        .streaming(false)
        .useSnapshotId(read.snapshotId())
        .project(projected)
        .filters(List.of(read.filter()))
        .flinkConfig(conf)
        // Block locations are an HDFS notion (local folders and S3 have none); asking for them fails on the raw
        // local file system the lakehouse uses.
        .exposeLocality(false)
        .buildStream(env);
  }

  /** The read's columns as they were at the snapshot, in the read's order (their field ids are the table's). */
  static Schema project(Schema atSnapshot, PinnedRead read) {
    List<NestedField> fields = new ArrayList<>();
    for (String c : read.columns()) {
      NestedField f = atSnapshot.findField(c);
      if (f == null) {
        throw new BadInputException(read.table() + " had no column '" + c + "' at snapshot " + read.snapshotId());
      }
      fields.add(f);
    }
    return new Schema(fields);
  }
}
