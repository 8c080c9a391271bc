package io.dataops.core.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

/**
 * One statement per connection on the platform database, for small stores that read and write a few rows at a time
 * (the landed-feed ledger, the scheduler's tables), or a few in one {@link #transaction}. {@code what} names the
 * tables in errors ("the landed-feed ledger").
 */
public record Statements(String url, Properties props, String what) {

  /** Sets a statement's parameters. */
  @FunctionalInterface
  public interface Binder {
    void bind(PreparedStatement p) throws SQLException;
  }

  /** Reads a result set into a value. */
  @FunctionalInterface
  public interface Reader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  public <T> T query(String sql, Binder binder, Reader<T> reader) {
    try (Connection c = PlatformDatabase.connect(url, props); PreparedStatement p = c.prepareStatement(sql)) {
      binder.bind(p);
      try (ResultSet rs = p.executeQuery()) {
        return reader.read(rs);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read " + what + ": " + e.getMessage(), e);
    }
  }

  /** Work on one connection inside one transaction: committed when it returns, rolled back when it throws. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction: for a change that must commit together with something else on the same
   * database, such as its audit event ({@link io.dataops.core.audit.AuditSink#record(Connection,
   * io.dataops.core.audit.AuditEvent)}).
   */
  public <T> T transaction(Work<T> work) {
    try (Connection c = PlatformDatabase.connect(url, props)) {
      return inTransaction(c, work);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot write " + what + ": " + e.getMessage(), e);
    }
  }

  /** Runs {@code work} on {@code c} in one transaction: committed when it returns, rolled back when it throws. */
  public static <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
    c.setAutoCommit(false);
    boolean done = false;
    try {
      T result = work.run(c);
      c.commit();
      done = true;
      return result;
    } finally {
      if (!done) {
        try {
          c.rollback();
        } catch (SQLException ignored) {
          // the work's failure is what matters; closing the connection ends the transaction anyway
        }
      }
    }
  }

  /** One statement on a connection of {@link #transaction}; the rows it changed. */
  public static int update(Connection c, String sql, Binder binder) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql)) {
      binder.bind(p);
      return p.executeUpdate();
    }
  }

  public int update(String sql, Binder binder) {
    try (Connection c = PlatformDatabase.connect(url, props); PreparedStatement p = c.prepareStatement(sql)) {
      binder.bind(p);
      return p.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot write " + what + ": " + e.getMessage(), e);
    }
  }
}
