package io.dataops.pipelines.plan;

import io.dataops.core.db.PlatformDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The input snapshots of the pipeline runs (and the platform's quality runs) going on now, in the platform database,
 * so that table maintenance (on any host sharing it) does not expire them, nor delete the data files a run has pinned
 * and is reading: a compaction followed by an expiry with a short maximum age deleted a file under a run that had not
 * read it yet. A run holds its pin while it goes on, beating once a minute; a run that ends with its version (a
 * quality run: that ends at all) releases it. A pin that stopped beating (its process killed, or only paused) stays
 * valid for maintenance's safety age after its last beat, as unreferenced files do, and is then dropped. It does not make a killed run resumable across maintenance: the same
 * command binds each table's current snapshot, which a compaction or a landing since has changed (a new run).
 */
public final class RunPins {
  private static final Logger LOG = LoggerFactory.getLogger(RunPins.class);
  /** How often a run in flight says it still is: far below the least safety age maintenance accepts (one hour). */
  static final Duration BEAT = Duration.ofMinutes(1);
  private final String url;
  private final Properties props;
  private final Clock clock;

  public RunPins(String jdbcUrl, String user, String password) {
    this(jdbcUrl, user, password, Clock.systemUTC());
  }

  RunPins(String jdbcUrl, String user, String password, Clock clock) {
    this.url = PlatformDatabase.url(jdbcUrl);
    this.props = PlatformDatabase.prepare(jdbcUrl, user, password);
    this.clock = clock;
    PlatformDatabase.migrate(jdbcUrl, user, password, "runs");
  }

  /** The snapshots a plan reads: every input's snapshot, an incremental input's start, a population's snapshot. */
  public static Map<String, Set<Long>> snapshotsOf(RunPlan plan) {
    Map<String, Set<Long>> out = new LinkedHashMap<>();
    for (PinnedInput in : plan.inputs()) {
      Set<Long> s = out.computeIfAbsent(in.input().table().toString(), t -> new TreeSet<>());
      s.add(in.input().snapshotId());
      if (in.fromExclusive() != null) {
        s.add(in.fromExclusive());
      }
    }
    var privacy = plan.pipeline().privacy();
    var population = privacy == null ? null : privacy.population();
    if (population != null) {
      out.computeIfAbsent(population.table().toString(), t -> new TreeSet<>()).add(population.snapshotId());
    }
    return out;
  }

  /**
   * Pins {@code snapshots} for the run {@code runKey} (a run resumed or run again takes its pin over) and beats until the pin is
   * closed. Close it in a finally; {@link Held#release} first when the run has ended with its version.
   */
  public Held hold(String runKey, String product, Map<String, Set<Long>> snapshots) {
    long now = clock.millis();
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement d = c.prepareStatement("DELETE FROM run_pins WHERE run_key = ?")) {
          d.setString(1, runKey);
          d.executeUpdate();
        }
        try (PreparedStatement p = c.prepareStatement(
            "INSERT INTO run_pins (run_key, product, snapshots, started_at, beat_at) VALUES (?, ?, ?, ?, ?)")) {
          p.setString(1, runKey);
          p.setString(2, product);
          p.setString(3, encode(snapshots));
          p.setLong(4, now);
          p.setLong(5, now);
          p.executeUpdate();
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot record the run's input snapshots in the platform database", e);
    }
    return new Held(runKey);
  }

  /** A run's pin: beats while open. */
  public final class Held implements AutoCloseable {
    private final String runKey;
    private final ScheduledExecutorService beats;

    private Held(String runKey) {
      this.runKey = runKey;
      this.beats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "run-pin-beat");
        t.setDaemon(true);
        return t;
      });
      beats.scheduleWithFixedDelay(this::beat, BEAT.toMillis(), BEAT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void beat() {
      try (Connection c = connect();
           PreparedStatement p = c.prepareStatement("UPDATE run_pins SET beat_at = ? WHERE run_key = ?")) {
        p.setLong(1, clock.millis());
        p.setString(2, runKey);
        p.executeUpdate();
      } catch (SQLException | RuntimeException e) {
        // A missed beat shortens the pin's life to the safety age after the last one; the next beat may get through.
        LOG.warn("cannot renew the input pin of run {}: {}", runKey.substring(0, 16), e.toString());
      }
    }

    /** The run ended with its version: its inputs need no keeping any more (the version's lineage pins its own). */
    public void release() {
      beats.shutdownNow();
      try (Connection c = connect();
           PreparedStatement p = c.prepareStatement("DELETE FROM run_pins WHERE run_key = ?")) {
        p.setString(1, runKey);
        p.executeUpdate();
      } catch (SQLException e) {
        // Left behind, the pin lapses after the safety age like a killed run's.
        LOG.warn("cannot release the input pin of run {}: {}", runKey.substring(0, 16), e.toString());
      }
    }

    @Override
    public void close() {
      beats.shutdownNow();
    }
  }

  /**
   * Table → snapshots pinned by runs that beat within {@code grace} (maintenance's safety age); pins older than that
   * are dropped.
   */
  public Map<String, Set<Long>> live(Duration grace) {
    long cutoff = clock.instant().minus(grace).toEpochMilli();
    Map<String, Set<Long>> out = new HashMap<>();
    try (Connection c = connect()) {
      try (PreparedStatement p = c.prepareStatement("SELECT run_key, snapshots, beat_at FROM run_pins");
           ResultSet r = p.executeQuery()) {
        java.util.List<String> lapsed = new java.util.ArrayList<>();
        while (r.next()) {
          if (r.getLong("beat_at") < cutoff) {
            lapsed.add(r.getString("run_key"));
            continue;
          }
          decode(r.getString("snapshots")).forEach((t, s) -> out.computeIfAbsent(t, x -> new TreeSet<>()).addAll(s));
        }
        r.close();
        for (String key : lapsed) {
          try (PreparedStatement d = c.prepareStatement("DELETE FROM run_pins WHERE run_key = ? AND beat_at < ?")) {
            d.setString(1, key);
            d.setLong(2, cutoff);
            d.executeUpdate();
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the input snapshots of runs in flight", e);
    }
    return out;
  }

  private Connection connect() throws SQLException {
    return PlatformDatabase.connect(url, props);
  }

  /** {@code table@snapshot} pairs, comma-separated (table names hold neither character). */
  static String encode(Map<String, Set<Long>> snapshots) {
    StringBuilder b = new StringBuilder();
    snapshots.forEach((table, ids) -> ids.forEach(id -> b.append(b.length() == 0 ? "" : ",").append(table)
        .append('@').append(id)));
    return b.toString();
  }

  static Map<String, Set<Long>> decode(String text) {
    Map<String, Set<Long>> out = new LinkedHashMap<>();
    if (text.isEmpty()) {
      return out;
    }
    for (String pair : text.split(",")) {
      int at = pair.lastIndexOf('@');
      out.computeIfAbsent(pair.substring(0, at), t -> new TreeSet<>()).add(Long.parseLong(pair.substring(at + 1)));
    }
    return out;
  }
}
