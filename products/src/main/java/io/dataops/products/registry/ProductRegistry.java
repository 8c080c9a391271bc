package io.dataops.products.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataops.core.audit.Actor;
import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.core.db.PlatformDatabase;
import io.dataops.products.registry.ProductVersion.Content;
import io.dataops.products.registry.ProductVersion.Lineage;
import io.dataops.products.registry.ProductVersion.Publication;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * The product registry: versions, the files each needs, every state change, seals and destructions, in the platform
 * database (the catalog's JDBC URL: the embedded SQLite file or PostgreSQL). Versions number from 1 per product; a run
 * key identifies a run, so recording the same run twice (a job re-run after its commit) gives back the version it
 * already made. State changes are compare-and-set: two people moving one version at once cannot both succeed. A new
 * version and a state change each commit with their audit event, in one transaction ({@link AuditSink#record(
 * Connection, AuditEvent)}): no version or move exists without its event.
 */
public final class ProductRegistry {
  static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private final String url;
  private final Properties props;
  private final boolean postgres;

  public ProductRegistry(String jdbcUrl, String user, String password) {
    this.url = PlatformDatabase.url(jdbcUrl);
    this.props = PlatformDatabase.prepare(jdbcUrl, user, password);
    this.postgres = "postgresql".equals(PlatformDatabase.vendor(jdbcUrl));
    PlatformDatabase.migrate(jdbcUrl, user, password, "products");
  }

  private Connection connect() throws SQLException {
    return PlatformDatabase.connect(url, props);
  }

  static String now() {
    return OffsetDateTime.now(ZoneOffset.UTC).toString();
  }

  /** How long a change of a product's table waits for another process changing it. */
  static final java.time.Duration PRODUCT_LOCK_WAIT = java.time.Duration.ofMinutes(30);

  /**
   * Holds the product's lock until closed: one process at a time changes a product's table and its versions' files
   * (on every host sharing the platform database). Publishes follow one another, so staged snapshot, fast-forward
   * and version number keep one order; a destruction plans and removes files while no version that could share them
   * is published, and no publish's staged snapshot is expired under it. Another process holding it is waited for;
   * {@code doing} says what this one does, for the waiter's log line and refusal.
   */
  public io.dataops.core.db.DatabaseLock exclusive(String product, String doing) {
    return io.dataops.core.db.DatabaseLock.take(url, props, "product " + product, doing, PRODUCT_LOCK_WAIT);
  }

  /** How long a hand-out of a delivery URL waits for a seal or destruction of its version moving its state. */
  static final java.time.Duration HANDOUT_LOCK_WAIT = java.time.Duration.ofMinutes(2);

  /**
   * Holds the lock of a version's delivery URLs until closed: a hand-out holds it from its last state check to its
   * event, a seal or destruction from removing the version's delivery objects to its state move. No URL is handed
   * out between that removal and that move, so a seal killed after its move leaves no URL of the version working.
   * Held briefly (a read and an insert, or a removal and a move); another holder is waited for.
   */
  public io.dataops.core.db.DatabaseLock handouts(String product, int version, String doing) {
    return io.dataops.core.db.DatabaseLock.take(url, props, "hand-outs of product " + product + " version " + version,
        doing, HANDOUT_LOCK_WAIT);
  }

  /**
   * Records a new draft version (numbered after the product's last) with the files it needs, or returns the version
   * already recorded for the same run key. The version's tag is {@code v<number>}. Its event, made from the numbered
   * version, is recorded in the same transaction.
   */
  public ProductVersion record(ProductVersion v, List<VersionFile> files, Actor actor, AuditSink audit,
      Function<ProductVersion, AuditEvent> event) {
    for (int attempt = 0; ; attempt++) {
      try (Connection c = connect()) {
        c.setAutoCommit(false);
        Optional<ProductVersion> existing = byRunKey(c, v.lineage().runKey());
        if (existing.isPresent()) {
          c.rollback();
          return existing.get();
        }
        checkOwner(c, v.product(), v.lineage().owner()); // two organizations' first runs of one name at once
        claimPipelineName(c, v.lineage().pipeline(), v.lineage().owner());
        int next;
        try (PreparedStatement p = c.prepareStatement("SELECT COALESCE(MAX(version), 0) FROM product_versions"
            + " WHERE product = ?")) {
          p.setString(1, v.product());
          try (ResultSet r = p.executeQuery()) {
            r.next();
            next = r.getInt(1) + 1;
          }
        }
        String now = now();
        ProductVersion numbered = new ProductVersion(v.product(), next, VersionState.DRAFT, v.table(), v.snapshotId(),
            ProductVersion.tagOf(next), v.content(), v.lineage(), null, v.createdAt() == null ? now : v.createdAt(),
            now);
        Lineage l = numbered.lineage();
        try (PreparedStatement p = c.prepareStatement("INSERT INTO product_versions (product, version, state,"
            + " table_name, snapshot_id, pipeline, pipeline_sha256, scenario, owner, engine, run_key, inputs, policies,"
            + " privacy, leak_check, quality, rows_in, rows_out, rows_suppressed, unfit_values, created_at, tag,"
            + " content, publication, updated_at, inputs_from)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
          int i = 1;
          p.setString(i++, numbered.product());
          p.setInt(i++, numbered.version());
          p.setString(i++, numbered.state().label());
          p.setString(i++, numbered.table());
          p.setLong(i++, numbered.snapshotId());
          p.setString(i++, l.pipeline());
          p.setString(i++, l.pipelineSha256());
          p.setString(i++, l.scenario());
          p.setString(i++, l.owner());
          p.setString(i++, l.engine());
          p.setString(i++, l.runKey());
          p.setString(i++, json(l.inputs()));
          p.setString(i++, json(l.policies()));
          p.setString(i++, l.privacy() == null ? null : json(l.privacy()));
          p.setString(i++, json(l.leakCheck()));
          p.setString(i++, l.quality() == null ? null : json(l.quality()));
          p.setLong(i++, l.rowsIn());
          p.setLong(i++, l.rowsOut());
          p.setLong(i++, l.rowsSuppressed());
          p.setString(i++, json(l.unfitValues()));
          p.setString(i++, numbered.createdAt());
          p.setString(i++, numbered.tag());
          p.setString(i++, numbered.content() == null ? null : json(numbered.content()));
          p.setString(i++, null);
          p.setString(i++, now);
          p.setString(i, l.inputsFrom() == null ? null : json(l.inputsFrom()));
          p.executeUpdate();
        }
        insertFiles(c, numbered.product(), numbered.version(), files);
        transition(c, numbered.product(), numbered.version(), null, VersionState.DRAFT, actor, null, null, now);
        audit.record(c, event.apply(numbered));
        c.commit();
        return numbered;
      } catch (SQLException e) {
        // Two runs of one product numbering at once: one insert loses on the primary key; number again.
        if (attempt < 5 && retryable(e)) {
          continue;
        }
        throw new IllegalStateException("cannot record the product version", e);
      }
    }
  }

  private static boolean retryable(SQLException e) {
    String m = String.valueOf(e.getMessage());
    return m.contains("UNIQUE") || m.contains("duplicate key") || m.contains("SQLITE_BUSY");
  }

  private static void insertFiles(Connection c, String product, int version, List<VersionFile> files)
      throws SQLException {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO product_version_files (product, version, name,"
        + " location, kind, size, records, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (VersionFile f : files) {
        p.setString(1, product);
        p.setInt(2, version);
        p.setString(3, f.name());
        p.setString(4, f.location());
        p.setString(5, f.kind());
        p.setLong(6, f.size());
        p.setLong(7, f.records());
        p.setString(8, f.digest());
        p.addBatch();
      }
      p.executeBatch();
    }
  }

  /**
   * Gives a version recorded before content digests existed its content and files (once: a version that has them
   * keeps them).
   */
  public ProductVersion recordContent(ProductVersion v, Content content, List<VersionFile> files) {
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      try (PreparedStatement p = c.prepareStatement("UPDATE product_versions SET content = ? WHERE product = ?"
          + " AND version = ? AND content IS NULL")) {
        p.setString(1, json(content));
        p.setString(2, v.product());
        p.setInt(3, v.version());
        if (p.executeUpdate() == 1) {
          try (PreparedStatement d = c.prepareStatement("DELETE FROM product_version_files WHERE product = ? AND"
              + " version = ?")) {
            d.setString(1, v.product());
            d.setInt(2, v.version());
            d.executeUpdate();
          }
          insertFiles(c, v.product(), v.version(), files);
        }
      }
      c.commit();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot record the content of " + v.label(), e);
    }
    return find(v.product(), v.version()).orElseThrow();
  }

  /**
   * Moves a version from one state to another if it is still in {@code from} (compare-and-set), recording who did it;
   * false when someone else moved it first. {@code publication} is set when given. The move's {@code event} is
   * recorded in the same transaction.
   */
  public boolean move(String product, int version, VersionState from, VersionState to, Actor actor, String role,
      String reason, Publication publication, AuditSink audit, AuditEvent event) {
    return move(product, version, from, to, actor, role, reason, publication, audit, event, null);
  }

  /**
   * Files of a version that a rejected version holds and that no version approved before the rejected one holds: the
   * rows the rejected version added, which an incremental version after it carries on. {@code rejected} is the first
   * such rejected version, {@code files} how many of its files the version holds.
   */
  public record RejectedRows(int rejected, long files) {}

  /**
   * As {@link #move(String, int, VersionState, VersionState, Actor, String, String, Publication, AuditSink,
   * AuditEvent)}; when {@code refusal} is given, the move is refused with the exception it makes when the version
   * holds {@link RejectedRows}, looked for in the move's own transaction: a rejection committed after the caller's
   * checks is seen (on SQLite the move's update holds the one write lock; on PostgreSQL the rows of the versions that
   * share files with this one are locked first, so a rejection of one of them commits before the look or after this
   * move).
   */
  public boolean move(String product, int version, VersionState from, VersionState to, Actor actor, String role,
      String reason, Publication publication, AuditSink audit, AuditEvent event,
      Function<RejectedRows, RuntimeException> refusal) {
    String now = now();
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      if (refusal != null && postgres) {
        lockSharers(c, product, version);
      }
      try (PreparedStatement p = c.prepareStatement("UPDATE product_versions SET state = ?, updated_at = ?"
          + (publication != null ? ", publication = ?" : "") + " WHERE product = ? AND version = ? AND state = ?")) {
        int i = 1;
        p.setString(i++, to.label());
        p.setString(i++, now);
        if (publication != null) {
          p.setString(i++, json(publication));
        }
        p.setString(i++, product);
        p.setInt(i++, version);
        p.setString(i, from.label());
        if (p.executeUpdate() != 1) {
          c.rollback();
          return false;
        }
      }
      if (refusal != null) {
        Optional<RejectedRows> held = rejectedRows(c, product, version);
        if (held.isPresent()) {
          c.rollback();
          throw refusal.apply(held.get());
        }
      }
      transition(c, product, version, from, to, actor, role, reason, now);
      audit.record(c, event);
      c.commit();
      return true;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot change the state of " + product + " v" + version, e);
    }
  }

  /**
   * Locks the version's row and those of every version holding one of its files, in version order (two moves of
   * versions sharing files lock in one order and do not deadlock): a rejection of one of them waits for this move, or
   * this move waits for it and then sees it.
   */
  private static void lockSharers(Connection c, String product, int version) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT version FROM product_versions WHERE product = ? AND"
        + " (version = ? OR version IN (SELECT o.version FROM product_version_files m JOIN product_version_files o"
        + " ON o.product = m.product AND o.location = m.location WHERE m.product = ? AND m.version = ?))"
        + " ORDER BY version FOR UPDATE")) {
      p.setString(1, product);
      p.setInt(2, version);
      p.setString(3, product);
      p.setInt(4, version);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          // the rows are locked as the query returns them
        }
      }
    }
  }

  /** One query: the version's files held by a rejected version and by no version approved before that one. */
  private static Optional<RejectedRows> rejectedRows(Connection c, String product, int version) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT o.version, COUNT(DISTINCT o.location)"
        + " FROM product_version_files m JOIN product_version_files o ON o.product = m.product"
        + " AND o.location = m.location AND o.version <> m.version"
        + " WHERE m.product = ? AND m.version = ?"
        + " AND EXISTS (SELECT 1 FROM product_version_transitions t WHERE t.product = o.product"
        + " AND t.version = o.version AND t.to_state = ?)"
        + " AND NOT EXISTS (SELECT 1 FROM product_version_files a JOIN product_version_transitions t"
        + " ON t.product = a.product AND t.version = a.version AND t.to_state = ?"
        + " WHERE a.product = o.product AND a.location = o.location AND a.version < o.version)"
        + " GROUP BY o.version ORDER BY o.version LIMIT 1")) {
      p.setString(1, product);
      p.setInt(2, version);
      p.setString(3, VersionState.REJECTED.label());
      p.setString(4, VersionState.APPROVED.label());
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? Optional.of(new RejectedRows(r.getInt(1), r.getLong(2))) : Optional.empty();
      }
    }
  }

  /**
   * Records {@code event} only while the version is in {@code state}, in one transaction that holds the version's row
   * (an update of its state to itself): a state change waits for it, or it sees the change. What a delivery records
   * its hand-over by, so that no seal and destruction can come between its last check and its event and list the
   * version's deliveries without it. False, with nothing recorded, when the version has left the state.
   */
  public boolean recordWhile(String product, int version, VersionState state, AuditSink audit, AuditEvent event) {
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      try (PreparedStatement p = c.prepareStatement("UPDATE product_versions SET state = state WHERE product = ?"
          + " AND version = ? AND state = ?")) {
        p.setString(1, product);
        p.setInt(2, version);
        p.setString(3, state.label());
        if (p.executeUpdate() != 1) {
          c.rollback();
          return false;
        }
      }
      audit.record(c, event);
      c.commit();
      return true;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot record " + event.action() + " of " + product + " v" + version, e);
    }
  }

  /**
   * Points a version at another snapshot holding the same files (its metadata rewritten when a destruction removed
   * entries naming another version's files), recorded as a state change to the same state.
   */
  public void moveSnapshot(String product, int version, long from, long to, Actor actor, String reason) {
    String now = now();
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      String state;
      try (PreparedStatement p = c.prepareStatement("SELECT state FROM product_versions WHERE product = ? AND"
          + " version = ? AND snapshot_id = ?")) {
        p.setString(1, product);
        p.setInt(2, version);
        p.setLong(3, from);
        try (ResultSet r = p.executeQuery()) {
          if (!r.next()) {
            c.rollback();
            return; // moved already (an interrupted destruction run again)
          }
          state = r.getString(1);
        }
      }
      try (PreparedStatement p = c.prepareStatement("UPDATE product_versions SET snapshot_id = ?, updated_at = ?"
          + " WHERE product = ? AND version = ? AND snapshot_id = ?")) {
        p.setLong(1, to);
        p.setString(2, now);
        p.setString(3, product);
        p.setInt(4, version);
        p.setLong(5, from);
        p.executeUpdate();
      }
      VersionState s = VersionState.of(state);
      transition(c, product, version, s, s, actor, null, reason, now);
      c.commit();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot move " + product + " v" + version + " to snapshot " + to, e);
    }
  }

  private static void transition(Connection c, String product, int version, VersionState from, VersionState to,
      Actor actor, String role, String reason, String at) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO product_version_transitions (product, version,"
        + " from_state, to_state, actor, organization, role, at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      p.setString(1, product);
      p.setInt(2, version);
      p.setString(3, from == null ? null : from.label());
      p.setString(4, to.label());
      p.setString(5, actor.user());
      p.setString(6, actor.organization());
      p.setString(7, role);
      p.setString(8, at);
      p.setString(9, reason);
      p.executeUpdate();
    }
  }

  /**
   * Refuses a version of {@code product} made by a pipeline of {@code owner} when the product's versions so far were
   * made by another organization's: a product belongs to the operator that made it, and another's run would write
   * into its table and supersede its published version. Asked before a run (nothing read or written), and again
   * where the version is recorded.
   */
  public void checkOwner(String product, String owner) {
    try (Connection c = connect()) {
      checkOwner(c, product, owner);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the product registry", e);
    }
  }

  /**
   * A pipeline name is its organization's once a pipeline of that name made a version: schedules, DAG ids, run state
   * and audit objects ({@code pipeline:NAME}) go by it (found by a probe: another organization's pipeline of the same
   * name took its schedule and locked the owner out).
   */
  public void checkPipelineName(String pipeline, String owner) {
    try (Connection c = connect()) {
      checkPipelineName(c, pipeline, owner);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the product registry", e);
    }
  }

  /** Refuses a name another organization's pipeline holds; true when {@code owner} has claimed it already. */
  private static boolean checkPipelineName(Connection c, String pipeline, String owner) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT owner, product FROM product_versions WHERE pipeline = ?"
        + " AND owner <> ? ORDER BY created_at LIMIT 1")) {
      p.setString(1, pipeline);
      p.setString(2, owner);
      try (ResultSet r = p.executeQuery()) {
        if (r.next()) {
          throw new io.dataops.core.AccessDeniedException("pipeline name " + pipeline + " is " + r.getString(1)
              + "'s (its pipeline of that name made versions of " + r.getString(2) + "): name the pipeline of "
              + owner + " differently", List.of());
        }
      }
    }
    try (PreparedStatement p = c.prepareStatement("SELECT owner FROM pipeline_names WHERE pipeline = ?")) {
      p.setString(1, pipeline);
      try (ResultSet r = p.executeQuery()) {
        if (!r.next()) {
          return false;
        }
        if (!r.getString(1).equals(owner)) {
          throw new io.dataops.core.AccessDeniedException("pipeline name " + pipeline + " is " + r.getString(1)
              + "'s (its pipeline of that name was the first to publish under it): name the pipeline of " + owner
              + " differently", List.of());
        }
        return true;
      }
    }
  }

  /**
   * Checks that {@code product} and the pipeline name are {@code owner}'s, and claims the name for it if no one has
   * (committed at once): called before a run's snapshot becomes its product table's current one, so that a refused
   * run leaves the table as it was. Found by a probe: two organizations' first runs of one new product name were both
   * published to the table, the loser refused only when its version was recorded — its rows stayed the table's
   * current snapshot, shown to the winner, and the version could never be destroyed. Runs of one product hold its lock
   * ({@link #exclusive}) through their record, so the second finds the first's version; runs of two products under
   * one new pipeline name race on the name's key. {@link #record} checks both again.
   */
  public void claimForVersion(String product, String pipeline, String owner) {
    for (int attempt = 0; ; attempt++) {
      try (Connection c = connect()) {
        c.setAutoCommit(false);
        checkOwner(c, product, owner);
        claimPipelineName(c, pipeline, owner);
        c.commit();
        return;
      } catch (SQLException e) {
        if (attempt < 5 && retryable(e)) {
          continue; // another organization's claim of the name won the key: checked again, and refused
        }
        throw new IllegalStateException("cannot claim the pipeline name " + pipeline, e);
      }
    }
  }

  /**
   * Checks the pipeline name in the transaction that records a version, and claims it for the owner if no one has:
   * found by a probe, two organizations' first runs of one new name at once both passed the check made before the
   * run. The second claim's insert loses on the key, and {@link #record} then checks again and refuses it.
   */
  private static void claimPipelineName(Connection c, String pipeline, String owner) throws SQLException {
    if (owner == null) {
      return; // a run of a pipeline without an organization (the local administrator's home)
    }
    if (checkPipelineName(c, pipeline, owner)) {
      return;
    }
    try (PreparedStatement p = c.prepareStatement("INSERT INTO pipeline_names (pipeline, owner, claimed_at)"
        + " VALUES (?, ?, ?)")) {
      p.setString(1, pipeline);
      p.setString(2, owner);
      p.setString(3, now());
      p.executeUpdate();
    }
  }

  private static void checkOwner(Connection c, String product, String owner) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT owner FROM product_versions WHERE product = ?"
        + " ORDER BY version LIMIT 1")) {
      p.setString(1, product);
      try (ResultSet r = p.executeQuery()) {
        if (r.next() && !r.getString(1).equals(owner)) {
          throw new io.dataops.core.AccessDeniedException("product " + product + " belongs to " + r.getString(1)
              + ", whose pipelines made its versions: a pipeline of " + owner + " cannot make a version of it"
              + " (give the pipeline's product another name)", List.of());
        }
      }
    }
  }

  public Optional<ProductVersion> byRunKey(String runKey) {
    try (Connection c = connect()) {
      return byRunKey(c, runKey);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the product registry", e);
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

  /** Every version of a product (every product when null), by product and number. */
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
      throw new IllegalStateException("cannot read the product registry", e);
    }
  }

  /**
   * Refuses a read of {@code v}'s files that a destruction overtook: it began after the caller checked the state and
   * removed files the read needed (found by probes as internal errors). {@code doing}: what the caller was doing, as
   * "verified" or "read".
   */
  public void refuseIfDestroyedMeanwhile(ProductVersion v, String doing) {
    VersionState now = find(v.product(), v.version()).map(ProductVersion::state).orElse(null);
    if (now == VersionState.DESTROYED || now == VersionState.DESTROYING) {
      throw new io.dataops.core.BadInputException(v.label() + " is " + now.name().toLowerCase(java.util.Locale.ROOT)
          + " (a destruction began while it was " + doing + "): its files are removed");
    }
  }

  public Optional<ProductVersion> find(String product, int version) {
    try (Connection c = connect();
         PreparedStatement p = c.prepareStatement("SELECT * FROM product_versions WHERE product = ? AND version = ?")) {
      p.setString(1, product);
      p.setInt(2, version);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? Optional.of(read(r)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the product registry", e);
    }
  }

  /** The files a version needs, by name. */
  public List<VersionFile> files(String product, int version) {
    try (Connection c = connect();
         PreparedStatement p = c.prepareStatement("SELECT * FROM product_version_files WHERE product = ? AND"
             + " version = ? ORDER BY name")) {
      p.setString(1, product);
      p.setInt(2, version);
      List<VersionFile> out = new ArrayList<>();
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(new VersionFile(r.getString("name"), r.getString("location"), r.getString("kind"),
              r.getLong("size"), r.getLong("records"), r.getString("digest")));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the product registry", e);
    }
  }

  /** Every state change of a product's versions (of one version when {@code version} > 0), oldest first. */
  public List<TransitionRecord> history(String product, int version) {
    String sql = "SELECT * FROM product_version_transitions WHERE product = ?" + (version > 0 ? " AND version = ?" : "")
        + " ORDER BY at, version";
    try (Connection c = connect(); PreparedStatement p = c.prepareStatement(sql)) {
      p.setString(1, product);
      if (version > 0) {
        p.setInt(2, version);
      }
      List<TransitionRecord> out = new ArrayList<>();
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(new TransitionRecord(r.getString("product"), r.getInt("version"), r.getString("from_state"),
              r.getString("to_state"), r.getString("actor"), r.getString("organization"), r.getString("role"),
              r.getString("at"), r.getString("reason")));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the product registry", e);
    }
  }

  /** A seal as recorded: where the archive copy is and the digest of its manifest. */
  public record SealRecord(String product, int version, String archive, String manifestDigest, String algorithm,
      String sealedAt, String sealedBy) {}

  public void recordSeal(SealRecord s) {
    try (Connection c = connect();
         PreparedStatement p = c.prepareStatement("INSERT INTO product_seals (product, version, archive,"
             + " manifest_digest, algorithm, sealed_at, sealed_by) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      p.setString(1, s.product());
      p.setInt(2, s.version());
      p.setString(3, s.archive());
      p.setString(4, s.manifestDigest());
      p.setString(5, s.algorithm());
      p.setString(6, s.sealedAt());
      p.setString(7, s.sealedBy());
      p.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot record the seal of " + s.product() + " v" + s.version(), e);
    }
  }

  public Optional<SealRecord> seal(String product, int version) {
    try (Connection c = connect();
         PreparedStatement p = c.prepareStatement("SELECT * FROM product_seals WHERE product = ? AND version = ?")) {
      p.setString(1, product);
      p.setInt(2, version);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? Optional.of(new SealRecord(r.getString("product"), r.getInt("version"),
            r.getString("archive"), r.getString("manifest_digest"), r.getString("algorithm"),
            r.getString("sealed_at"), r.getString("sealed_by"))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the product registry", e);
    }
  }

  /**
   * A destruction as recorded: its plan (saved before any byte is removed, so an interrupted destruction completes
   * with the same plan), who approved it, and once finished its certificate.
   */
  public record DestructionRecord(String product, int version, String plan, String startedAt, String startedBy,
      String approvedBy, String finishedAt, String certificate, String certificateDigest) {}

  /** Saves the plan of a destruction about to start (false when one is already recorded: resume that one). */
  public boolean startDestruction(DestructionRecord d) {
    try (Connection c = connect();
         PreparedStatement p = c.prepareStatement("INSERT INTO product_destructions (product, version, plan,"
             + " started_at, started_by, approved_by) VALUES (?, ?, ?, ?, ?, ?)")) {
      p.setString(1, d.product());
      p.setInt(2, d.version());
      p.setString(3, d.plan());
      p.setString(4, d.startedAt());
      p.setString(5, d.startedBy());
      p.setString(6, d.approvedBy());
      p.executeUpdate();
      return true;
    } catch (SQLException e) {
      if (retryable(e)) {
        return false;
      }
      throw new IllegalStateException("cannot record the destruction of " + d.product() + " v" + d.version(), e);
    }
  }

  public void finishDestruction(String product, int version, String certificate, String certificateDigest) {
    try (Connection c = connect();
         PreparedStatement p = c.prepareStatement("UPDATE product_destructions SET finished_at = ?, certificate = ?,"
             + " certificate_digest = ? WHERE product = ? AND version = ?")) {
      p.setString(1, now());
      p.setString(2, certificate);
      p.setString(3, certificateDigest);
      p.setString(4, product);
      p.setInt(5, version);
      p.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot record the destruction of " + product + " v" + version, e);
    }
  }

  public Optional<DestructionRecord> destruction(String product, int version) {
    try (Connection c = connect();
         PreparedStatement p = c.prepareStatement("SELECT * FROM product_destructions WHERE product = ? AND"
             + " version = ?")) {
      p.setString(1, product);
      p.setInt(2, version);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? Optional.of(new DestructionRecord(r.getString("product"), r.getInt("version"),
            r.getString("plan"), r.getString("started_at"), r.getString("started_by"), r.getString("approved_by"),
            r.getString("finished_at"), r.getString("certificate"), r.getString("certificate_digest")))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the product registry", e);
    }
  }

  private static ProductVersion read(ResultSet r) throws SQLException {
    Lineage lineage = new Lineage(r.getString("pipeline"), r.getString("pipeline_sha256"), r.getString("scenario"),
        r.getString("owner"), r.getString("engine"), r.getString("run_key"),
        parse(r.getString("inputs"), new TypeReference<Map<String, Long>>() { }),
        parse(r.getString("policies"), new TypeReference<Map<String, String>>() { }),
        parse(r.getString("privacy"), new TypeReference<Map<String, Object>>() { }),
        parse(r.getString("leak_check"), new TypeReference<Map<String, Object>>() { }),
        parse(r.getString("quality"), new TypeReference<Map<String, Object>>() { }),
        r.getLong("rows_in"), r.getLong("rows_out"), r.getLong("rows_suppressed"),
        parse(r.getString("unfit_values"), new TypeReference<Map<String, Long>>() { }),
        parse(r.getString("inputs_from"), new TypeReference<Map<String, Long>>() { }));
    int version = r.getInt("version");
    String tag = r.getString("tag");
    return new ProductVersion(r.getString("product"), version, VersionState.of(r.getString("state")),
        r.getString("table_name"), r.getLong("snapshot_id"), tag == null ? ProductVersion.tagOf(version) : tag,
        parse(r.getString("content"), new TypeReference<Content>() { }), lineage,
        parse(r.getString("publication"), new TypeReference<Publication>() { }), r.getString("created_at"),
        r.getString("updated_at") == null ? r.getString("created_at") : r.getString("updated_at"));
  }

  static String json(Object o) {
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
