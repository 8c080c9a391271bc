package io.dataops.governance.testing;

import io.dataops.core.db.PlatformDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Direct SQL on the platform database, as someone with access to it (and no platform code) would run it. */
public record Sql(String url, String user, String password) {
  public int update(String sql, Object... args) {
    try (Connection c = PlatformDatabase.connect(url, PlatformDatabase.prepare(url, user, password));
         PreparedStatement p = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        p.setObject(i + 1, args[i]);
      }
      return p.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Makes every insert into the audit trail fail with {@code message}, as a full database fails it at that point (a
   * trigger, in SQLite's or PostgreSQL's syntax); {@link #acceptAuditInserts} drops it.
   */
  public void refuseAuditInserts(String message) {
    if (postgres()) {
      update("CREATE OR REPLACE FUNCTION full_trail() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION '" + message
          + "'; END $$ LANGUAGE plpgsql");
      update("CREATE TRIGGER full_trail BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION full_trail()");
    } else {
      update("CREATE TRIGGER full_trail BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, '" + message
          + "'); END");
    }
  }

  public void acceptAuditInserts() {
    update(postgres() ? "DROP TRIGGER full_trail ON audit_events" : "DROP TRIGGER full_trail");
  }

  private boolean postgres() {
    return url.startsWith("jdbc:postgresql:");
  }

  /** The first column of every row. */
  public List<String> column(String sql, Object... args) {
    try (Connection c = PlatformDatabase.connect(url, PlatformDatabase.prepare(url, user, password));
         PreparedStatement p = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        p.setObject(i + 1, args[i]);
      }
      List<String> out = new ArrayList<>();
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(r.getString(1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
