package io.dataops.governance.db;

import io.dataops.core.db.PlatformDatabase;
import io.dataops.core.db.Statements;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The governance tables of the platform database (the embedded SQLite file or PostgreSQL): identities and the audit
 * trail. Each change is one transaction that several processes may run at once: on SQLite it takes the database's
 * single write lock when it begins ({@code BEGIN IMMEDIATE}), so a read-then-write (the chain head, "is there an
 * admin yet") cannot interleave with another process's; on PostgreSQL the work takes a row or advisory lock itself.
 */
public final class GovernanceDatabase {
  public static final String MODULE = "governance";

  private final String url;
  private final Properties props;
  private final boolean postgres;

  public GovernanceDatabase(String jdbcUrl, String user, String password) {
    this.url = PlatformDatabase.url(jdbcUrl);
    this.props = PlatformDatabase.prepare(jdbcUrl, user, password);
    this.postgres = "postgresql".equals(PlatformDatabase.vendor(jdbcUrl));
    if (!postgres && !PlatformDatabase.readOnly(url)) {
      // Readers beside the writer: a long verify must not hold off appends (the catalog sets the same).
      props.setProperty("journal_mode", "WAL");
    }
    PlatformDatabase.migrate(jdbcUrl, user, password, MODULE);
  }

  /** Work on one connection inside one transaction. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Whether {@code c} is a connection to this database (the same URL): work appended to another module's
   * transaction (an audit event inside a version's move) must land in the database that transaction commits.
   */
  public boolean holds(Connection c) throws SQLException {
    return url.equals(c.getMetaData().getURL());
  }

  /** An embedded database in a home this process cannot write: it is read, never changed. */
  public boolean readOnly() {
    return PlatformDatabase.readOnly(url);
  }

  public boolean postgres() {
    return postgres;
  }

  /** {@code " FOR UPDATE"} on PostgreSQL (a row lock until commit), nothing on SQLite (the transaction holds the lock). */
  public String forUpdate() {
    return postgres ? " FOR UPDATE" : "";
  }

  /** Serializes transactions that use the same key on PostgreSQL (until commit); SQLite's write lock already does. */
  public void advisoryLock(Connection c, long key) throws SQLException {
    if (postgres) {
      try (var p = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
        p.setLong(1, key);
        p.execute();
      }
    }
  }

  /**
   * The platform-wide lock {@code name} ({@link io.dataops.core.db.DatabaseLock}: every process on every host sharing
   * this database), waiting up to {@code wait} for its holder; {@code what} says what the holder does.
   */
  public io.dataops.core.db.DatabaseLock lock(String name, String what, java.time.Duration wait) {
    return io.dataops.core.db.DatabaseLock.take(url, props, name, what, wait);
  }

  /** Runs a change in one transaction, committed when {@code work} returns and rolled back when it throws. */
  public <T> T write(String what, SqlWork<T> work) {
    return transaction(what, work, true);
  }

  /** Runs reads in one transaction, so that they all see the same state of the database. */
  public <T> T read(String what, SqlWork<T> work) {
    return transaction(what, work, false);
  }

  private <T> T transaction(String what, SqlWork<T> work, boolean write) {
    try (Connection c = PlatformDatabase.connect(url, props)) {
      // On SQLite the connection (ImmediateTransactions) begins a change with BEGIN IMMEDIATE and reads with a
      // deferred BEGIN, so that a long verify does not hold appends off.
      if (!write) {
        if (postgres) {
          c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        }
        c.setReadOnly(true);
      }
      return Statements.inTransaction(c, work::run);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot " + what + " in the platform database: " + firstLine(e), e);
    }
  }

  /** A unique or primary-key constraint refused the row (another process, or this one, made it first). */
  public static boolean isUniqueViolation(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        if ("23505".equals(sql.getSQLState())) {
          return true;
        }
        String m = String.valueOf(sql.getMessage());
        if (m.contains("SQLITE_CONSTRAINT_PRIMARYKEY") || m.contains("SQLITE_CONSTRAINT_UNIQUE")) {
          return true;
        }
      }
    }
    return false;
  }

  private static String firstLine(SQLException e) {
    return String.valueOf(e.getMessage()).lines().findFirst().orElse("");
  }
}
