package io.dataops.governance.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataops.core.BadInputException;
import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.core.digest.DigestAlgorithm;
import io.dataops.core.text.FreeText;
import io.dataops.governance.db.GovernanceDatabase;
import io.dataops.governance.db.UtcTimes;
import io.dataops.governance.identity.Names;
import io.dataops.governance.identity.Principal;
import io.dataops.governance.identity.Role;
import io.dataops.lakehouse.catalog.Lakehouse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The audit trail (全程审计): every event appended to one hash chain in the platform database, SM3 by default
 * ({@code hash = SM3(prev hash || canonical JSON of the event)}). Appends from any number of threads and processes
 * form one chain: each takes the chain head under a lock (SQLite's write lock, a PostgreSQL row lock) and moves it.
 * {@link #checkpoint} writes the head into the lakehouse, so that a rewrite of the database alone — every hash
 * recomputed — is found by {@link #verify} too.
 *
 * <p>As an {@link AuditSink} the trail records events as the platform's own ({@code system}); {@link #as} gives the
 * sink of a user's command.
 */
public final class AuditTrail implements AuditSink {
  public static final int MAX_OBJECTS = 200;
  public static final int MAX_OBJECT_LENGTH = AuditEvent.MAX_OBJECT_LENGTH;
  public static final int MAX_DETAILS_CHARS = 64 * 1024;
  private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_-]*(\\.[a-z0-9_-]+)*");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Actor SYSTEM = new Actor(Names.SYSTEM, null, null);

  private final GovernanceDatabase db;
  private final DigestAlgorithm digest;
  private final Clock clock;

  public AuditTrail(GovernanceDatabase db) {
    this(db, DigestAlgorithm.SM3, Clock.systemUTC());
  }

  /** @param digest the digest of new events (each event names its own, so a trail may change it) */
  public AuditTrail(GovernanceDatabase db, DigestAlgorithm digest, Clock clock) {
    this.db = db;
    this.digest = digest;
    this.clock = clock;
  }

  /** The newest event's sequence number and hash (0 and the start value when the trail is empty). */
  public record Head(long seq, String hash) {}

  private record Actor(String user, String organization, Role role) {}

  @Override
  public void record(AuditEvent event) {
    append(SYSTEM, event);
  }

  @Override
  public void record(Connection c, AuditEvent event) {
    append(c, SYSTEM, event);
  }

  @Override
  public void check(AuditEvent event) {
    prepare(event);
  }

  @Override
  public boolean recordUnlessHeld(AuditEvent event, String object, String detail, String value) {
    return appendUnlessHeld(SYSTEM, event, object, detail, value);
  }

  /** Whether the trail holds an event of {@code action}, outcome {@link AuditEvent#OK}, naming {@code object}. */
  public boolean holds(String action, String object) {
    return holds(action, object, null, null);
  }

  /**
   * As {@link #holds(String, String)}, for an event whose details also have {@code value} (text) under {@code detail}
   * (no condition on the details when {@code detail} is null).
   */
  public boolean holds(String action, String object, String detail, String value) {
    return db.read("look for an audit event", c -> holds(c, action, object, detail, value));
  }

  private boolean holds(Connection c, String action, String object, String detail, String value)
      throws SQLException {
    String sql = "SELECT seq FROM audit_events WHERE action = ? AND outcome = ? AND seq IN (SELECT seq FROM "
        + "audit_event_objects WHERE object = ?)";
    String text = null;
    if (detail != null) {
      // The details are canonical JSON: the pair as it spells it is in the text exactly when it is in the details.
      String pair = CanonicalJson.write(java.util.Map.of(detail, value));
      text = pair.substring(1, pair.length() - 1);
      sql += " AND " + (db.postgres() ? "strpos" : "instr") + "(details, ?) > 0";
    }
    try (PreparedStatement p = c.prepareStatement(sql + " LIMIT 1")) {
      p.setString(1, action);
      p.setString(2, AuditEvent.OK);
      p.setString(3, object);
      if (text != null) {
        p.setString(4, text);
      }
      try (ResultSet r = p.executeQuery()) {
        return r.next();
      }
    }
  }

  /** The sink of a command run by {@code principal}, when no single role applies (e.g. a refused command). */
  public AuditSink as(Principal principal) {
    return new ActorSink(new Actor(principal.name(), principal.organization(), null));
  }

  /** What a command's events are recorded through: as its actor, into this trail. */
  private final class ActorSink implements AuditSink {
    private final Actor actor;

    ActorSink(Actor actor) {
      this.actor = actor;
    }

    @Override
    public void record(AuditEvent event) {
      append(actor, event);
    }

    @Override
    public void record(Connection c, AuditEvent event) {
      append(c, actor, event);
    }

    @Override
    public void check(AuditEvent event) {
      prepare(event);
    }

    @Override
    public boolean recordUnlessHeld(AuditEvent event, String object, String detail, String value) {
      return appendUnlessHeld(actor, event, object, detail, value);
    }
  }

  /** The sink of a command run by {@code principal} in the role {@code used} (what the role check returned). */
  public AuditSink as(Principal principal, Role used) {
    if (!principal.has(used)) {
      throw new IllegalArgumentException(principal.name() + " does not hold the role " + used);
    }
    return new ActorSink(new Actor(principal.name(), principal.organization(), used));
  }

  private void append(Actor actor, AuditEvent event) {
    Prepared e = prepare(event);
    db.write("record audit event " + event.action(), c -> appendPrepared(c, actor, event, e));
  }

  /**
   * The look and the append in one transaction, the chain head locked first: a second command looking for the same
   * event waits for the first one's commit, then finds its event.
   */
  private boolean appendUnlessHeld(Actor actor, AuditEvent event, String object, String detail, String value) {
    if (!event.objects().contains(object)) {
      throw new IllegalArgumentException("audit event " + event.action() + " does not name " + object);
    }
    Prepared e = prepare(event);
    return db.write("record audit event " + event.action(), c -> {
      lockHead(c);
      if (holds(c, event.action(), object, detail, value)) {
        return false;
      }
      appendPrepared(c, actor, event, e);
      return true;
    });
  }

  /** Appends inside the caller's transaction, which must be on this trail's database. */
  private void append(Connection c, Actor actor, AuditEvent event) {
    Prepared e = prepare(event);
    try {
      if (!db.holds(c)) {
        throw new IllegalStateException("audit event " + event.action() + ": the transaction is on another database "
            + "than the audit trail (" + c.getMetaData().getURL() + ")");
      }
      appendPrepared(c, actor, event, e);
    } catch (SQLException x) {
      throw new IllegalStateException("cannot record audit event " + event.action() + " in the platform database: "
          + x.getMessage(), x);
    }
  }

  /** An event's objects and details as the chain stores them, checked before any transaction begins. */
  private record Prepared(String objects, String details) {}

  private static Prepared prepare(AuditEvent event) {
    String objects = CanonicalJson.write(checkedObjects(event));
    String details = CanonicalJson.write(event.details());
    if (details.length() > MAX_DETAILS_CHARS) {
      throw new IllegalArgumentException("the details of audit event " + event.action() + " exceed "
          + MAX_DETAILS_CHARS + " characters");
    }
    return new Prepared(objects, details);
  }

  private ChainEntry appendPrepared(Connection c, Actor actor, AuditEvent event, Prepared e) throws SQLException {
    Head head = lockHead(c);
    ChainEntry entry = new ChainEntry(head.seq() + 1, UtcTimes.format(clock.instant()), actor.user(),
        actor.organization(), actor.role() == null ? null : actor.role().label(), event.action(), e.objects(),
        event.outcome(), e.details(), digest.label(), head.hash(), null);
    entry = entry.withHashes(head.hash(), entry.hashAfter(head.hash()));
    insert(c, entry, event.objects());
    try (PreparedStatement p = c.prepareStatement(
        "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1 AND seq = ?")) {
      p.setLong(1, entry.seq());
      p.setString(2, entry.hash());
      p.setLong(3, head.seq());
      if (p.executeUpdate() != 1) {
        throw new IllegalStateException("the audit chain head moved while it was locked");
      }
    }
    return entry;
  }

  private static List<String> checkedObjects(AuditEvent event) {
    if (!ACTION.matcher(event.action()).matches() || event.action().length() > 100) {
      throw new IllegalArgumentException("audit action '" + event.action() + "' is not dotted lower-case words");
    }
    if (!List.of(AuditEvent.OK, AuditEvent.REFUSED, AuditEvent.FAILED).contains(event.outcome())) {
      throw new IllegalArgumentException("audit outcome '" + event.outcome() + "' is not ok, refused or failed");
    }
    if (event.objects().size() > MAX_OBJECTS) {
      throw new IllegalArgumentException("an audit event names at most " + MAX_OBJECTS + " objects");
    }
    for (String o : event.objects()) {
      if (o == null || o.isBlank() || o.length() > MAX_OBJECT_LENGTH) {
        throw new IllegalArgumentException("audit objects are 1 to " + MAX_OBJECT_LENGTH + " characters");
      }
    }
    return event.objects();
  }

  private Head lockHead(Connection c) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT seq, hash FROM audit_head WHERE id = 1" + db.forUpdate());
         ResultSet r = p.executeQuery()) {
      if (!r.next()) {
        throw new IllegalStateException("the audit chain head record is missing: the trail was tampered with"
            + " (see: dataops audit verify)");
      }
      return new Head(r.getLong(1), r.getString(2));
    }
  }

  private static void insert(Connection c, ChainEntry e, List<String> objects) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO audit_events (" + ChainEntry.COLUMNS
        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      int i = 1;
      p.setLong(i++, e.seq());
      p.setString(i++, e.at());
      p.setString(i++, e.actor());
      p.setString(i++, e.organization());
      p.setString(i++, e.role());
      p.setString(i++, e.action());
      p.setString(i++, e.objects());
      p.setString(i++, e.outcome());
      p.setString(i++, e.details());
      p.setString(i++, e.digest());
      p.setString(i++, e.prevHash());
      p.setString(i, e.hash());
      p.executeUpdate();
    }
    try (PreparedStatement p = c.prepareStatement("INSERT INTO audit_event_objects (object, seq) VALUES (?, ?)")) {
      for (String o : new LinkedHashSet<>(objects)) {
        p.setString(1, o);
        p.setLong(2, e.seq());
        p.executeUpdate();
      }
    }
  }

  public Head head() {
    return db.read("read the audit chain head", this::head);
  }

  private Head head(Connection c) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT seq, hash FROM audit_head WHERE id = 1");
         ResultSet r = p.executeQuery()) {
      return r.next() ? new Head(r.getLong(1), r.getString(2)) : null;
    }
  }

  /** The events the filter selects, at most its limit, in its order. */
  public List<AuditRecord> list(AuditFilter f) {
    StringBuilder sql = new StringBuilder("SELECT " + ChainEntry.COLUMNS + " FROM audit_events WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    condition(sql, args, "actor = ?", f.actor());
    condition(sql, args, "organization = ?", f.organization());
    if (f.action() != null && f.action().endsWith(".*")) {
      String prefix = f.action().substring(0, f.action().length() - 1);
      condition(sql, args, "substr(action, 1, " + prefix.length() + ") = ?", prefix);
    } else {
      condition(sql, args, "action = ?", f.action());
    }
    condition(sql, args, "seq IN (SELECT seq FROM audit_event_objects WHERE object = ?)", f.object());
    if (f.objectContains() != null) {
      // Objects are stored as JSON text: look for the text as JSON spells it.
      String json = CanonicalJson.write(f.objectContains());
      condition(sql, args, (db.postgres() ? "strpos" : "instr") + "(objects, ?) > 0",
          json.substring(1, json.length() - 1));
    }
    condition(sql, args, "outcome = ?", f.outcome());
    condition(sql, args, "at >= ?", f.from() == null ? null : UtcTimes.format(f.from()));
    condition(sql, args, "at < ?", f.until() == null ? null : UtcTimes.format(f.until()));
    sql.append(" ORDER BY seq ").append(f.newestFirst() ? "DESC" : "ASC").append(" LIMIT ?");
    args.add(f.limit());
    return db.read("list audit events", c -> {
      List<AuditRecord> out = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement(sql.toString())) {
        for (int i = 0; i < args.size(); i++) {
          p.setObject(i + 1, args.get(i));
        }
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            out.add(toRecord(ChainEntry.read(r)));
          }
        }
      }
      return out;
    });
  }

  /**
   * The events after {@code seq} whose action is one of {@code actions} (null: any), oldest first, at most
   * {@code limit}: the next page of a reader that derives records from the trail (metering, supervision) and
   * remembers where it stopped.
   */
  public List<AuditRecord> after(long seq, java.util.Collection<String> actions, int limit) {
    return after(seq, actions, null, limit);
  }

  /**
   * As {@link #after(long, java.util.Collection, int)}, only the events naming {@code object} (its exact typed name,
   * {@code product:p@1}; null: any), found through the objects' index rather than by reading every event of the
   * actions: what one version's deliveries are read by.
   */
  public List<AuditRecord> after(long seq, java.util.Collection<String> actions, String object, int limit) {
    if (actions != null && actions.isEmpty()) {
      return List.of();
    }
    String in = actions == null ? "" : " AND action IN ("
        + String.join(", ", java.util.Collections.nCopies(actions.size(), "?")) + ")";
    String naming = object == null ? "" : " AND seq IN (SELECT seq FROM audit_event_objects WHERE object = ?)";
    return db.read("read audit events", c -> {
      List<AuditRecord> out = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement("SELECT " + ChainEntry.COLUMNS + " FROM audit_events WHERE seq > ?"
          + in + naming + " ORDER BY seq LIMIT ?")) {
        int i = 1;
        p.setLong(i++, seq);
        for (String a : actions == null ? List.<String>of() : actions) {
          p.setString(i++, a);
        }
        if (object != null) {
          p.setString(i++, object);
        }
        p.setInt(i, limit);
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            out.add(toRecord(ChainEntry.read(r)));
          }
        }
      }
      return out;
    });
  }

  private static void condition(StringBuilder sql, List<Object> args, String clause, String value) {
    if (value != null) {
      sql.append(" AND ").append(clause);
      args.add(value);
    }
  }

  private static AuditRecord toRecord(ChainEntry e) {
    try {
      List<String> objects = JSON.readValue(e.objects(), new TypeReference<List<String>>() {});
      Map<String, Object> details = JSON.readValue(e.details(), new TypeReference<Map<String, Object>>() {});
      return new AuditRecord(e.seq(), Instant.parse(e.at()), e.actor(), e.organization(), e.role(), e.action(),
          List.copyOf(objects), e.outcome(), details, e.digest(), e.prevHash(), e.hash());
    } catch (JsonProcessingException | RuntimeException unreadable) {
      throw new IllegalStateException("audit event " + e.seq() + " cannot be read: the trail was tampered with"
          + " (see: dataops audit verify)");
    }
  }

  /**
   * Verifies the whole chain, and every checkpoint in the lakehouse against it. The checkpoints are read first, so
   * that one written meanwhile is of events already committed.
   */
  public Verification verify(Lakehouse lakehouse) {
    return verify(lakehouse, List.of());
  }

  /**
   * As {@link #verify(Lakehouse)}, with checkpoints kept elsewhere too ({@code anchored}: where whoever holds the
   * home cannot remove or rewrite them, such as a bucket with object lock): the chain must agree with those as well,
   * so a rewrite of the database and of the lakehouse's checkpoints together still shows.
   */
  public Verification verify(Lakehouse lakehouse, List<Checkpoint> anchored) {
    AuditCheckpoints.Found found = new AuditCheckpoints(lakehouse).readAll();
    List<Checkpoint> all = new ArrayList<>(found.checkpoints());
    for (Checkpoint a : anchored) {
      if (all.stream().noneMatch(cp -> cp.seq() == a.seq() && cp.hash().equals(a.hash()))) {
        all.add(a);
      }
    }
    Verification v = db.read("verify the audit trail", c -> ChainVerifier.verify(c, all, null));
    if (v.ok() && !found.tampered().isEmpty()) {
      return Verification.badCheckpoints(v.events(), "the checkpoints were tampered with: "
          + String.join("; ", found.tampered()), v.checkpoints());
    }
    return v;
  }

  /**
   * Writes the chain head into the lakehouse ({@code audit.checkpoints}), after verifying the events since the last
   * checkpoint: a broken chain is not checkpointed. Gives the last checkpoint when no event came since.
   *
   * @param reason why: {@code on demand}, {@code after destroy of product:p@2}
   */
  public Checkpoint checkpoint(Lakehouse lakehouse, String reason) {
    if (reason == null || reason.isBlank() || reason.length() > 200 || FreeText.unsafeAt(reason) >= 0) {
      throw new IllegalArgumentException("a checkpoint's reason is 1 to 200 characters");
    }
    AuditCheckpoints store = new AuditCheckpoints(lakehouse);
    AuditCheckpoints.Found found = store.readAll();
    if (!found.tampered().isEmpty()) {
      throw new BadInputException("the audit checkpoints were tampered with (" + String.join("; ", found.tampered())
          + "); a new checkpoint is not written over them (see: dataops audit verify)");
    }
    List<Checkpoint> checkpoints = found.checkpoints();
    Checkpoint anchor = checkpoints.stream().max(Comparator.comparingLong(Checkpoint::seq)).orElse(null);
    record State(Verification verification, Head head, String digest) {}
    State s = db.read("verify the audit trail", c -> {
      Verification v = ChainVerifier.verify(c, checkpoints, anchor);
      Head h = head(c);
      String d = null;
      if (h != null && h.seq() > 0) {
        try (PreparedStatement p = c.prepareStatement("SELECT digest FROM audit_events WHERE seq = ?")) {
          p.setLong(1, h.seq());
          try (ResultSet r = p.executeQuery()) {
            d = r.next() ? r.getString(1) : null;
          }
        }
      }
      return new State(v, h, d);
    });
    if (!s.verification().ok()) {
      throw new BadInputException("the audit trail does not verify at event " + s.verification().firstBad() + " ("
          + s.verification().reason() + "); a broken chain is not checkpointed (see: dataops audit verify)");
    }
    if (s.head().seq() == 0) {
      throw new BadInputException("the audit trail has no events yet: nothing to checkpoint");
    }
    if (anchor != null && anchor.seq() == s.head().seq()) {
      return anchor;
    }
    Checkpoint cp = new Checkpoint(s.head().seq(), s.head().hash(), s.digest(),
        clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS), reason.strip());
    store.append(cp);
    return cp;
  }
}
