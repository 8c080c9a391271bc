package io.dataops.lakehouse.maintenance;

import io.dataops.core.BadInputException;
import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.Zone;
import io.dataops.lakehouse.landing.LandedFeeds;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Maintains lakehouse tables (`dataops table maintain`): compacts small files, expires snapshots by the retention
 * policy and removes orphan files, in that order (the files compaction replaces go with the snapshots that read
 * them). Before an ods or quarantine table loses a snapshot, the feeds its snapshots landed are recorded in the
 * landed-feed ledger, so deduplication survives. Product tables keep every tagged version (tags are never expired)
 * and are not compacted (a version is read by its tag, and its files are what its seal and digests name); the audit
 * zone is left alone (its checkpoints are read from every metadata file ever written).
 */
public final class TableMaintenance {
  private final Lakehouse lakehouse;
  private final MaintenancePolicy policy;
  private final SnapshotPins pins;
  private final Clock clock;
  private AuditSink audit = AuditSink.NONE;

  public TableMaintenance(Lakehouse lakehouse, MaintenancePolicy policy, SnapshotPins pins, Clock clock) {
    this.lakehouse = lakehouse;
    this.policy = policy;
    this.pins = pins;
    this.clock = clock;
  }

  public TableMaintenance audit(AuditSink sink) {
    this.audit = sink;
    return this;
  }

  /** Every table of the lakehouse, one after the other. */
  public List<TableReport> maintainAll() {
    List<TableReport> out = new ArrayList<>();
    for (TableIdentifier id : lakehouse.listTables()) {
      out.add(maintain(id));
    }
    return out;
  }

  public TableReport maintain(TableIdentifier id) {
    if (!lakehouse.exists(id)) {
      throw new BadInputException("no table " + id + " (see: dataops table list)");
    }
    String zone = id.namespace().level(0);
    if (zone.equals(Zone.AUDIT.namespaceName())) {
      return record(TableReport.skipped(id.toString(),
          "the audit trail's checkpoints are read from every metadata file: never maintained"));
    }
    // Before anything is rewritten or deleted: a maintenance stopped part-way (killed, a full disk) leaves the record
    // that it began and under which policy, and one whose start cannot be recorded deletes nothing.
    audit.record(AuditEvent.ok("table.maintain.start", List.of("table:" + id), policy()));
    Table table = lakehouse.load(id);
    long now = clock.millis();
    List<SnapshotPins.Pin> pinned = new ArrayList<>(pins.pins(id));
    int ledgerRecorded = 0;
    if (zone.equals(Zone.ODS.namespaceName()) || zone.equals(Zone.QUARANTINE.namespaceName())) {
      TableIdentifier ods = TableIdentifier.of(Zone.ODS.namespace(), id.name());
      TableIdentifier quarantine = TableIdentifier.of(Zone.QUARANTINE.namespace(), id.name());
      if (lakehouse.exists(ods)) {
        LandedFeeds ledger = LandedFeeds.of(lakehouse.config());
        ledgerRecorded = ledger.backfill(ods, lakehouse.load(ods),
            lakehouse.exists(quarantine) ? lakehouse.load(quarantine) : null).recorded();
        if (id.equals(ods)) {
          // A feed whose quarantine rows are not committed yet is repaired by the next landing from its snapshot.
          ledger.quarantinePending(ods).forEach(s -> pinned.add(new SnapshotPins.Pin(s,
              "a feed whose quarantine rows the next landing repairs", false)));
          // A landing whose event was lost is recorded from its snapshot's summary before compaction and expiry.
          io.dataops.lakehouse.landing.Landing.recordMissedLandingEvents(ods, table, audit);
        }
      }
    }
    TableReport.Compaction compaction = zone.equals(Zone.PRODUCT.namespaceName())
        ? TableReport.Compaction.none("product versions are read by tag and sealed by their files")
        : SmallFileCompaction.compact(table, policy);
    TableReport.Expiry expiry = SnapshotExpiry.expire(table, policy, pinned, now);
    TableReport.Orphans orphans = OrphanFiles.remove(table, policy, now);
    return record(new TableReport(id.toString(), null, ledgerRecorded, compaction, expiry, orphans));
  }

  private Map<String, Object> policy() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("keepLast", policy.keepLast());
    details.put("maxSnapshotAge", policy.maxSnapshotAge().toString());
    details.put("safetyAge", policy.safetyAge().toString());
    return details;
  }

  private TableReport record(TableReport r) {
    Map<String, Object> details = new LinkedHashMap<>();
    if (r.skipped() != null) {
      details.put("skipped", r.skipped());
    } else {
      details.put("ledgerRecorded", r.ledgerRecorded());
      details.put("filesCompacted", r.compaction().filesRewritten());
      details.put("filesWritten", r.compaction().filesWritten());
      details.put("snapshotsExpired", r.expiry().expired().size());
      details.put("snapshotsKept", r.expiry().kept());
      details.put("filesDeletedWithSnapshots", r.expiry().filesDeleted());
      details.put("orphansRemoved", r.orphans().removed().size());
      details.put("orphansKeptYoung", r.orphans().keptYoung());
    }
    details.putAll(policy());
    List<String> objects = new ArrayList<>(List.of("table:" + r.table()));
    if (r.compaction() != null && r.compaction().snapshotId() != null) {
      objects.add("snapshot:" + r.compaction().snapshotId());
    }
    audit.record(AuditEvent.ok("table.maintain", objects, details));
    return r;
  }
}
