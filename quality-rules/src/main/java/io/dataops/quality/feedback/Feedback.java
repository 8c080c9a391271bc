package io.dataops.quality.feedback;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.core.files.OutFiles;
import io.dataops.core.files.OwnerOnly;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.quality.result.ExpectationResult;
import io.dataops.quality.run.QualityReport;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import io.dataops.lakehouse.storage.Documents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Closes the loop with the department that owns the data: after a feed's quality run, every failing rule opens
 * (or keeps open, or re-opens) a ticket, every passing rule verifies its open ticket, and the department's outbox
 * receives the reports (Chinese and English), the validation result and the failing rows.
 */
public final class Feedback {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final TicketStore store;
  private final Lakehouse lakehouse;
  private final Documents outbox;
  private final Path scratch;

  /**
   * @param outbox where the departments' reports go
   * @param scratch a folder for the failing rows' CSV before it goes there (and its sort's spilled runs)
   */
  public Feedback(TicketStore store, Lakehouse lakehouse, Documents outbox, Path scratch) {
    this.store = store;
    this.lakehouse = lakehouse;
    this.outbox = outbox;
    this.scratch = scratch;
  }

  /** Reports in a local outbox folder; scratch files beside it. */
  public Feedback(TicketStore store, Lakehouse lakehouse, Path outbox) {
    this(store, lakehouse, Documents.local(outbox), outbox.resolveSibling(outbox.getFileName() + "-scratch"));
  }

  /** What changed for one ticket. */
  public record TicketChange(long ticketId, String change, String rule, String severity) {}

  /** What the department received. */
  public record Delivery(String folder, List<String> files, List<TicketChange> tickets) {}

  /**
   * Records the feed's run and its tickets, writes the department's report and records the {@code feedback.deliver}
   * event through {@code audit}, all before one commit: a recorded run always has its report and its event, and a
   * delivery stopped before the commit left nothing recorded (the report folder, named by the feed, is written again
   * by the next attempt), so the feed's intake can simply be done again ({@link TicketStore#fed}). A feed's run is
   * recorded once: when two commands complete the same stopped intake at once, the second finds the first's run
   * (under the database's write lock, or a lock on the feed on PostgreSQL) and delivers nothing (null). A local outbox
   * folder that cannot be written (a file in its place, no permission) is {@link OutboxUnwritable}, nothing recorded.
   */
  public Delivery deliver(QualityReport report, String department, String dataset, AuditSink audit) {
    // The failing rows (millions, when a rule fails on every row of a big feed) are read and sorted before the
    // transaction, which then only copies them into the report: the database's write lock is not held meanwhile.
    Path failingRows = null;
    try {
      OwnerOnly.directories(scratch);
      FailingRowsCsv.sweep(scratch, java.time.Instant.now());
      failingRows = Files.createTempFile(scratch, FailingRowsCsv.PREFIX, ".csv");
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(failingRows), 1 << 16)) {
        FailingRowsCsv.write(lakehouse, report.runId(), scratch, out);
      }
    } catch (IOException | RuntimeException e) {
      // A half-written file (the disk filled up) goes at once, not at the sweep of a later delivery.
      deleteQuietly(failingRows);
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new UncheckedIOException("cannot write the failing rows of quality run " + report.runId() + " under "
          + scratch, (IOException) e);
    }
    try {
      return deliver(report, department, dataset, audit, failingRows);
    } finally {
      deleteQuietly(failingRows);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // left for the sweep of the next delivery (FailingRowsCsv.sweep)
    }
  }

  /**
   * The rows a rule found failing: its unexpected count, or for a query rule (unexpected_rows_expectation, whose
   * result has none) the rows its query returned; a probe's ticket said "0 failing rows" of eight.
   */
  private static long failingRows(ExpectationResult r) {
    if (r.result().get("unexpected_count") instanceof Number n) {
      return n.longValue();
    }
    return r.result().get("details") instanceof Map<?, ?> d && d.get("unexpected_rows") instanceof List<?> rows
        ? rows.size() : 0;
  }

  private Delivery deliver(QualityReport report, String department, String dataset, AuditSink audit,
      Path failingRowsCsv) {
    List<TicketChange> changes = new ArrayList<>();
    Map<Integer, Ticket> tickets = new HashMap<>();
    String at = TicketStore.now();
    try (Connection c = store.connect()) {
      c.setAutoCommit(false);
      if (report.feedId() != null && store.fed(c, report.table(), report.feedId())) {
        c.rollback();
        return null;
      }
      recordRun(c, report, department, dataset, at);
      List<ExpectationResult> results = report.validation().results();
      for (int i = 0; i < results.size(); i++) {
        ExpectationResult r = results.get(i);
        String ruleKey = ruleKey(r);
        Optional<Ticket> existing = store.find(c, report.table(), ruleKey);
        long failingRows = failingRows(r);
        if (!r.success()) {
          long id;
          String change;
          if (existing.isEmpty()) {
            id = open(c, report, department, dataset, r, ruleKey, failingRows, at);
            change = "opened";
          } else if (existing.get().state() == Ticket.State.VERIFIED
              || existing.get().state() == Ticket.State.RESOLVED) {
            // A resolved ticket whose rule fails on a later feed: the fix did not hold. It is open again, as a
            // verified one is (it stayed "resolved", and its department could neither acknowledge nor resolve it).
            id = existing.get().id();
            update(c, "UPDATE dq_tickets SET state = 'open', reopened = reopened + 1, verified_at = NULL, "
                + "verified_run = NULL, resolved_at = NULL, acknowledged_at = NULL, last_failed_at = ?, "
                + "last_failed_run = ?, last_failed_feed = ?, last_failing_rows = ? WHERE id = ?",
                at, report.runId(), report.feedId(), failingRows, id);
            change = existing.get().state() == Ticket.State.RESOLVED ? "failed_after_resolution" : "reopened";
          } else {
            id = existing.get().id();
            update(c, "UPDATE dq_tickets SET last_failed_at = ?, last_failed_run = ?, last_failed_feed = ?, "
                + "last_failing_rows = ? WHERE id = ?", at, report.runId(), report.feedId(), failingRows, id);
            change = "failed_again";
          }
          TicketStore.event(c, id, at, change, "quality run " + report.runId(), r.exceptionInfo() != null
              ? "could not be checked on feed " + report.feedId() + ": " + r.exceptionInfo().exceptionMessage()
              : failingRows + " failing rows in feed " + report.feedId());
          changes.add(new TicketChange(id, change, ruleKey, r.expectationConfig().severity()));
          tickets.put(i, store.find(c, report.table(), ruleKey).orElseThrow());
        } else if (existing.isPresent() && existing.get().state().active()) {
          long id = existing.get().id();
          update(c, "UPDATE dq_tickets SET state = 'verified', verified_at = ?, verified_run = ? WHERE id = ?",
              at, report.runId(), id);
          TicketStore.event(c, id, at, "verified", "quality run " + report.runId(),
              "feed " + report.feedId() + " passes the rule");
          changes.add(new TicketChange(id, "verified", ruleKey, r.expectationConfig().severity()));
          tickets.put(i, store.find(c, report.table(), ruleKey).orElseThrow());
        }
      }
      String folder = write(c, report, department, dataset, tickets, failingRowsCsv);
      audit.record(c, AuditEvent.ok("feedback.deliver", List.of("organization:" + department, "table:"
          + report.table()), Map.of("qualityRun", String.valueOf(report.runId()))));
      c.commit();
      return new Delivery(folder, files(), changes);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot update the feedback tickets", e);
    }
  }

  private static List<String> files() {
    return List.of("report.zh.html", "report.en.html", "validation.json", "failing-rows.csv");
  }

  private String write(Connection c, QualityReport report, String department, String dataset,
      Map<Integer, Ticket> tickets, Path failingRows) throws SQLException {
    String name = (report.feedId() != null ? report.feedId() : report.runId()).replaceAll("[^A-Za-z0-9_-]", "_");
    Documents folder = outbox.resolve(department, dataset, name);
    List<Double> trend = trend(c, report.table());
    try {
      folder.writeString("report.zh.html",
          FeedbackReport.render(FeedbackReport.Lang.ZH, report, department, dataset, tickets, trend));
      folder.writeString("report.en.html",
          FeedbackReport.render(FeedbackReport.Lang.EN, report, department, dataset, tickets, trend));
      folder.writeString("validation.json", JSON.writeValueAsString(report.validation()));
      folder.write("failing-rows.csv", out -> Files.copy(failingRows, out));
    } catch (IOException e) {
      // A folder its department or operator can mend (a file in its place, no permission) is said as such; the
      // rest (a full disk, a failing bucket) stays the failure it is.
      Optional<String> reason = folder.local() ? OutFiles.reason(e) : Optional.empty();
      if (reason.isPresent()) {
        throw new OutboxUnwritable("the feedback of quality run " + report.runId() + " could not be written to the "
            + "outbox folder " + folder.root() + ": " + reason.get(), folder.root(), reason.get(), e);
      }
      throw new UncheckedIOException("cannot write to the outbox " + folder, e);
    }
    return folder.root();
  }

  /**
   * The pass rates of the table's last 20 feed runs, oldest first; this one included (recorded in {@code c}, not
   * committed yet).
   */
  private static List<Double> trend(Connection c, String table) throws SQLException {
    List<Double> out = new ArrayList<>();
    try (PreparedStatement p = c.prepareStatement("SELECT evaluated, successful FROM dq_runs WHERE table_name = ? "
        + "AND feed_id IS NOT NULL ORDER BY at DESC LIMIT 20")) {
      p.setString(1, table);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          int evaluated = r.getInt(1);
          out.add(0, evaluated == 0 ? 100.0 : 100.0 * r.getInt(2) / evaluated);
        }
      }
    }
    return out;
  }

  private static void recordRun(Connection c, QualityReport report, String department, String dataset, String at)
      throws SQLException {
    var s = report.validation().statistics();
    update(c, "INSERT INTO dq_runs (run_id, table_name, department, dataset, feed_id, at, evaluated, successful, "
        + "success, rows_scanned, failing_rows) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", report.runId(),
        report.table(), department, dataset, report.feedId(), at, s.evaluated(), s.successful(),
        report.validation().success() ? 1 : 0, report.rowsScanned(), report.failingRows());
  }

  private static long open(Connection c, QualityReport report, String department, String dataset, ExpectationResult r,
      String ruleKey, long failingRows, String at) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO dq_tickets (department, dataset, table_name, rule_key,"
        + " expectation_type, columns, severity, state, opened_at, opened_run, last_failed_at, last_failed_run,"
        + " last_failed_feed, last_failing_rows) VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?)",
        Statement.RETURN_GENERATED_KEYS)) {
      Object column = r.expectationConfig().kwargs().get("column");
      if (column == null) {
        column = r.expectationConfig().kwargs().get("column_list");
      }
      Object[] args = {department, dataset, report.table(), ruleKey, r.expectationConfig().type(),
          column == null ? null : column.toString(), r.expectationConfig().severity(), at, report.runId(), at,
          report.runId(), report.feedId(), failingRows};
      for (int i = 0; i < args.length; i++) {
        p.setObject(i + 1, args[i]);
      }
      p.executeUpdate();
      try (ResultSet keys = p.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  private static void update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        p.setObject(i + 1, args[i]);
      }
      p.executeUpdate();
    }
  }

  /** A rule's identity: its type and arguments (not its position in the suite), so reordering keeps tickets. */
  static String ruleKey(ExpectationResult r) {
    try {
      return r.expectationConfig().type() + " " + JSON.copy().disable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(new TreeMap<>(r.expectationConfig().kwargs()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
