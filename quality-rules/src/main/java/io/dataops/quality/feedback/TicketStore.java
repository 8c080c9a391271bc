package io.dataops.quality.feedback;

import io.dataops.core.BadInputException;
import io.dataops.core.StateRefusedException;
import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.core.db.PlatformDatabase;
import io.dataops.core.text.FreeText;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Tickets and their events in the platform database: the embedded SQLite file by default, PostgreSQL in
 * production (the same JDBC URL as the catalog). Plain SQL both understand; each change is one transaction.
 */
public final class TicketStore {
  private final String url;
  private final Properties props;

  /** The longest note a department may give (as a grant's reason or note): a paragraph, not a file pasted in. */
  public static final int NOTE_MAX = FreeText.MAX;
  /** The longest name a department signs with ({@code --by}): a person and their office. */
  public static final int SIGNER_MAX = 100;

  public TicketStore(String jdbcUrl, String user, String password) {
    this.url = PlatformDatabase.url(jdbcUrl);
    this.props = PlatformDatabase.prepare(jdbcUrl, user, password);
    PlatformDatabase.migrate(jdbcUrl, user, password, "tickets");
  }

  Connection connect() throws SQLException {
    return io.dataops.core.db.PlatformDatabase.connect(url, props);
  }

  static String now() {
    return OffsetDateTime.now(ZoneOffset.UTC).toString();
  }

  /** How long a feed's check waits for another process checking the same feed (a large feed's check takes minutes). */
  public static final java.time.Duration FEED_CHECK_WAIT = java.time.Duration.ofHours(1);

  /**
   * Holds the lock of the feed checks of {@code table} until closed, across processes: from the decision to check a
   * feed to its feedback, so that two sends of one feed (its first intake killed before the feedback) take turns and
   * the second finds the first's feedback instead of recording the feed's rows again (found by a probe). One lock per
   * table, not per feed: the embedded profile keeps a lock file per name, and feeds are many.
   */
  public io.dataops.core.db.DatabaseLock feedCheck(String table, String feedId) {
    return io.dataops.core.db.DatabaseLock.take(url, props, "quality checks of the feeds of " + table,
        "checking feed " + feedId + " of " + table, FEED_CHECK_WAIT);
  }

  /** The ticket of a rule on a table, if there has ever been one. */
  Optional<Ticket> find(Connection c, String table, String ruleKey) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT * FROM dq_tickets WHERE table_name = ? AND rule_key = ?")) {
      p.setString(1, table);
      p.setString(2, ruleKey);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? Optional.of(ticket(r)) : Optional.empty();
      }
    }
  }

  /**
   * Whether the feed's quality run was recorded, with its report and event ({@link Feedback#deliver}): a landing
   * stopped after its commit and before this (killed, a full disk) did not, and the same feed sent again completes it.
   */
  public boolean fed(String table, String feedId) {
    try (Connection c = connect()) {
      return fed(c, table, feedId);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the quality runs of " + table, e);
    }
  }

  /**
   * As {@link #fed(String, String)}, inside a transaction that records the feed's run: on PostgreSQL it first takes a
   * lock on the feed until commit (SQLite's transactions hold the database's write lock already), so that two
   * transactions recording the same feed's run take turns and the second sees the first's.
   */
  boolean fed(Connection c, String table, String feedId) throws SQLException {
    if (c.getMetaData().getURL().startsWith("jdbc:postgresql:")) {
      try (PreparedStatement p = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
        p.setLong(1, ((long) table.hashCode() << 32) ^ feedId.hashCode());
        p.execute();
      }
    }
    try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM dq_runs WHERE table_name = ? AND feed_id = ?")) {
      p.setString(1, table);
      p.setString(2, feedId);
      try (ResultSet r = p.executeQuery()) {
        return r.next();
      }
    }
  }

  /** One feed's quality run as recorded: when, the rules evaluated and met, and whether the feed passed them all. */
  public record FeedRun(String table, String dataset, String feedId, String at, int evaluated, int successful,
      boolean passed) {}

  /** The department's feed runs, oldest first (what scorecards and evaluations count). */
  public List<FeedRun> feedRuns(String department) {
    try (Connection c = connect();
         PreparedStatement p = c.prepareStatement("SELECT table_name, dataset, feed_id, at, evaluated, successful, "
             + "success FROM dq_runs WHERE department = ? AND feed_id IS NOT NULL ORDER BY at")) {
      p.setString(1, department);
      List<FeedRun> out = new ArrayList<>();
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(new FeedRun(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getInt(5),
              r.getInt(6), r.getInt(7) == 1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the quality runs of " + department, e);
    }
  }

  public Optional<Ticket> get(long id) {
    try (Connection c = connect();
         PreparedStatement p = c.prepareStatement("SELECT * FROM dq_tickets WHERE id = ?")) {
      p.setLong(1, id);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? Optional.of(ticket(r)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read ticket " + id, e);
    }
  }

  public List<Ticket> list(String department, Ticket.State state) {
    StringBuilder sql = new StringBuilder("SELECT * FROM dq_tickets WHERE 1 = 1");
    List<String> args = new ArrayList<>();
    if (department != null) {
      sql.append(" AND department = ?");
      args.add(department);
    }
    if (state != null) {
      sql.append(" AND state = ?");
      args.add(state.spelling());
    }
    sql.append(" ORDER BY id");
    try (Connection c = connect(); PreparedStatement p = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        p.setString(i + 1, args.get(i));
      }
      List<Ticket> out = new ArrayList<>();
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(ticket(r));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot list tickets", e);
    }
  }

  public List<Ticket.Event> events(long ticketId) {
    try (Connection c = connect();
         PreparedStatement p = c.prepareStatement("SELECT * FROM dq_ticket_events WHERE ticket_id = ? ORDER BY at")) {
      p.setLong(1, ticketId);
      List<Ticket.Event> out = new ArrayList<>();
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(new Ticket.Event(r.getLong("ticket_id"), r.getString("at"), r.getString("event"),
              r.getString("actor"), r.getString("note")));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the events of ticket " + ticketId, e);
    }
  }

  /**
   * A department acknowledges a ticket (it has seen it and is working on it); the change commits with its {@code
   * feedback.ack} event, recorded through {@code audit}.
   */
  public Ticket acknowledge(long id, String actor, String note, AuditSink audit) {
    return transition(id, actor, note, Ticket.State.ACKNOWLEDGED, "acknowledged_at", audit, "feedback.ack");
  }

  /**
   * A department says the problem is fixed at the source; the next feed that passes the rule verifies it. The change
   * commits with its {@code feedback.resolve} event.
   */
  public Ticket resolve(long id, String actor, String note, AuditSink audit) {
    if (note == null || note.isBlank()) {
      throw new BadInputException("resolving a ticket needs a note saying what was fixed");
    }
    return transition(id, actor, note, Ticket.State.RESOLVED, "resolved_at", audit, "feedback.resolve");
  }

  /**
   * Who acts on a ticket: the authenticated {@code user}, with the name the department signs with when given ({@code
   * --by}), refused (exit 2) when longer than {@link #SIGNER_MAX} or over more than one line.
   */
  public static String actor(String user, String by) {
    if (by == null || by.isBlank()) {
      return user;
    }
    String name = by.strip();
    String problem = FreeText.problem(name, SIGNER_MAX);
    if (problem != null) {
      throw new BadInputException("--by (the name the department signs with) " + problem);
    }
    return name + " (" + user + ")";
  }

  private Ticket transition(long id, String actor, String note, Ticket.State to, String timeColumn, AuditSink audit,
      String action) {
    if (note != null && note.length() > NOTE_MAX) {
      throw new BadInputException("a note is at most " + NOTE_MAX + " characters (it has " + note.length() + ")");
    }
    // Shown as one line of the ticket's history: a line feed in it would forge the lines after it ("verified ...").
    FreeText.line("--note", note);
    Ticket t = get(id).orElseThrow(() -> new BadInputException("no ticket " + id + " (see: dataops feedback list)"));
    if (t.state() == Ticket.State.VERIFIED) {
      throw new StateRefusedException("ticket " + id + " is verified (a later feed passed the rule); nothing to do",
          List.of("ticket:" + id));
    }
    if (to == Ticket.State.ACKNOWLEDGED && t.state() != Ticket.State.OPEN) {
      throw new StateRefusedException("ticket " + id + " is " + t.state().spelling() + "; only an open ticket is "
          + "acknowledged", List.of("ticket:" + id));
    }
    if (to == Ticket.State.RESOLVED && t.state() == Ticket.State.RESOLVED) {
      throw new StateRefusedException("ticket " + id + " is already resolved; the next passing feed verifies it",
          List.of("ticket:" + id));
    }
    String at = now();
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      try (PreparedStatement p = c.prepareStatement("UPDATE dq_tickets SET state = ?, " + timeColumn + " = ?"
          + (to == Ticket.State.RESOLVED ? ", resolution_note = ?" : "") + " WHERE id = ?")) {
        int i = 1;
        p.setString(i++, to.spelling());
        p.setString(i++, at);
        if (to == Ticket.State.RESOLVED) {
          p.setString(i++, note);
        }
        p.setLong(i, id);
        p.executeUpdate();
      }
      event(c, id, at, to.spelling(), actor, note);
      audit.record(c, AuditEvent.ok(action, List.of("ticket:" + id), Map.of()));
      c.commit();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot update ticket " + id, e);
    }
    return get(id).orElseThrow();
  }

  static void event(Connection c, long id, String at, String event, String actor, String note) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(
        "INSERT INTO dq_ticket_events (ticket_id, at, event, actor, note) VALUES (?, ?, ?, ?, ?)")) {
      p.setLong(1, id);
      p.setString(2, at);
      p.setString(3, event);
      p.setString(4, actor);
      p.setString(5, note);
      p.executeUpdate();
    }
  }

  static Ticket ticket(ResultSet r) throws SQLException {
    return new Ticket(r.getLong("id"), r.getString("department"), r.getString("dataset"), r.getString("table_name"),
        r.getString("rule_key"), r.getString("expectation_type"), r.getString("columns"), r.getString("severity"),
        Ticket.State.valueOf(r.getString("state").toUpperCase(java.util.Locale.ROOT)), r.getString("opened_at"),
        r.getString("opened_run"), r.getString("last_failed_at"), r.getString("last_failed_run"),
        r.getString("last_failed_feed"), r.getLong("last_failing_rows"), r.getInt("reopened"),
        r.getString("acknowledged_at"), r.getString("resolved_at"), r.getString("resolution_note"),
        r.getString("verified_at"), r.getString("verified_run"));
  }
}
