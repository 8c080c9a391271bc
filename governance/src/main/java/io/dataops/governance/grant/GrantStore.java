package io.dataops.governance.grant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataops.governance.db.GovernanceDatabase;
import io.dataops.governance.db.UtcTimes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The rows of applications, their resources and decisions (called inside the caller's transaction). */
final class GrantStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long ID_LOCK = 0x646f705f6772616eL; // "dop_gran"

  private final GovernanceDatabase db;

  GrantStore(GovernanceDatabase db) {
    this.db = db;
  }

  /** The next application number; the write lock (SQLite) or an advisory lock (PostgreSQL) keeps it unique. */
  long nextId(Connection c) throws SQLException {
    db.advisoryLock(c, ID_LOCK);
    try (PreparedStatement p = c.prepareStatement("SELECT COALESCE(MAX(id), 0) + 1 FROM gov_grants");
         ResultSet r = p.executeQuery()) {
      r.next();
      return r.getLong(1);
    }
  }

  void insert(Connection c, Grant g) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO gov_grants (id, scenario, purpose, operator, applicant,"
        + " products, valid_from, expires_at, state, applied_at, application_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
        + " ?, ?)")) {
      int i = 1;
      p.setLong(i++, g.id());
      p.setString(i++, g.scenario());
      p.setString(i++, g.purpose());
      p.setString(i++, g.operator());
      p.setString(i++, g.applicant());
      p.setString(i++, json(g.products()));
      p.setString(i++, UtcTimes.format(g.validFrom()));
      p.setString(i++, UtcTimes.format(g.expiresAt()));
      p.setString(i++, g.stored().label());
      p.setString(i++, UtcTimes.format(g.appliedAt()));
      p.setString(i, g.applicationSha256());
      p.executeUpdate();
    }
    try (PreparedStatement p = c.prepareStatement("INSERT INTO gov_grant_resources (grant_id, table_name, department,"
        + " requested_columns, requested_filter) VALUES (?, ?, ?, ?, ?)")) {
      for (Grant.Resource r : g.resources()) {
        p.setLong(1, g.id());
        p.setString(2, r.table());
        p.setString(3, r.department());
        p.setString(4, json(r.requestedColumns()));
        p.setString(5, r.requestedFilter());
        p.executeUpdate();
      }
    }
  }

  /** The application, locked for the rest of the transaction on PostgreSQL. */
  Optional<Grant> lock(Connection c, long id) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT id FROM gov_grants WHERE id = ?" + db.forUpdate())) {
      p.setLong(1, id);
      try (ResultSet r = p.executeQuery()) {
        if (!r.next()) {
          return Optional.empty();
        }
      }
    }
    return load(c, id);
  }

  Optional<Grant> load(Connection c, long id) throws SQLException {
    List<Grant> found = select(c, " WHERE id = ?", id);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /** Every application, or those of one scenario, oldest first. */
  List<Grant> list(Connection c, String scenario) throws SQLException {
    return scenario == null ? select(c, "") : select(c, " WHERE scenario = ?", scenario);
  }

  private List<Grant> select(Connection c, String where, Object... args) throws SQLException {
    List<Grant> out = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement("SELECT * FROM gov_grants" + where + " ORDER BY id")) {
      for (int i = 0; i < args.length; i++) {
        p.setObject(i + 1, args[i]);
      }
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          long id = r.getLong("id");
          out.add(new Grant(id, r.getString("scenario"), r.getString("purpose"), r.getString("operator"),
              r.getString("applicant"), list(r.getString("products")), time(r, "valid_from"), time(r, "expires_at"),
              GrantState.of(r.getString("state")), time(r, "applied_at"), time(r, "decided_at"),
              time(r, "revoked_at"), r.getString("revoked_by"), r.getString("revoke_reason"),
              r.getString("application_sha256"), List.of(), List.of()));
        }
      }
    }
    List<Grant> full = new ArrayList<>();
    for (Grant g : out) {
      full.add(new Grant(g.id(), g.scenario(), g.purpose(), g.operator(), g.applicant(), g.products(), g.validFrom(),
          g.expiresAt(), g.stored(), g.appliedAt(), g.decidedAt(), g.revokedAt(), g.revokedBy(), g.revokeReason(),
          g.applicationSha256(), resources(c, g.id()), decisions(c, g.id())));
    }
    return full;
  }

  private static List<Grant.Resource> resources(Connection c, long id) throws SQLException {
    List<Grant.Resource> out = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement(
        "SELECT * FROM gov_grant_resources WHERE grant_id = ? ORDER BY table_name")) {
      p.setLong(1, id);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          String granted = r.getString("granted_columns");
          out.add(new Grant.Resource(r.getString("table_name"), r.getString("department"),
              list(r.getString("requested_columns")), r.getString("requested_filter"),
              granted == null ? null : list(granted), r.getString("department_filter")));
        }
      }
    }
    return out;
  }

  private static List<Grant.Decision> decisions(Connection c, long id) throws SQLException {
    List<Grant.Decision> out = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement(
        "SELECT * FROM gov_grant_decisions WHERE grant_id = ? ORDER BY decided_at, party")) {
      p.setLong(1, id);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(new Grant.Decision(r.getString("party"), r.getString("organization"),
              "approved".equals(r.getString("decision")), r.getString("decided_by"), time(r, "decided_at"),
              r.getString("note")));
        }
      }
    }
    return out;
  }

  void insertDecision(Connection c, long id, Grant.Decision d) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO gov_grant_decisions (grant_id, party, organization,"
        + " decision, decided_by, decided_at, note) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      p.setLong(1, id);
      p.setString(2, d.party());
      p.setString(3, d.organization());
      p.setString(4, d.approved() ? "approved" : "rejected");
      p.setString(5, d.decidedBy());
      p.setString(6, UtcTimes.format(d.decidedAt()));
      p.setString(7, d.note());
      p.executeUpdate();
    }
  }

  /** What a department granted of one of its tables: the columns (narrowed or as asked) and its own row filter. */
  void grantResource(Connection c, long id, String table, List<String> columns, String filter) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("UPDATE gov_grant_resources SET granted_columns = ?,"
        + " department_filter = ? WHERE grant_id = ? AND table_name = ?")) {
      p.setString(1, json(columns));
      p.setString(2, filter);
      p.setLong(3, id);
      p.setString(4, table);
      p.executeUpdate();
    }
  }

  void decide(Connection c, long id, GrantState to, Instant at) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(
        "UPDATE gov_grants SET state = ?, decided_at = ? WHERE id = ? AND state = ?")) {
      p.setString(1, to.label());
      p.setString(2, UtcTimes.format(at));
      p.setLong(3, id);
      p.setString(4, GrantState.PENDING.label());
      if (p.executeUpdate() != 1) {
        throw new IllegalStateException("grant " + id + " changed while it was locked");
      }
    }
  }

  void revoke(Connection c, long id, Instant at, String by, String reason) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("UPDATE gov_grants SET state = ?, revoked_at = ?, revoked_by = ?,"
        + " revoke_reason = ? WHERE id = ? AND state = ?")) {
      p.setString(1, GrantState.REVOKED.label());
      p.setString(2, UtcTimes.format(at));
      p.setString(3, by);
      p.setString(4, reason);
      p.setLong(5, id);
      p.setString(6, GrantState.ACTIVE.label());
      if (p.executeUpdate() != 1) {
        throw new IllegalStateException("grant " + id + " changed while it was locked");
      }
    }
  }

  private static Instant time(ResultSet r, String column) throws SQLException {
    return UtcTimes.parse(r.getString(column));
  }

  static String json(List<String> values) {
    try {
      return JSON.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> list(String json) {
    try {
      return JSON.readValue(json, new TypeReference<List<String>>() { });
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a grant's stored list is not JSON", e);
    }
  }
}
