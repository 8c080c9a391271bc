package io.dataops.core.db;

import io.dataops.core.BadInputException;
import io.dataops.core.digest.Digests;
import io.dataops.core.files.OwnerOnly;
import io.dataops.core.files.ProcessLock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named lock every process sharing the platform database sees, held until closed: for work that must not
 * interleave across processes and outlives one transaction (a product's publish commits to the catalog and to the
 * registry in several steps). On PostgreSQL a session-level advisory lock on a connection of its own (any host; the
 * server releases it when the connection drops, so a killed holder does not keep it); on the embedded SQLite file a
 * {@link ProcessLock} on a file beside it (the embedded profile is one host; the system releases it with its process).
 * A taker waits for the holder, up to a limit, and is then refused: the lock serializes short work, it is not a queue.
 */
public final class DatabaseLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseLock.class);
  /** The first of PostgreSQL's two 32-bit advisory keys for these locks ("dlck"): apart from one-key locks. */
  private static final int PG_SPACE = 0x646c636b;
  private static final long POLL_MILLIS = 50;
  /** How a lock's session begins its application name: "dataops-lock 4711 on host node-b". */
  private static final String APPLICATION = "dataops-lock ";

  private final Connection postgres;
  private final int key;
  private final ProcessLock file;

  private DatabaseLock(Connection postgres, int key, ProcessLock file) {
    this.postgres = postgres;
    this.key = key;
    this.file = file;
  }

  /**
   * Takes the lock {@code name} of the database at {@code jdbcUrl} (as given to {@link PlatformDatabase#prepare}),
   * waiting up to {@code wait} while another process holds it; {@code what} says in the refusal and the log what the
   * holder is doing ("publishing a version of product X").
   */
  public static DatabaseLock take(String jdbcUrl, Properties props, String name, String what, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    boolean logged = false;
    try {
      if (jdbcUrl.startsWith("jdbc:postgresql:")) {
        int key = postgresKey(name);
        Connection c = connectNamed(jdbcUrl, props);
        try {
          while (!tryPostgres(c, key)) {
            logged = waitOrRefuse(deadline, logged, holder(c, key), what, wait);
          }
          return new DatabaseLock(c, key, null);
        } catch (RuntimeException | SQLException | InterruptedException e) {
          c.close();
          throw e;
        }
      }
      Path db = PlatformDatabase.sqliteFile(jdbcUrl).orElseThrow(() -> new IllegalStateException(
          "a lock needs the platform database's file or PostgreSQL, not " + jdbcUrl.split("\\?")[0]));
      Path lockFile = db.resolveSibling("locks").resolve(Digests.sha256(name).substring(0, 32) + ".lock");
      OwnerOnly.directories(lockFile.getParent());
      while (true) {
        Optional<ProcessLock> taken = ProcessLock.tryTake(lockFile);
        if (taken.isPresent()) {
          return new DatabaseLock(null, 0, taken.get());
        }
        logged = waitOrRefuse(deadline, logged, ProcessLock.holder(lockFile), what, wait);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot take the lock for " + what, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot take the lock for " + what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to begin " + what, e);
    }
  }

  /**
   * The lock {@code name} of a PostgreSQL platform database if no other session holds it now, else empty; for work a
   * second taker must be refused, not wait for (a pipeline run going on elsewhere). Only PostgreSQL: the embedded
   * profile's processes share one host, where a {@link ProcessLock} names its holder.
   */
  public static Optional<DatabaseLock> tryTake(String jdbcUrl, Properties props, String name) {
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("tryTake is for a PostgreSQL platform database");
    }
    int key = postgresKey(name);
    try {
      Connection c = connectNamed(jdbcUrl, props);
      try {
        if (tryPostgres(c, key)) {
          return Optional.of(new DatabaseLock(c, key, null));
        }
        c.close();
        return Optional.empty();
      } catch (SQLException | RuntimeException e) {
        c.close();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot take the lock " + name, e);
    }
  }

  /**
   * Who holds the lock {@code name} of a PostgreSQL platform database, as a message says it: "process 4711 on host
   * node-b" (the session's application name, which the taker set), else "another process".
   */
  public static String holder(String jdbcUrl, Properties props, String name) {
    try (Connection c = PlatformDatabase.connect(jdbcUrl, props)) {
      return holder(c, postgresKey(name));
    } catch (SQLException e) {
      return "another process";
    }
  }

  private static String holder(Connection c, int key) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a"
        + " ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2"
        + " AND l.classid::bigint = ? AND l.objid::bigint = ?")) {
      p.setLong(1, Integer.toUnsignedLong(PG_SPACE));
      p.setLong(2, Integer.toUnsignedLong(key));
      try (ResultSet r = p.executeQuery()) {
        String app = r.next() ? r.getString(1) : null;
        return app != null && app.startsWith(APPLICATION) ? "process " + app.substring(APPLICATION.length())
            : "another process";
      }
    }
  }

  /** A connection whose session names this process (PostgreSQL shows it to a waiter as the holder). */
  private static Connection connectNamed(String jdbcUrl, Properties props) throws SQLException {
    Properties named = new Properties();
    named.putAll(props);
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "an unnamed host";
    }
    String who = APPLICATION + ProcessHandle.current().pid() + " on host " + host;
    named.setProperty("ApplicationName", who.length() > 63 ? who.substring(0, 63) : who); // the server's limit
    return PlatformDatabase.connect(jdbcUrl, named);
  }

  private static boolean tryPostgres(Connection c, int key) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
      p.setInt(1, PG_SPACE);
      p.setInt(2, key);
      try (ResultSet r = p.executeQuery()) {
        r.next();
        return r.getBoolean(1);
      }
    }
  }

  private static boolean waitOrRefuse(long deadline, boolean logged, String holder, String what, Duration wait)
      throws InterruptedException {
    if (System.nanoTime() > deadline) {
      throw new BadInputException(holder + " has been " + what + " for longer than " + wait.toMinutes()
          + " minutes; try again when it has finished");
    }
    if (!logged) {
      LOG.info("waiting for {}, which is {}", holder, what);
    }
    Thread.sleep(POLL_MILLIS);
    return true;
  }

  /** The second advisory key: the name's SHA-256, first 32 bits (two names sharing one only serialize each other). */
  private static int postgresKey(String name) {
    return (int) Long.parseLong(Digests.sha256(name).substring(0, 8), 16);
  }

  @Override
  public void close() {
    try {
      if (postgres != null) {
        try (Connection c = postgres; PreparedStatement p = c.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
          p.setInt(1, PG_SPACE);
          p.setInt(2, key);
          p.execute();
        }
      } else {
        file.close();
      }
    } catch (SQLException | IOException e) {
      // PostgreSQL frees the lock with its connection, the system the file's with its channel: both are closed
      LOG.warn("releasing a lock failed; it is released with its connection or file", e);
    }
  }
}
