package io.dataops.governance.metering;

import io.dataops.governance.audit.AuditRecord;
import io.dataops.governance.audit.AuditTrail;
import io.dataops.governance.db.GovernanceDatabase;
import io.dataops.governance.db.UtcTimes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Metering (计量): a record of every read (grant, run, table, snapshot, rows, bytes) and every delivery of a product
 * (partner, version, rows, bytes), derived from the audit trail's events rather than counted a second time — the
 * trail is the one account, hash-chained and verified; these tables index it for statements, scorecards and alerts.
 * {@link #sync} derives the records of events not derived yet (any process may, at any time: each page is one
 * compare-and-set on the cursor); {@link #check} compares every record with its event.
 */
public final class Metering {
  public static final int MAX_PROBLEMS = 20;
  private static final int PAGE = 1000;

  private final GovernanceDatabase db;
  private final AuditTrail trail;

  public Metering(GovernanceDatabase db, AuditTrail trail) {
    this.db = db;
    this.trail = trail;
  }

  /** Derives the records of the events recorded since the last sync; returns how many records it added. */
  public long sync() {
    long added = 0;
    while (true) {
      long cursor = cursor();
      List<AuditRecord> page = trail.after(cursor, MeterDerivation.ACTIONS, PAGE);
      if (page.isEmpty()) {
        return added;
      }
      long last = page.get(page.size() - 1).seq();
      Long done = db.write("derive metering records", c -> {
        try (PreparedStatement p = c.prepareStatement("UPDATE meter_cursor SET seq = ? WHERE id = 1 AND seq = ?")) {
          p.setLong(1, last);
          p.setLong(2, cursor);
          if (p.executeUpdate() != 1) {
            return null; // another process derived this page first: read where it stopped
          }
        }
        long n = 0;
        for (AuditRecord e : page) {
          for (ReadRecord r : MeterDerivation.reads(e)) {
            insert(c, r);
            n++;
          }
          for (DeliveryRecord d : MeterDerivation.delivery(e).stream().toList()) {
            insert(c, d);
            n++;
          }
        }
        return n;
      });
      added += done == null ? 0 : done;
    }
  }

  private long cursor() {
    return db.read("read the metering cursor", c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT seq FROM meter_cursor WHERE id = 1");
           ResultSet r = p.executeQuery()) {
        return r.next() ? r.getLong(1) : 0L;
      }
    });
  }

  /** Reads at or after {@code from} and before {@code until}, in event order. */
  public List<ReadRecord> reads(Instant from, Instant until) {
    return readsWhere("at >= ? AND at < ?", UtcTimes.format(from), UtcTimes.format(until));
  }

  /** The reads of one pipeline run (its run key), one per input. */
  public List<ReadRecord> readsOfRun(String runKey) {
    return readsWhere("run_key = ?", runKey);
  }

  /** The reads made under a grant before {@code until}, in event order. */
  public List<ReadRecord> readsOfGrant(long grantId, Instant until) {
    return readsWhere("grant_id = ? AND at < ?", grantId, UtcTimes.format(until));
  }

  /** Deliveries at or after {@code from} and before {@code until}, in event order. */
  public List<DeliveryRecord> deliveries(Instant from, Instant until) {
    return db.read("read deliveries", c -> deliveries(c, "at >= ? AND at < ?", UtcTimes.format(from),
        UtcTimes.format(until)));
  }

  private List<ReadRecord> readsWhere(String where, Object... args) {
    return db.read("read metered reads", c -> reads(c, where, args));
  }

  /**
   * Compares every record with the event it comes from (after deriving what is new): records whose event is gone or
   * says otherwise, and events without their records, are reported.
   */
  public MeteringCheck check() {
    sync();
    return checkDerived();
  }

  /**
   * {@link #check()} of the records derived so far, deriving nothing (what a reading command, such as {@code audit
   * verify} on a read-only home, may do): events not derived yet are no drift.
   */
  public MeteringCheck checkDerived() {
    long cursor = cursor();
    List<String> problems = new ArrayList<>();
    java.util.TreeSet<Long> seqs = new java.util.TreeSet<>();
    long events = 0;
    long records = 0;
    long seen = 0;
    while (seen < cursor) {
      List<AuditRecord> page = trail.after(seen, MeterDerivation.ACTIONS, PAGE);
      List<AuditRecord> due = page.stream().filter(e -> e.seq() <= cursor).toList();
      long upTo = due.isEmpty() || due.size() < PAGE ? cursor : due.get(due.size() - 1).seq();
      Map<String, Object> expected = new LinkedHashMap<>();
      for (AuditRecord e : due) {
        events++;
        MeterDerivation.reads(e).forEach(r -> expected.put("read " + r.auditSeq() + "/" + r.item(), r));
        MeterDerivation.delivery(e).ifPresent(d -> expected.put("delivery " + d.auditSeq(), d));
      }
      long from = seen;
      Map<String, Object> stored = new LinkedHashMap<>();
      db.read("read metering records", c -> {
        reads(c, "audit_seq > ? AND audit_seq <= ?", from, upTo).forEach(r ->
            stored.put("read " + r.auditSeq() + "/" + r.item(), r));
        deliveries(c, "audit_seq > ? AND audit_seq <= ?", from, upTo).forEach(d ->
            stored.put("delivery " + d.auditSeq(), d));
        return null;
      });
      records += stored.size();
      compare(expected, stored, problems, seqs);
      seen = upTo;
    }
    long beyond = db.read("read metering records", c -> reads(c, "audit_seq > ?", cursor).size()
        + deliveries(c, "audit_seq > ?", cursor).size());
    if (beyond > 0) {
      records += beyond;
      add(problems, beyond + " records name events after the last one derived (" + cursor + ")");
      seqs.add(cursor + 1);
    }
    return new MeteringCheck(problems.isEmpty(), events, records, problems,
        seqs.stream().limit(MAX_PROBLEMS).toList());
  }

  private static void compare(Map<String, Object> expected, Map<String, Object> stored, List<String> problems,
      java.util.Set<Long> seqs) {
    expected.forEach((key, record) -> {
      Object found = stored.get(key);
      if (found == null) {
        add(problems, key + ": the audit event has no metering record");
        seqs.add(seqOf(key));
      } else if (!Objects.equals(found, record)) {
        add(problems, key + ": the metering record differs from its audit event in " + differing(found, record));
        seqs.add(seqOf(key));
      }
    });
    stored.keySet().stream().filter(k -> !expected.containsKey(k)).forEach(k -> {
      add(problems, k + ": no audit event says so");
      seqs.add(seqOf(k));
    });
  }

  /** The event a key ({@code delivery 12}, {@code read 7/1}) names. */
  private static long seqOf(String key) {
    String s = key.substring(key.indexOf(' ') + 1);
    return Long.parseLong(s.contains("/") ? s.substring(0, s.indexOf('/')) : s);
  }

  /**
   * The names of the fields in which two records of one kind differ (never their values: a record names users and
   * organizations, and the problems reach logs and refusals).
   */
  private static String differing(Object a, Object b) {
    List<String> names = new ArrayList<>();
    for (java.lang.reflect.RecordComponent c : a.getClass().getRecordComponents()) {
      try {
        if (!Objects.equals(c.getAccessor().invoke(a), c.getAccessor().invoke(b))) {
          names.add(c.getName());
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return String.join(", ", names);
  }

  private static void add(List<String> problems, String problem) {
    if (problems.size() < MAX_PROBLEMS) {
      problems.add(problem);
    }
  }

  // ---- rows

  private static void insert(Connection c, ReadRecord r) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO meter_reads (audit_seq, item, at, actor, organization,"
        + " source, grant_id, run_key, pipeline, product, table_name, department, snapshot_id, rows_read, bytes_read)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      int i = 1;
      p.setLong(i++, r.auditSeq());
      p.setInt(i++, r.item());
      p.setString(i++, UtcTimes.format(r.at()));
      p.setString(i++, r.actor());
      p.setString(i++, r.organization());
      p.setString(i++, r.source());
      setLong(p, i++, r.grantId());
      p.setString(i++, r.runKey());
      p.setString(i++, r.pipeline());
      p.setString(i++, r.product());
      p.setString(i++, r.table());
      p.setString(i++, r.department());
      setLong(p, i++, r.snapshotId());
      p.setLong(i++, r.rows());
      p.setLong(i, r.bytes());
      p.executeUpdate();
    }
  }

  private static void insert(Connection c, DeliveryRecord d) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO meter_deliveries (audit_seq, at, actor, partner, product,"
        + " version, rows_delivered, bytes_delivered, via) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      p.setLong(1, d.auditSeq());
      p.setString(2, UtcTimes.format(d.at()));
      p.setString(3, d.actor());
      p.setString(4, d.partner());
      p.setString(5, d.product());
      p.setInt(6, d.version());
      p.setLong(7, d.rows());
      p.setLong(8, d.bytes());
      p.setString(9, d.via());
      p.executeUpdate();
    }
  }

  private static List<ReadRecord> reads(Connection c, String where, Object... args) throws SQLException {
    List<ReadRecord> out = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement("SELECT * FROM meter_reads WHERE " + where
        + " ORDER BY audit_seq, item")) {
      bind(p, args);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(new ReadRecord(r.getLong("audit_seq"), r.getInt("item"), UtcTimes.parse(r.getString("at")),
              r.getString("actor"), r.getString("organization"), r.getString("source"), getLong(r, "grant_id"),
              r.getString("run_key"), r.getString("pipeline"), r.getString("product"), r.getString("table_name"),
              r.getString("department"), getLong(r, "snapshot_id"), r.getLong("rows_read"), r.getLong("bytes_read")));
        }
      }
    }
    return out;
  }

  private static List<DeliveryRecord> deliveries(Connection c, String where, Object... args) throws SQLException {
    List<DeliveryRecord> out = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement("SELECT * FROM meter_deliveries WHERE " + where
        + " ORDER BY audit_seq")) {
      bind(p, args);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(new DeliveryRecord(r.getLong("audit_seq"), UtcTimes.parse(r.getString("at")), r.getString("actor"),
              r.getString("partner"), r.getString("product"), r.getInt("version"), r.getLong("rows_delivered"),
              r.getLong("bytes_delivered"), r.getString("via")));
        }
      }
    }
    return out;
  }

  private static void bind(PreparedStatement p, Object[] args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      p.setObject(i + 1, args[i]);
    }
  }

  private static void setLong(PreparedStatement p, int i, Long v) throws SQLException {
    if (v == null) {
      p.setNull(i, Types.BIGINT);
    } else {
      p.setLong(i, v);
    }
  }

  private static Long getLong(ResultSet r, String column) throws SQLException {
    long v = r.getLong(column);
    return r.wasNull() ? null : v;
  }
}
