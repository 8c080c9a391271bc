package io.dataops.quality.run;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.QualityTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Analyzer states of single feeds, kept in {@code quality.analyzer_states}: a whole-table run adds them up instead
 * of reading every earlier feed again (incremental quality on append).
 */
public final class StateStore {
  public static final TableIdentifier STATES = QualityTables.ANALYZER_STATES;
  static final Schema SCHEMA = new Schema(
      NestedField.required(1, "run_id", Types.StringType.get()),
      NestedField.required(2, "table_name", Types.StringType.get()),
      NestedField.required(3, "snapshot_id", Types.LongType.get(), "the feed's snapshot: the state covers its rows"),
      NestedField.optional(4, "feed_id", Types.StringType.get()),
      NestedField.required(5, "state_key", Types.StringType.get()),
      NestedField.required(6, "state", Types.BinaryType.get()),
      NestedField.required(7, "computed_at", Types.TimestampType.withZone()));

  private final Lakehouse lakehouse;

  public StateStore(Lakehouse lakehouse) {
    this.lakehouse = lakehouse;
  }

  void save(String runId, String table, long snapshotId, String feedId, OffsetDateTime at, Map<String, byte[]> states) {
    if (states.isEmpty()) {
      return;
    }
    Table t = lakehouse.createOrLoad(STATES, SCHEMA, Map.of());
    OutputFileFactory files = OutputFileFactory.builderFor(t, 0, 0).operationId("states-" + runId)
        .format(FileFormat.PARQUET).build();
    DataWriter<Record> writer = new GenericAppenderFactory(t.schema()).setAll(t.properties()).newDataWriter(files.newOutputFile(),
        FileFormat.PARQUET, null);
    GenericRecord rec = GenericRecord.create(t.schema());
    try (writer) {
      for (Map.Entry<String, byte[]> e : states.entrySet()) {
        rec.setField("run_id", runId);
        rec.setField("table_name", table);
        rec.setField("snapshot_id", snapshotId);
        rec.setField("feed_id", feedId);
        rec.setField("state_key", e.getKey());
        rec.setField("state", ByteBuffer.wrap(e.getValue()));
        rec.setField("computed_at", at);
        writer.write(rec);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    t.newAppend().appendFile(writer.toDataFile()).set("dataops.run-id", runId).commit();
  }

  /** For each snapshot: the newest stored state under each key. */
  Map<Long, Map<String, byte[]>> load(String table, Collection<Long> snapshots) {
    Map<Long, Map<String, byte[]>> out = new HashMap<>();
    if (!lakehouse.exists(STATES) || snapshots.isEmpty()) {
      return out;
    }
    List<Record> rows = new ArrayList<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(lakehouse.load(STATES)).where(Expressions.and(
        Expressions.equal("table_name", table), Expressions.in("snapshot_id", snapshots.toArray()))).build()) {
      it.forEach(r -> rows.add(r.copy()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    rows.sort(java.util.Comparator.comparing(r -> (OffsetDateTime) r.getField("computed_at")));
    for (Record r : rows) {
      ByteBuffer b = ((ByteBuffer) r.getField("state")).duplicate();
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      out.computeIfAbsent((Long) r.getField("snapshot_id"), k -> new HashMap<>())
          .put((String) r.getField("state_key"), bytes);
    }
    return out;
  }
}
