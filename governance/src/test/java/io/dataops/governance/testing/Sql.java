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
