package io.dataops.quality.run;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.QualityTables;
import io.dataops.quality.expect.MetricHistory;
import io.dataops.quality.expect.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;

/**
 * The metric history: every run's metrics in {@code quality.metrics} (one append per run), read back for anomaly
 * checks and trends. Runs of a whole table and runs of single feeds are kept apart by {@code scope}.
 */
public final class MetricStore {
  public static final TableIdentifier METRICS = QualityTables.METRICS;
  static final Schema SCHEMA = new Schema(
      NestedField.required(1, "run_id", Types.StringType.get()),
      NestedField.required(2, "table_name", Types.StringType.get()),
      NestedField.optional(3, "snapshot_id", Types.LongType.get()),
      NestedField.optional(4, "feed_id", Types.StringType.get()),
      NestedField.required(5, "scope", Types.StringType.get()),
      NestedField.required(6, "computed_at", Types.TimestampType.withZone()),
      NestedField.required(7, "entity", Types.StringType.get()),
      NestedField.required(8, "instance", Types.StringType.get()),
      NestedField.required(9, "name", Types.StringType.get()),
      NestedField.required(10, "value", Types.DoubleType.get()));

  private final Lakehouse lakehouse;

  public MetricStore(Lakehouse lakehouse) {
    this.lakehouse = lakehouse;
  }

  private Table table() {
    return lakehouse.createOrLoad(METRICS, SCHEMA, Map.of());
  }

  /** The history of one table in one scope. */
  public MetricHistory history(String tableName, String scope) {
    return (metric, instance, limit) -> {
      if (!lakehouse.exists(METRICS)) {
        return List.of();
      }
      Table t = lakehouse.load(METRICS);
      List<Record> rows = new ArrayList<>();
      try (CloseableIterable<Record> it = IcebergGenerics.read(t).where(Expressions.and(
          Expressions.equal("table_name", tableName), Expressions.equal("scope", scope),
          Expressions.equal("name", metric), Expressions.equal("instance", instance))).build()) {
        it.forEach(r -> rows.add(r.copy()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      rows.sort(Comparator.comparing(r -> (OffsetDateTime) r.getField("computed_at")));
      List<MetricHistory.Point> points = new ArrayList<>();
      for (Record r : rows.subList(Math.max(0, rows.size() - limit), rows.size())) {
        points.add(new MetricHistory.Point((String) r.getField("run_id"), r.getField("computed_at").toString(),
            (Double) r.getField("value")));
      }
      return points;
    };
  }

  /** Appends a run's metrics (one commit). */
  public void record(String runId, String tableName, Long snapshotId, String feedId, String scope,
      OffsetDateTime at, List<Metrics.Metric> metrics) {
    if (metrics.isEmpty()) {
      return;
    }
    Table t = table();
    OutputFileFactory files = OutputFileFactory.builderFor(t, 0, 0).operationId("metrics-" + runId)
        .format(FileFormat.PARQUET).build();
    DataWriter<Record> writer = new GenericAppenderFactory(t.schema()).setAll(t.properties()).newDataWriter(files.newOutputFile(),
        FileFormat.PARQUET, null);
    GenericRecord rec = GenericRecord.create(t.schema());
    try (writer) {
      for (Metrics.Metric m : metrics) {
        if (Double.isNaN(m.value()) || Double.isInfinite(m.value())) {
          continue;
        }
        rec.setField("run_id", runId);
        rec.setField("table_name", tableName);
        rec.setField("snapshot_id", snapshotId);
        rec.setField("feed_id", feedId);
        rec.setField("scope", scope);
        rec.setField("computed_at", at);
        rec.setField("entity", m.entity());
        rec.setField("instance", m.instance());
        rec.setField("name", m.name());
        rec.setField("value", m.value());
        writer.write(rec);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    DataFile file = writer.toDataFile();
    t.newAppend().appendFile(file).set("dataops.run-id", runId).set("dataops.table", tableName).commit();
  }

}
