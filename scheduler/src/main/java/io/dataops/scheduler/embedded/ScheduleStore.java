package io.dataops.scheduler.embedded;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataops.core.BadInputException;
import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.core.db.PlatformDatabase;
import io.dataops.core.db.Statements;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The scheduler's tables in the platform database (migrations under {@code db/migration/scheduler}): schedules, their
 * runs, and the lease that lets one scheduler at a time run them. Every claim is a single statement that only one
 * caller can win (an insert under a unique key, an update guarded by the state it expects), so a restarted scheduler,
 * or two started at once, neither loses nor doubles a run.
 */
public final class ScheduleStore {
  static final String MODULE = "scheduler";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LEASE = "embedded";

  private final Statements db;

  public ScheduleStore(String jdbcUrl, String user, String password) {
    PlatformDatabase.migrate(jdbcUrl, user, password, MODULE);
    this.db = new Statements(PlatformDatabase.url(jdbcUrl), PlatformDatabase.prepare(jdbcUrl, user, password),
        "the scheduler's tables");
  }

  // ---- schedules

  /**
   * Adds or replaces a schedule (a replaced one keeps its progress: what was claimed stays claimed), committed with its
   * audit {@code event} in one transaction. Only the user a schedule runs as replaces it: another user's schedule of
   * the same id (a copy of the pipeline file, or another department's quality schedule of a table) is refused,
   * checked in the transaction that would replace it.
   */
  public void save(Schedule s, AuditSink audit, AuditEvent event) {
    save(s, false, audit, saved -> event);
  }

  /** As {@link #save(Schedule, boolean, boolean, AuditSink, Function)}, keeping no attempts. */
  public Schedule save(Schedule given, boolean keepTimeout, AuditSink audit, Function<Schedule, AuditEvent> event) {
    return save(given, keepTimeout, false, audit, event);
  }

  /**
   * As {@link #save(Schedule, AuditSink, AuditEvent)}; with {@code keepTimeout} (and {@code keepAttempts}) a schedule
   * replaced keeps the timeout (the attempts) it had instead of {@code s}'s (which a new one gets), read in the same
   * transaction (re-adding a schedule without saying them reset them to the defaults). {@code event} is made of the
   * schedule as saved, which is returned.
   */
  public Schedule save(Schedule given, boolean keepTimeout, boolean keepAttempts, AuditSink audit,
      Function<Schedule, AuditEvent> event) {
    return db.transaction(c -> {
      Optional<Schedule> old = schedule(c, given.id());
      Schedule kept = keepTimeout && old.isPresent() ? given.withTimeout(old.get().timeout()) : given;
      Schedule s = keepAttempts && old.isPresent() ? kept.withMaxAttempts(old.get().maxAttempts()) : kept;
      if (old.isPresent() && !old.get().runAs().equals(s.runAs())) {
        throw notReplaceable(old.get());
      }
      if (old.isPresent()) {
        Statements.update(c, "UPDATE schedules SET kind = ?, target = ?, command = ?, cron = ?, on_feed = ?,"
            + " inputs = ?, run_as = ?, max_attempts = ?, created_by = ?, timeout_seconds = ? WHERE id = ?", p -> {
              p.setString(1, s.kind());
              p.setString(2, s.target());
              p.setString(3, json(s.command()));
              p.setString(4, s.cron());
              p.setInt(5, s.onFeed() ? 1 : 0);
              p.setString(6, json(s.inputs()));
              p.setString(7, s.runAs());
              p.setInt(8, s.maxAttempts());
              p.setString(9, s.createdBy());
              p.setLong(10, s.timeout().getSeconds());
              p.setString(11, s.id());
            });
        if (s.lastFeed() != null && old.get().lastFeed() == null) {
          Statements.update(c, FEED_SEEN, p -> feedSeen(p, s.id(), s.lastFeed()));
        }
      } else {
        Statements.update(c, "INSERT INTO schedules (id, kind, target, command, cron, on_feed, inputs, run_as,"
            + " max_attempts, paused, created_at, created_by, last_due, last_feed, timeout_seconds)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", p -> {
              p.setString(1, s.id());
              p.setString(2, s.kind());
              p.setString(3, s.target());
              p.setString(4, json(s.command()));
              p.setString(5, s.cron());
              p.setInt(6, s.onFeed() ? 1 : 0);
              p.setString(7, json(s.inputs()));
              p.setString(8, s.runAs());
              p.setInt(9, s.maxAttempts());
              p.setInt(10, s.paused() ? 1 : 0);
              p.setLong(11, s.createdAt());
              p.setString(12, s.createdBy());
              if (s.lastDue() == null) {
                p.setNull(13, Types.BIGINT);
              } else {
                p.setLong(13, s.lastDue());
              }
              p.setString(14, s.lastFeed());
              p.setLong(15, s.timeout().getSeconds());
            });
      }
      audit.record(c, event.apply(s));
      return s;
    });
  }

  private static final String SCHEDULE = "SELECT * FROM schedules WHERE id = ?";

  private Optional<Schedule> schedule(java.sql.Connection c, String id) throws SQLException {
    try (var p = c.prepareStatement(SCHEDULE)) {
      p.setString(1, id);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? Optional.of(readSchedule(rs)) : Optional.empty();
      }
    }
  }

  public List<Schedule> schedules() {
    return db.query("SELECT * FROM schedules ORDER BY id", p -> { }, rs -> {
      List<Schedule> out = new ArrayList<>();
      while (rs.next()) {
        out.add(readSchedule(rs));
      }
      return out;
    });
  }

  /** The refusal of a change to schedule {@code id}, found when it was made to be removed meanwhile. */
  public static io.dataops.core.BadInputException removedMeanwhile(String id) {
    return new io.dataops.core.BadInputException("no schedule " + id + ": it was removed meanwhile (see: dataops "
        + "schedule list)");
  }

  /** The refusal of a replacement of {@code s} by another user than the one it runs as. */
  public static io.dataops.core.AccessDeniedException notReplaceable(Schedule s) {
    return new io.dataops.core.AccessDeniedException("schedule " + s.id() + " runs as " + s.runAs()
        + "; only that user replaces it (the authority or the admin may pause it)", List.of());
  }

  public Optional<Schedule> schedule(String id) {
    return db.query(SCHEDULE, p -> p.setString(1, id),
        rs -> rs.next() ? Optional.of(readSchedule(rs)) : Optional.empty());
  }

  /** The schedule, or a bad-input error naming the ones there are. */
  public Schedule require(String id) {
    return schedule(id).orElseThrow(() -> new BadInputException("no schedule '" + id + "' (see: dataops schedule list)"));
  }

  /**
   * Pauses or resumes a schedule, committed with the audit event {@code event} makes of whether it changed (false: it
   * was so already). Resuming runs from {@code now} on: the occurrences that fell while it was paused are not run.
   */
  public boolean pause(String id, boolean paused, long now, AuditSink audit, Function<Boolean, AuditEvent> event) {
    return db.transaction(c -> {
      boolean changed = Statements.update(c, "UPDATE schedules SET paused = ? WHERE id = ? AND paused = ?", p -> {
        p.setInt(1, paused ? 1 : 0);
        p.setString(2, id);
        p.setInt(3, paused ? 0 : 1);
      }) == 1;
      if (changed && !paused) {
        Statements.update(c, DUE_CLAIMED, p -> dueClaimed(p, id, now));
      }
      audit.record(c, event.apply(changed));
      return changed;
    });
  }

  /**
   * Removes a schedule, committed with its audit event; its runs stay in the history. Refused while a run of it is
   * not over (queued, running or retrying): pause it, and remove it once that run has ended. False when there is no
   * such schedule. Found by a probe: a schedule could not be removed at all, so one left by a clerk who left, or one
   * taking another organization's pipeline name, stayed for good.
   */
  public boolean remove(String id, AuditSink audit, AuditEvent event) {
    return db.transaction(c -> {
      // The schedule's row goes first: on PostgreSQL that waits for a manual trigger's transaction holding it
      // (claim), whose run is then counted below; a trigger after it finds no schedule.
      boolean removed = Statements.update(c, "DELETE FROM schedules WHERE id = ?", p -> p.setString(1, id)) == 1;
      if (!removed) {
        return false;
      }
      try (java.sql.PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM schedule_runs WHERE schedule_id = ?"
          + " AND state IN (?, ?, ?)")) {
        p.setString(1, id);
        p.setString(2, ScheduledRun.QUEUED);
        p.setString(3, ScheduledRun.RUNNING);
        p.setString(4, ScheduledRun.RETRYING);
        try (java.sql.ResultSet r = p.executeQuery()) {
          r.next();
          if (r.getLong(1) > 0) {
            throw new io.dataops.core.BadInputException("schedule " + id + " has a run that is not over: pause it "
                + "(dataops schedule pause " + id + "), and remove it once that run has ended (dataops schedule runs "
                + id + ")");
          }
        }
      }
      audit.record(c, event);
      return true;
    });
  }

  private static final String DUE_CLAIMED = "UPDATE schedules SET last_due = ? WHERE id = ? AND (last_due IS NULL"
      + " OR last_due < ?)";

  private static void dueClaimed(java.sql.PreparedStatement p, String id, long due) throws SQLException {
    p.setLong(1, due);
    p.setString(2, id);
    p.setLong(3, due);
  }

  void feedSeen(String id, String fingerprint) {
    db.update(FEED_SEEN, p -> feedSeen(p, id, fingerprint));
  }

  private static final String FEED_SEEN = "UPDATE schedules SET last_feed = ? WHERE id = ?";

  private static void feedSeen(java.sql.PreparedStatement p, String id, String fingerprint) throws SQLException {
    p.setString(1, fingerprint);
    p.setString(2, id);
  }

  // ---- runs

  /**
   * Claims a run for a trigger; false when it was claimed before (by anyone). The scheduler's own claims (cron, feed)
   * are audited by their runs' {@code schedule.run} events.
   */
  public boolean claim(String scheduleId, String triggerKey, String trigger, long dueAt, long now) {
    return db.update(CLAIM, p -> claim(p, scheduleId, triggerKey, trigger, dueAt, now)) == 1;
  }

  /** A claim someone asked for (a manual trigger), committed with its audit event in one transaction. */
  public boolean claim(String scheduleId, String triggerKey, String trigger, long dueAt, long now, AuditSink audit,
      AuditEvent event) {
    return db.transaction(c -> {
      // Holds the schedule's row to the commit (PostgreSQL), so that a remove at once waits and then counts this run;
      // found by a probe: a trigger racing a remove queued a run of a schedule that no longer existed.
      if (Statements.update(c, "UPDATE schedules SET id = id WHERE id = ?", p -> p.setString(1, scheduleId)) != 1) {
        throw removedMeanwhile(scheduleId);
      }
      boolean claimed = Statements.update(c, CLAIM, p -> claim(p, scheduleId, triggerKey, trigger, dueAt, now)) == 1;
      if (claimed) {
        audit.record(c, event);
      }
      return claimed;
    });
  }

  /**
   * Claims one run for the cron occurrences from {@code firstDue} to {@code lastDue} ({@code occurrences} of them) and
   * records {@code lastDue} as the schedule's newest claimed occurrence, in one transaction: a scheduler killed in
   * between leaves neither, so the next one counts the same occurrences again, and none is claimed twice. False when
   * the run was claimed before.
   */
  boolean claimCron(String scheduleId, long firstDue, long lastDue, int occurrences, long now) {
    return db.transaction(c -> {
      boolean claimed = Statements.update(c, CLAIM_CRON, p -> {
        claim(p, scheduleId, "cron:" + lastDue, "cron", lastDue, now);
        p.setInt(7, occurrences);
        p.setLong(8, firstDue);
      }) == 1;
      Statements.update(c, DUE_CLAIMED, p -> dueClaimed(p, scheduleId, lastDue));
      return claimed;
    });
  }

  private static final String CLAIM_CRON = "INSERT INTO schedule_runs (schedule_id, trigger_key, trigger_kind, due_at,"
      + " state, attempts, next_attempt_at, occurrences, first_due) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)"
      + " ON CONFLICT DO NOTHING";

  private static final String CLAIM = "INSERT INTO schedule_runs (schedule_id, trigger_key, trigger_kind, due_at,"
      + " state, attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, 0, ?) ON CONFLICT DO NOTHING";

  private static void claim(java.sql.PreparedStatement p, String scheduleId, String triggerKey, String trigger,
      long dueAt, long now) throws SQLException {
    p.setString(1, scheduleId);
    p.setString(2, triggerKey);
    p.setString(3, trigger);
    p.setLong(4, dueAt);
    p.setString(5, ScheduledRun.QUEUED);
    p.setLong(6, now);
  }

  /**
   * Runs ready to start now (queued, or retrying and their wait is over), oldest first, at most one per schedule and
   * none of a schedule with a run running: one run of a schedule at a time (two runs of one pipeline at once would
   * race to the same version).
   */
  List<ScheduledRun> ready(long now, int limit) {
    // A paused schedule holds its queued and retrying runs too (they kept starting after a pause: a backlog of
    // missed occurrences ran on for minutes).
    return db.query("SELECT r.* FROM schedule_runs r JOIN schedules s ON s.id = r.schedule_id"
        + " WHERE r.state IN (?, ?) AND r.next_attempt_at <= ? AND s.paused = 0 AND NOT EXISTS (SELECT 1 FROM"
        + " schedule_runs o WHERE o.schedule_id = r.schedule_id AND o.state = ?) ORDER BY r.due_at, r.id",
        p -> {
          p.setString(1, ScheduledRun.QUEUED);
          p.setString(2, ScheduledRun.RETRYING);
          p.setLong(3, now);
          p.setString(4, ScheduledRun.RUNNING);
        }, rs -> {
          List<ScheduledRun> out = new ArrayList<>();
          Set<String> schedules = new HashSet<>();
          while (rs.next() && out.size() < limit) {
            ScheduledRun r = readRun(rs);
            if (schedules.add(r.scheduleId())) {
              out.add(r);
            }
          }
          return out;
        });
  }

  /** The schedules with a run not over (queued, running or retrying). */
  Set<String> unfinished() {
    return db.query("SELECT DISTINCT schedule_id FROM schedule_runs WHERE state IN (?, ?, ?)", p -> {
      p.setString(1, ScheduledRun.QUEUED);
      p.setString(2, ScheduledRun.RUNNING);
      p.setString(3, ScheduledRun.RETRYING);
    }, rs -> {
      Set<String> out = new HashSet<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    });
  }

  /** Starts an attempt: true for the one caller that moved it from queued or retrying to running. */
  boolean start(long runId, String owner, long now) {
    return db.update("UPDATE schedule_runs SET state = ?, attempts = attempts + 1, owner = ?, started_at = ?"
        + " WHERE id = ? AND state IN (?, ?)", p -> {
          p.setString(1, ScheduledRun.RUNNING);
          p.setString(2, owner);
          p.setLong(3, now);
          p.setLong(4, runId);
          p.setString(5, ScheduledRun.QUEUED);
          p.setString(6, ScheduledRun.RETRYING);
        }) == 1;
  }

  /** Ends an attempt as succeeded, failed, or retrying at {@code nextAttemptAt}. */
  void finish(long runId, String owner, String state, int exitStatus, String error, long now, long nextAttemptAt) {
    db.update("UPDATE schedule_runs SET state = ?, exit_status = ?, error = ?, finished_at = ?, next_attempt_at = ?"
        + " WHERE id = ? AND owner = ? AND state = ?", p -> {
          p.setString(1, state);
          p.setInt(2, exitStatus);
          p.setString(3, error == null ? null : error.substring(0, Math.min(error.length(), 1000)));
          p.setLong(4, now);
          p.setLong(5, nextAttemptAt);
          p.setLong(6, runId);
          p.setString(7, owner);
          p.setString(8, ScheduledRun.RUNNING);
        });
  }

  /**
   * Runs a dead scheduler left running go back to the queue, to be run again at once (a run is idempotent: a pipeline
   * run again makes the same version, not a second one). Returns how many.
   */
  int requeueAbandoned(String newOwner, long now) {
    return requeue("owner IS NULL OR owner <> ?", newOwner, now);
  }

  /** The other schedulers that have runs running (left by a dead one, or by one that lost the lease meanwhile). */
  Set<String> runningOwners(String except) {
    return db.query("SELECT DISTINCT owner FROM schedule_runs WHERE state = ? AND owner IS NOT NULL AND owner <> ?",
        p -> {
          p.setString(1, ScheduledRun.RUNNING);
          p.setString(2, except);
        }, rs -> {
          Set<String> out = new HashSet<>();
          while (rs.next()) {
            out.add(rs.getString(1));
          }
          return out;
        });
  }

  /** Why a run a scheduler left running was queued again. */
  static final String INTERRUPTED = "interrupted: its scheduler stopped during the attempt";

  /** As {@link #requeueAbandoned}, the runs scheduler {@code deadOwner} left running. */
  int requeueAbandonedBy(String deadOwner, long now) {
    return requeue("owner = ?", deadOwner, now);
  }

  /** Queues again, to run at once, the running runs whose owner meets {@code whose} (its one parameter: owner). */
  private int requeue(String whose, String owner, long now) {
    return db.update("UPDATE schedule_runs SET state = ?, next_attempt_at = ?, error = ? WHERE state = ? AND ("
        + whose + ")", p -> {
          p.setString(1, ScheduledRun.RETRYING);
          p.setLong(2, now);
          p.setString(3, INTERRUPTED);
          p.setString(4, ScheduledRun.RUNNING);
          p.setString(5, owner);
        });
  }

  public List<ScheduledRun> runs(String scheduleId, int limit) {
    return runs(scheduleId, id -> true, limit);
  }

  /** The newest {@code limit} runs of the schedules {@code shown} holds (of {@code scheduleId} when given). */
  public List<ScheduledRun> runs(String scheduleId, java.util.function.Predicate<String> shown, int limit) {
    String sql = "SELECT * FROM schedule_runs" + (scheduleId == null ? "" : " WHERE schedule_id = ?")
        + " ORDER BY id DESC";
    return db.query(sql, p -> {
      if (scheduleId != null) {
        p.setString(1, scheduleId);
      }
    }, rs -> {
      List<ScheduledRun> out = new ArrayList<>();
      while (out.size() < limit && rs.next()) {
        if (shown.test(rs.getString("schedule_id"))) {
          out.add(readRun(rs));
        }
      }
      return out;
    });
  }

  // ---- the lease

  /** Takes the lease if it is free or its holder stopped renewing it; renews it if held by {@code owner}. */
  boolean acquire(String owner, long now, long leaseMillis) {
    db.update("INSERT INTO scheduler_lease (name, owner, heartbeat_at) VALUES (?, NULL, 0) ON CONFLICT DO NOTHING",
        p -> p.setString(1, LEASE));
    return db.update("UPDATE scheduler_lease SET owner = ?, heartbeat_at = ? WHERE name = ? AND (owner IS NULL"
        + " OR owner = ? OR heartbeat_at < ?)", p -> {
          p.setString(1, owner);
          p.setLong(2, now);
          p.setString(3, LEASE);
          p.setString(4, owner);
          p.setLong(5, now - leaseMillis);
        }) == 1;
  }

  /** Who holds the lease, or null. */
  String leaseHolder() {
    return db.query("SELECT owner FROM scheduler_lease WHERE name = ?", p -> p.setString(1, LEASE),
        rs -> rs.next() ? rs.getString(1) : null);
  }

  void release(String owner) {
    db.update("UPDATE scheduler_lease SET owner = NULL WHERE name = ? AND owner = ?", p -> {
      p.setString(1, LEASE);
      p.setString(2, owner);
    });
  }

  // ---- plumbing

  private static Schedule readSchedule(ResultSet rs) throws SQLException {
    long lastDue = rs.getLong("last_due");
    Long due = rs.wasNull() ? null : lastDue;
    return new Schedule(rs.getString("id"), rs.getString("kind"), rs.getString("target"),
        list(rs.getString("command")), rs.getString("cron"), rs.getInt("on_feed") == 1, list(rs.getString("inputs")),
        rs.getString("run_as"), rs.getInt("max_attempts"), rs.getInt("paused") == 1, rs.getLong("created_at"),
        rs.getString("created_by"), due, rs.getString("last_feed"),
        java.time.Duration.ofSeconds(rs.getLong("timeout_seconds")));
  }

  private static ScheduledRun readRun(ResultSet rs) throws SQLException {
    long started = rs.getLong("started_at");
    Long startedAt = rs.wasNull() ? null : started;
    long finished = rs.getLong("finished_at");
    Long finishedAt = rs.wasNull() ? null : finished;
    int exit = rs.getInt("exit_status");
    Integer exitStatus = rs.wasNull() ? null : exit;
    long first = rs.getLong("first_due");
    long firstDue = rs.wasNull() ? rs.getLong("due_at") : first;
    return new ScheduledRun(rs.getLong("id"), rs.getString("schedule_id"), rs.getString("trigger_key"),
        rs.getString("trigger_kind"), rs.getLong("due_at"), rs.getString("state"), rs.getInt("attempts"),
        rs.getLong("next_attempt_at"), rs.getString("owner"), startedAt, finishedAt, exitStatus,
        rs.getString("error"), rs.getInt("occurrences"), firstDue);
  }

  private static String json(List<String> values) {
    try {
      return JSON.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> list(String json) {
    if (json == null) {
      return List.of();
    }
    try {
      return JSON.readValue(json, new TypeReference<List<String>>() { });
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a schedule's stored list is not JSON", e);
    }
  }
}
