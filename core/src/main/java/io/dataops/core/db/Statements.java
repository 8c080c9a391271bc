package io.dataops.core.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

/**
 * One statement per connection on the platform database, for small stores that read and write a few rows at a time
 * (the landed-feed ledger, the scheduler's tables). {@code what} names the tables in errors ("the landed-feed ledger").
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

  public int update(String sql, Binder binder) {
    try (Connection c = PlatformDatabase.connect(url, props); PreparedStatement p = c.prepareStatement(sql)) {
      binder.bind(p);
      return p.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot write " + what + ": " + e.getMessage(), e);
    }
  }
}
