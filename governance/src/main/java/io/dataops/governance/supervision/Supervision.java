package io.dataops.governance.supervision;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataops.core.BadInputException;
import io.dataops.core.audit.AuditEvent;
import io.dataops.core.files.OutFiles;
import io.dataops.governance.audit.AuditFilter;
import io.dataops.governance.audit.AuditRecord;
import io.dataops.governance.audit.AuditTrail;
import io.dataops.governance.db.GovernanceDatabase;
import io.dataops.governance.db.UtcTimes;
import io.dataops.governance.metering.Metering;
import java.io.IOException;
import java.io.UncheckedIOException;
import io.dataops.lakehouse.storage.Documents;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Security supervision (安全监管): the alert rules run over every audit event not scanned yet (and the metering records
 * derived from them): bursts of refused requests, repeated refused logins or tokens, a read far above a grant's
 * history, a failed leak check; at the end of each scan, records kept beside the chain ({@link DriftCheck}: metering,
 * the product registry) that differ from it. Each alert is stored once with its audit event ({@code alert.raise}, in
 * the same transaction), then written to the outbox of every authority organization and marked delivered; an alert a
 * stopped scan did not deliver is delivered by the next scan. Any process may scan at any time: each page of events
 * is one compare-and-set on the cursor.
 */
public final class Supervision {
  private static final int PAGE = 500;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long ID_LOCK = 0x646f705f616c7274L; // "dop_alrt"

  private final GovernanceDatabase db;
  private final AuditTrail trail;
  private final Metering metering;
  private final List<AlertRule> rules;
  private final List<DriftCheck> drifts;
  private final Documents outbox;
  private final Clock clock;

  /** @param outbox the home's outbox folder ({@code outbox/<organization>/}); null: alerts are stored and audited only */
  public Supervision(GovernanceDatabase db, AuditTrail trail, Metering metering, SupervisionRules thresholds,
      Path outbox, Clock clock) {
    this(db, trail, metering, thresholds, outbox == null ? null : Documents.local(outbox), clock);
  }

  /** @param outbox the outbox, in the home or a bucket; null: alerts are stored and audited only */
  public Supervision(GovernanceDatabase db, AuditTrail trail, Metering metering, SupervisionRules thresholds,
      Documents outbox, Clock clock) {
    this(db, trail, metering, thresholds, outbox, clock, List.of());
  }

  /**
   * @param drifts checks of other records beside the chain (the product registry), run after the metering records'
   *     at the end of each scan
   */
  public Supervision(GovernanceDatabase db, AuditTrail trail, Metering metering, SupervisionRules thresholds,
      Documents outbox, Clock clock, List<DriftCheck> drifts) {
    this.db = db;
    this.trail = trail;
    this.metering = metering;
    this.rules = Rules.all(thresholds);
    this.outbox = outbox;
    this.clock = clock;
    List<DriftCheck> all = new ArrayList<>();
    all.add(meteringDrift(metering));
    all.addAll(drifts);
    this.drifts = List.copyOf(all);
  }

  /** What a rule may look at besides the event: earlier events, alerts raised, metering. */
  public final class Context {
    private final List<Alert.Draft> pending = new ArrayList<>();

    /** The events the filter selects from {@code since} up to and including {@code event}, oldest first. */
    List<AuditRecord> window(AuditFilter filter, Instant since, AuditRecord event) {
      return trail.list(filter.between(since, event.at().plusNanos(1000)).limit(AuditFilter.MAX_LIMIT).oldestFirst())
          .stream().filter(x -> x.seq() <= event.seq()).toList();
    }

    /** Whether the rule alerted on the subject at or after {@code since} (stored, or earlier in this scan). */
    boolean alertedSince(String rule, String subject, Instant since) {
      for (Alert.Draft d : pending) {
        if (d.rule().equals(rule) && d.subject().equals(subject) && !d.lastAt().isBefore(since)) {
          return true;
        }
      }
      return db.read("read alerts", c -> {
        try (PreparedStatement p = c.prepareStatement(
            "SELECT COUNT(*) FROM gov_alerts WHERE rule = ? AND subject = ? AND last_at >= ?")) {
          p.setString(1, rule);
          p.setString(2, subject);
          p.setString(3, UtcTimes.format(since));
          try (ResultSet r = p.executeQuery()) {
            r.next();
            return r.getLong(1) > 0;
          }
        }
      });
    }

    Metering metering() {
      return metering;
    }
  }

  /** Runs the rules over the events recorded since the last scan; gives the alerts raised. */
  public List<Alert> scan() {
    return scanAndDeliverLate().raised();
  }

  /** What one scan did: alerts an earlier scan stored but had not delivered (delivered now first), and new ones. */
  public record Scan(List<Alert> deliveredLate, List<Alert> raised) {
    public Scan {
      deliveredLate = List.copyOf(deliveredLate);
      raised = List.copyOf(raised);
    }
  }

  /**
   * {@link #scan()}, also giving the earlier alerts it delivered first, so a command can say them apart without asking
   * for undelivered alerts a second time.
   */
  public Scan scanAndDeliverLate() {
    metering.sync();
    List<Alert> late = deliverPending();
    List<Alert> raised = new ArrayList<>();
    while (true) {
      long cursor = cursor();
      List<AuditRecord> page = trail.after(cursor, null, PAGE);
      if (page.isEmpty()) {
        for (DriftCheck d : drifts) {
          drift(d).ifPresent(raised::add);
        }
        return new Scan(late, raised);
      }
      Context ctx = new Context();
      for (AuditRecord e : page) {
        for (AlertRule rule : rules) {
          rule.check(e, ctx).ifPresent(ctx.pending::add);
        }
      }
      long last = page.get(page.size() - 1).seq();
      Instant now = clock.instant();
      List<Alert> stored = db.write("raise alerts", c -> {
        try (PreparedStatement p = c.prepareStatement(
            "UPDATE gov_supervision_cursor SET seq = ? WHERE id = 1 AND seq = ?")) {
          p.setLong(1, last);
          p.setLong(2, cursor);
          if (p.executeUpdate() != 1) {
            return null; // another process scanned this page first
          }
        }
        List<Alert> out = new ArrayList<>();
        List<String> authorities = authorities(c);
        for (Alert.Draft d : ctx.pending) {
          Alert a = insert(c, d, now);
          trail.record(c, raiseEvent(a, authorities)); // the alert and its event commit together
          out.add(a);
        }
        return out;
      });
      if (stored != null) {
        List<String> authorities = stored.isEmpty() ? List.of() : authorities();
        for (Alert a : stored) {
          deliver(a, authorities);
          raised.add(a);
        }
      }
    }
  }

  /**
   * The metering records held to the events they come from ({@link Metering#check}): a record changed, removed or
   * added in the platform database (which the chain does not cover) would bill another partner or nobody, and is never
   * derived again.
   */
  private static DriftCheck meteringDrift(Metering metering) {
    return new DriftCheck() {
      @Override
      public String rule() {
        return Rules.METERING_DRIFT;
      }

      @Override
      public String subject() {
        return "metering:records";
      }

      @Override
      public Optional<Drift> find() {
        io.dataops.governance.metering.MeteringCheck check = metering.checkDerived();
        return check.ok() ? Optional.empty() : Optional.of(new Drift(DriftCheck.message(
            "the metering records differ from the audit trail", check.problems(), Metering.MAX_PROBLEMS),
            Map.of("problems", check.problems(), "events", check.seqs())));
      }
    };
  }

  /**
   * Records beside the chain that differ from it: not a rule over one event but over the records, raised as the
   * check's rule (high) once per distinct drift (the same problems found by later scans raise nothing more), under the
   * alerts' lock, so processes scanning at once raise it once.
   */
  private Optional<Alert> drift(DriftCheck check) {
    Optional<DriftCheck.Drift> found = check.find();
    if (found.isEmpty()) {
      return Optional.empty();
    }
    String message = found.get().message();
    Instant now = clock.instant();
    Alert stored = db.write("raise alerts", c -> {
      db.advisoryLock(c, ID_LOCK);
      try (PreparedStatement p = c.prepareStatement("SELECT message FROM gov_alerts WHERE rule = ? ORDER BY id DESC"
          + " LIMIT 1")) {
        p.setString(1, check.rule());
        try (ResultSet r = p.executeQuery()) {
          if (r.next() && message.equals(r.getString(1))) {
            return null; // raised already, and nothing more has drifted
          }
        }
      }
      // Its events are those the trail held when the drift was found: each raise is an event, so a further drift is
      // raised at a later one.
      long head;
      try (PreparedStatement p = c.prepareStatement("SELECT seq FROM audit_head WHERE id = 1");
           ResultSet r = p.executeQuery()) {
        head = r.next() ? r.getLong(1) : 0;
      }
      Alert a = insert(c, new Alert.Draft(check.rule(), "high", check.subject(), head, head, now, message,
          found.get().details()), now);
      trail.record(c, raiseEvent(a, authorities(c)));
      return a;
    });
    if (stored == null) {
      return Optional.empty();
    }
    deliver(stored, authorities());
    return Optional.of(stored);
  }

  private Alert insert(Connection c, Alert.Draft d, Instant now) throws SQLException {
    db.advisoryLock(c, ID_LOCK);
    long id;
    try (PreparedStatement p = c.prepareStatement("SELECT COALESCE(MAX(id), 0) + 1 FROM gov_alerts");
         ResultSet r = p.executeQuery()) {
      r.next();
      id = r.getLong(1);
    }
    try (PreparedStatement p = c.prepareStatement("INSERT INTO gov_alerts (id, rule, severity, subject, raised_at,"
        + " first_seq, last_seq, last_at, message, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      p.setLong(1, id);
      p.setString(2, d.rule());
      p.setString(3, d.severity());
      p.setString(4, d.subject());
      p.setString(5, UtcTimes.format(now));
      p.setLong(6, d.firstSeq());
      p.setLong(7, d.lastSeq());
      p.setString(8, UtcTimes.format(d.lastAt()));
      p.setString(9, d.message());
      p.setString(10, json(d.details()));
      p.executeUpdate();
    }
    return new Alert(id, d.rule(), d.severity(), d.subject(), UtcTimes.parse(UtcTimes.format(now)), d.firstSeq(),
        d.lastSeq(), UtcTimes.parse(UtcTimes.format(d.lastAt())), d.message(), d.details());
  }

  /**
   * To every authority's outbox (a file per alert, written again with the same content when a scan stopped before
   * marking it delivered), then marked delivered.
   */
  private void deliver(Alert a, List<String> authorities) {
    if (outbox == null) {
      return;
    }
    for (String org : authorities) {
      Documents alerts = outbox.resolve(org, "alerts");
      try {
        alerts.writeString("alert-" + a.id() + "-" + a.rule() + ".json",
            JSON.writerWithDefaultPrettyPrinter().writeValueAsString(describe(a)));
      } catch (IOException e) {
        // Stored with its event already: said as what to mend, not as an internal error (found by a probe).
        Optional<String> why = OutFiles.reason(e);
        String message = "cannot deliver alert " + a.id() + " to " + alerts + why.map(r -> ": " + r).orElse("")
            + " (the alert is stored; the next scan delivers it once that folder can be written)";
        throw why.isPresent() ? new BadInputException(message, e) : new UncheckedIOException(message, e);
      }
    }
    db.write("mark alert " + a.id() + " delivered", c -> {
      try (PreparedStatement p = c.prepareStatement("UPDATE gov_alerts SET delivered_at = ? WHERE id = ?")) {
        p.setString(1, UtcTimes.format(clock.instant()));
        p.setLong(2, a.id());
        return p.executeUpdate();
      }
    });
  }

  /**
   * Alerts a scan stored (with their events) but was stopped before writing to the outbox (or could not write it):
   * delivered now, and given. A scan delivers them first ({@link #scanAndDeliverLate()} gives them).
   */
  private List<Alert> deliverPending() {
    if (outbox == null) {
      return List.of();
    }
    List<Alert> pending = db.read("read undelivered alerts", c -> {
      List<Alert> out = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement("SELECT * FROM gov_alerts WHERE delivered_at IS NULL ORDER BY id");
           ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(alert(r));
        }
      }
      return out;
    });
    if (!pending.isEmpty()) {
      List<String> authorities = authorities();
      pending.forEach(a -> deliver(a, authorities));
    }
    return pending;
  }

  private static AuditEvent raiseEvent(Alert a, List<String> authorities) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("rule", a.rule());
    details.put("severity", a.severity());
    details.put("subject", a.subject());
    details.put("firstSeq", a.firstSeq());
    details.put("lastSeq", a.lastSeq());
    details.put("message", a.message());
    details.put("deliveredTo", authorities);
    List<String> objects = new ArrayList<>(List.of("alert:" + a.id()));
    for (String part : a.subject().split(" ")) {
      objects.add(part);
    }
    return new AuditEvent("alert.raise", objects, AuditEvent.OK, details);
  }

  /** An alert as the outbox file and the command line show it. */
  public static Map<String, Object> describe(Alert a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", a.id());
    m.put("rule", a.rule());
    m.put("severity", a.severity());
    m.put("subject", a.subject());
    m.put("raisedAt", UtcTimes.format(a.raisedAt()));
    m.put("firstSeq", a.firstSeq());
    m.put("lastSeq", a.lastSeq());
    m.put("lastAt", UtcTimes.format(a.lastAt()));
    m.put("message", a.message());
    m.put("details", a.details());
    return m;
  }

  private List<String> authorities() {
    return db.read("read the authorities", Supervision::authorities);
  }

  private static List<String> authorities(Connection c) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement(
        "SELECT id FROM gov_organizations WHERE kind = 'authority' ORDER BY id");
         ResultSet r = p.executeQuery()) {
      while (r.next()) {
        out.add(r.getString(1));
      }
    }
    return out;
  }

  private long cursor() {
    return db.read("read the supervision cursor", c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT seq FROM gov_supervision_cursor WHERE id = 1");
           ResultSet r = p.executeQuery()) {
        return r.next() ? r.getLong(1) : 0L;
      }
    });
  }

  /** The alerts raised at or after {@code from} and before {@code until}, oldest first. */
  public List<Alert> alerts(Instant from, Instant until) {
    return db.read("read alerts", c -> {
      List<Alert> out = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement(
          "SELECT * FROM gov_alerts WHERE raised_at >= ? AND raised_at < ? ORDER BY id")) {
        p.setString(1, UtcTimes.format(from));
        p.setString(2, UtcTimes.format(until));
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            out.add(alert(r));
          }
        }
      }
      return out;
    });
  }

  private static Alert alert(ResultSet r) throws SQLException {
    return new Alert(r.getLong("id"), r.getString("rule"), r.getString("severity"), r.getString("subject"),
        UtcTimes.parse(r.getString("raised_at")), r.getLong("first_seq"), r.getLong("last_seq"),
        UtcTimes.parse(r.getString("last_at")), r.getString("message"), map(r.getString("details")));
  }

  private static String json(Map<String, Object> m) {
    try {
      return JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> map(String json) {
    try {
      return JSON.readValue(json, new TypeReference<Map<String, Object>>() { });
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an alert's details are not JSON", e);
    }
  }
}
