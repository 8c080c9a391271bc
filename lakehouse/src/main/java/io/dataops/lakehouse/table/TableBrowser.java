package io.dataops.lakehouse.table;

import io.dataops.core.BadInputException;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.Zone;
import io.dataops.lakehouse.contract.PersonalData;
import io.dataops.lakehouse.landing.FeedTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types.NestedField;

/**
 * Read-only views of lakehouse tables for people: the list, a table's rows at any snapshot (time travel), and its
 * history. Columns that carry personal data are masked in every view, unless the caller shows raw values to a reader
 * whose role may see them.
 */
public final class TableBrowser {
  private final Lakehouse lakehouse;

  public TableBrowser(Lakehouse lakehouse) {
    this.lakehouse = lakehouse;
  }

  public record TableSummary(String name, Long snapshotId, int snapshots, long rows, long dataFiles, long bytes,
                             String lastUpdated, String department, String dataset) {}

  public record Column(int id, String name, String type, boolean required, String personal, String doc) {}

  public record Rows(String table, Long snapshotId, List<Column> columns, List<Map<String, Object>> rows,
                     boolean truncated) {}

  /**
   * @param refs the tags and branches on this snapshot ({@code main}, a product version's {@code v2})
   * @param published false for a snapshot staged and never made current (its rows cannot be read)
   */
  public record SnapshotInfo(long snapshotId, Long parentId, String committedAt, String operation,
                             Map<String, String> summary, List<String> refs, boolean published) {}

  public List<TableSummary> list() {
    List<TableSummary> out = new ArrayList<>();
    for (TableIdentifier id : lakehouse.listTables()) {
      Table t = lakehouse.load(id);
      Snapshot s = t.currentSnapshot();
      Map<String, String> sum = s == null ? Map.of() : s.summary();
      int count = 0;
      for (Snapshot ignored : t.snapshots()) {
        count++;
      }
      out.add(new TableSummary(id.toString(), s == null ? null : s.snapshotId(), count,
          parseLong(sum.get("total-records")), parseLong(sum.get("total-data-files")),
          parseLong(sum.get("total-files-size")),
          s == null ? null : Instant.ofEpochMilli(s.timestampMillis()).toString(),
          t.properties().get(FeedTables.PROP_DEPARTMENT), t.properties().get(FeedTables.PROP_DATASET)));
    }
    return out;
  }

  /** The most rows one {@code table show} holds and prints. */
  public static final int MAX_ROWS = 100_000;

  public Rows show(TableIdentifier id, Long snapshotId, int limit) {
    return show(id, snapshotId, null, limit);
  }

  /**
   * A table's rows at its current snapshot, at a snapshot (time travel) or at a tag (a product version: {@code v2}).
   * Only snapshots that were published can be read: an ancestor of the current snapshot or one a tag or branch
   * holds. A snapshot staged and never made current (a product that failed its quality gate) is refused.
   */
  public Rows show(TableIdentifier id, Long snapshotId, String tag, int limit) {
    return show(id, snapshotId, tag, limit, false);
  }

  /**
   * As above; {@code rawValues}: personal data as it is, for a reader whose role may see it (the caller decides who
   * may), else masked.
   */
  public Rows show(TableIdentifier id, Long snapshotId, String tag, int limit, boolean rawValues) {
    if (limit > MAX_ROWS) {
      // Found by a probe: --limit 10000000 of a large table ran out of memory; the rows are shown from memory.
      throw new BadInputException(String.format("--limit is at most %,d: table show is a preview (product deliver "
          + "writes a whole version to a file)", MAX_ROWS));
    }
    if (limit < 0) {
      throw new BadInputException("--limit must not be negative");
    }
    if (snapshotId != null && tag != null) {
      throw new BadInputException("give --snapshot or --tag, not both");
    }
    Table t = load(id);
    Long snap = snapshotId;
    if (tag != null) {
      SnapshotRef ref = t.refs().get(tag);
      if (ref == null || !ref.isTag()) {
        throw new BadInputException("table " + id + " has no tag " + tag + " (tags: "
            + (t.refs().entrySet().stream().filter(e -> e.getValue().isTag()).map(Map.Entry::getKey).sorted()
                .reduce((a, b) -> a + ", " + b).orElse("none")) + ")");
      }
      snap = ref.snapshotId();
    } else if (snap == null) {
      snap = t.currentSnapshot() == null ? null : t.currentSnapshot().snapshotId();
    } else if (t.snapshot(snap) == null) {
      throw new BadInputException("table " + id + " has no snapshot " + snap + " (see: dataops table history " + id + ")");
    } else if (!published(t, snap)) {
      throw new BadInputException("snapshot " + snap + " of " + id + " was never published (staged and not made "
          + "current, e.g. a product that failed its quality gate): its rows are not readable");
    }
    List<NestedField> fields = snap == null ? t.schema().columns() : t.schemas().get(t.snapshot(snap).schemaId())
        .columns();
    List<Column> columns = new ArrayList<>();
    PersonalData[] personal = new PersonalData[fields.size()];
    for (int i = 0; i < fields.size(); i++) {
      NestedField f = fields.get(i);
      String kind = t.properties().get(FeedTables.PERSONAL_PREFIX + f.name());
      personal[i] = kind == null ? null : PersonalData.parse(kind);
      columns.add(new Column(f.fieldId(), f.name(), f.type().toString(), f.isRequired(), kind, f.doc()));
    }
    // A quarantine table's rows say whether their feed was replaced since (land --replaces): kept for the record,
    // no longer open. Not stored in the rows: the replacement's commit is in the ods table, the mark a property here.
    boolean quarantine = Zone.QUARANTINE.namespaceName().equals(id.namespace().level(0))
        && fields.stream().anyMatch(f -> f.name().equals("feed_id"));
    if (quarantine) {
      columns.add(new Column(0, FeedTables.REPLACED_BY, "string", false, null, "the feed that replaced this row's feed "
          + "(land --replaces), from the table's properties; null while the feed stands"));
    }
    // Landed data in a masked view: a column its contract does not call personal may still hold ID or mobile numbers
    // (found by a probe: the authority's masked view showed them whole), masked as quality reports mask them.
    boolean maskIdentifiers = !rawValues && Zone.raw(id);
    List<Map<String, Object>> rows = new ArrayList<>();
    boolean truncated = false;
    if (snap != null && limit > 0) {
      try (CloseableIterable<Record> records = IcebergGenerics.read(t).useSnapshot(snap).build()) {
        for (Record r : records) {
          if (rows.size() == limit) {
            truncated = true;
            break;
          }
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 0; i < fields.size(); i++) {
            row.put(fields.get(i).name(), display(r.getField(fields.get(i).name()), rawValues ? null : personal[i],
                maskIdentifiers));
          }
          if (quarantine) {
            row.put(FeedTables.REPLACED_BY, FeedTables.replacedBy(t.properties(), (String) r.getField("feed_id")));
          }
          rows.add(row);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("reading " + id + " failed", e);
      }
    }
    return new Rows(id.toString(), snap, columns, rows, truncated);
  }

  public List<SnapshotInfo> history(TableIdentifier id) {
    Table t = load(id);
    Map<Long, List<String>> refs = new java.util.HashMap<>();
    t.refs().forEach((name, ref) -> refs.computeIfAbsent(ref.snapshotId(), k -> new ArrayList<>()).add(name));
    List<SnapshotInfo> out = new ArrayList<>();
    for (Snapshot s : t.snapshots()) {
      List<String> names = refs.getOrDefault(s.snapshotId(), List.of()).stream().sorted().toList();
      out.add(new SnapshotInfo(s.snapshotId(), s.parentId(), Instant.ofEpochMilli(s.timestampMillis()).toString(),
          s.operation(), new LinkedHashMap<>(new java.util.TreeMap<>(s.summary())), names, published(t, s.snapshotId())));
    }
    return out;
  }

  /** Made current at some time (an ancestor of the current snapshot), or held by a tag or branch. */
  static boolean published(Table t, long snapshotId) {
    for (SnapshotRef ref : t.refs().values()) {
      if (ref.snapshotId() == snapshotId) {
        return true;
      }
    }
    return t.currentSnapshot() != null
        && org.apache.iceberg.util.SnapshotUtil.isAncestorOf(t, t.currentSnapshot().snapshotId(), snapshotId);
  }

  private Table load(TableIdentifier id) {
    if (!lakehouse.exists(id)) {
      throw new BadInputException("no table " + id + " (see: dataops table list)");
    }
    return lakehouse.load(id);
  }

  /** {@code identifiers}: mask ID, mobile and card numbers in a text of a column not declared personal. */
  private static Object display(Object value, PersonalData personal, boolean identifiers) {
    if (value == null) {
      return null;
    }
    if (personal != null) {
      if (value instanceof ByteBuffer b) {
        return "[hidden: " + b.remaining() + " bytes]";
      }
      return PreviewMask.mask(personal, value.toString());
    }
    if (value instanceof ByteBuffer b) {
      return "[" + b.remaining() + " bytes]";
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value;
    }
    return identifiers && value instanceof CharSequence text ? PreviewMask.maskIdentifiers(text.toString())
        : value.toString();
  }

  private static long parseLong(String s) {
    return s == null ? 0 : Long.parseLong(s);
  }
}
