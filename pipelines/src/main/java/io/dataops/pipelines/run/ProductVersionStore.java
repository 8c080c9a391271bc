package io.dataops.pipelines.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataops.core.db.PlatformDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Product versions in the platform database (the catalog's JDBC URL: the embedded SQLite file, or PostgreSQL).
 * Versions number from 1 per product; a run key identifies a run, so recording the same run twice (a job re-run after
 * its commit) gives back the version it already made.
 */
public final class ProductVersionStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String url;
  private final Properties props;

  public ProductVersionStore(String jdbcUrl, String user, String password) {
    this.url = PlatformDatabase.url(jdbcUrl);
    this.props = PlatformDatabase.prepare(jdbcUrl, user, password);
    PlatformDatabase.migrate(jdbcUrl, user, password, "products");
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(url, props);
  }

  /**
   * Records a new draft version (numbered after the product's last), or returns the version already recorded for the
   * same run key.
   */
  public ProductVersion record(ProductVersion v) {
    for (int attempt = 0; ; attempt++) {
      try (Connection c = connect()) {
        c.setAutoCommit(false);
        Optional<ProductVersion> existing = byRunKey(c, v.runKey());
        if (existing.isPresent()) {
          c.rollback();
          return existing.get();
        }
        int next;
        try (PreparedStatement p = c.prepareStatement("SELECT COALESCE(MAX(version), 0) FROM product_versions"
            + " WHERE product = ?")) {
          p.setString(1, v.product());
          try (ResultSet r = p.executeQuery()) {
            r.next();
            next = r.getInt(1) + 1;
          }
        }
        ProductVersion numbered = new ProductVersion(v.product(), next, v.state(), v.table(), v.snapshotId(),
            v.pipeline(), v.pipelineSha256(), v.scenario(), v.owner(), v.engine(), v.runKey(), v.inputs(),
            v.policies(), v.privacy(), v.leakCheck(), v.quality(), v.rowsIn(), v.rowsOut(), v.rowsSuppressed(), v.unfitValues(),
            v.createdAt());
        try (PreparedStatement p = c.prepareStatement("INSERT INTO product_versions (product, version, state,"
            + " table_name, snapshot_id, pipeline, pipeline_sha256, scenario, owner, engine, run_key, inputs, policies,"
            + " privacy, leak_check, quality, rows_in, rows_out, rows_suppressed, unfit_values, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
          int i = 1;
          p.setString(i++, numbered.product());
          p.setInt(i++, numbered.version());
          p.setString(i++, numbered.state());
          p.setString(i++, numbered.table());
          p.setLong(i++, numbered.snapshotId());
          p.setString(i++, numbered.pipeline());
          p.setString(i++, numbered.pipelineSha256());
          p.setString(i++, numbered.scenario());
          p.setString(i++, numbered.owner());
          p.setString(i++, numbered.engine());
          p.setString(i++, numbered.runKey());
          p.setString(i++, json(numbered.inputs()));
          p.setString(i++, json(numbered.policies()));
          p.setString(i++, numbered.privacy() == null ? null : json(numbered.privacy()));
          p.setString(i++, json(numbered.leakCheck()));
          p.setString(i++, numbered.quality() == null ? null : json(numbered.quality()));
          p.setLong(i++, numbered.rowsIn());
          p.setLong(i++, numbered.rowsOut());
          p.setLong(i++, numbered.rowsSuppressed());
          p.setString(i++, json(numbered.unfitValues()));
          p.setString(i, numbered.createdAt());
          p.executeUpdate();
        }
        c.commit();
        return numbered;
      } catch (SQLException e) {
        // Two runs of one product numbering at once: one insert loses on the primary key; number again.
        if (attempt < 5 && (e.getMessage() != null && (e.getMessage().contains("UNIQUE") || e.getMessage()
            .contains("duplicate key") || e.getMessage().contains("SQLITE_BUSY")))) {
          continue;
        }
        throw new IllegalStateException("cannot record the product version", e);
      }
    }
  }

  public Optional<ProductVersion> byRunKey(String runKey) {
    try (Connection c = connect()) {
      return byRunKey(c, runKey);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private Optional<ProductVersion> byRunKey(Connection c, String runKey) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT * FROM product_versions WHERE run_key = ?")) {
      p.setString(1, runKey);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? Optional.of(read(r)) : Optional.empty();
      }
    }
  }

  public List<ProductVersion> list(String product) {
    String sql = "SELECT * FROM product_versions" + (product == null ? "" : " WHERE product = ?")
        + " ORDER BY product, version";
    try (Connection c = connect(); PreparedStatement p = c.prepareStatement(sql)) {
      if (product != null) {
        p.setString(1, product);
      }
      List<ProductVersion> out = new ArrayList<>();
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(read(r));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public Optional<ProductVersion> find(String product, int version) {
    return list(product).stream().filter(v -> v.version() == version).findFirst();
  }

  private static ProductVersion read(ResultSet r) throws SQLException {
    return new ProductVersion(r.getString("product"), r.getInt("version"), r.getString("state"),
        r.getString("table_name"), r.getLong("snapshot_id"), r.getString("pipeline"), r.getString("pipeline_sha256"),
        r.getString("scenario"), r.getString("owner"), r.getString("engine"), r.getString("run_key"),
        parse(r.getString("inputs"), new TypeReference<Map<String, Long>>() { }),
        parse(r.getString("policies"), new TypeReference<Map<String, String>>() { }),
        r.getString("privacy") == null ? null : parse(r.getString("privacy"), new TypeReference<Map<String, Object>>() { }),
        parse(r.getString("leak_check"), new TypeReference<Map<String, Object>>() { }),
        r.getString("quality") == null ? null : parse(r.getString("quality"), new TypeReference<Map<String, Object>>() { }),
        r.getLong("rows_in"), r.getLong("rows_out"), r.getLong("rows_suppressed"),
        parse(r.getString("unfit_values"), new TypeReference<Map<String, Long>>() { }), r.getString("created_at"));
  }

  private static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> T parse(String s, TypeReference<T> type) {
    try {
      return s == null ? null : JSON.readValue(s, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a product version record is not valid JSON", e);
    }
  }
}
