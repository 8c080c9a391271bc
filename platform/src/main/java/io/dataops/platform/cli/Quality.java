package io.dataops.platform.cli;

import io.dataops.core.BadInputException;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.landing.FeedTables;
import io.dataops.platform.intake.FeedIntake;
import io.dataops.quality.expect.ReferenceCheck;
import io.dataops.quality.result.ExpectationResult;
import io.dataops.quality.run.QualityReport;
import io.dataops.quality.run.QualityRunner;
import io.dataops.quality.suite.SuiteRegistry;
import io.dataops.platform.config.PlatformConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.catalog.TableIdentifier;

/** Quality runs as the commands use them: the suite registered for a table, the run after a landing, the summary. */
final class Quality {
  private Quality() {}

  /**
   * {@code workers} threads share the scan; null: the available processors, at most 2. At most twice the processors:
   * each worker holds the states of the part it reads, so more threads than cores add memory, not speed.
   */
  static QualityRunner runner(Cli cli, Lakehouse lh, PlatformConfig config, Integer workers) {
    int processors = Runtime.getRuntime().availableProcessors();
    int most = Math.max(2, 2 * processors);
    if (workers != null && (workers < 1 || workers > most)) {
      throw new BadInputException("--workers must be at least 1 and at most " + most + " (twice this machine's "
          + processors + " processors): more threads than cores add memory, not speed");
    }
    int n = workers != null ? workers : Math.min(2, Runtime.getRuntime().availableProcessors());
    return intake(cli, config, lh).qualityRunner(n);
  }

  /** Quality runs as the caller: its reads of the other tables a suite refers to checked, the scan pinned. */
  static FeedIntake intake(Cli cli, PlatformConfig config, Lakehouse lh) {
    return new FeedIntake(config, lh, LandCommand.workers()).reads(reads(cli, config, lh));
  }

  /**
   * The caller's read of each other table a suite refers to (a reference table, the other table of a row count),
   * checked and refused as {@code table show} checks it (a product version of another organization only while its
   * maker may still provide it), refusal audited. Unchecked, a suite run on a table the
   * caller may read read any other table of the lakehouse: its row count, which values occur in it, its column
   * types in the suite's errors.
   */
  static ReferenceCheck reads(Cli cli, PlatformConfig config, Lakehouse lh) {
    return (other, snapshot) -> TableAccess.checkRows(cli, config, lh, other, snapshot, null, "quality reference");
  }

  /** The suite registered for the department dataset a table holds, if any. */
  static Optional<SuiteRegistry.Registered> suiteFor(PlatformConfig config, Lakehouse lh, TableIdentifier table) {
    if (!lh.exists(table)) {
      throw new BadInputException("no table " + table + " (see: dataops table list)");
    }
    Map<String, String> props = lh.load(table).properties();
    String department = props.get(FeedTables.PROP_DEPARTMENT);
    String dataset = props.get(FeedTables.PROP_DATASET);
    if (department == null || dataset == null) {
      return Optional.empty();
    }
    return io.dataops.platform.intake.RegisteredSuites.find(config, department, dataset);
  }

  /**
   * Run-time suite parameters from {@code --param NAME=VALUE}: a value that reads as JSON (10, 0.5, true, [1, 2],
   * "text") is that value; anything else (2024-01-31) is text.
   */
  static Map<String, Object> parameters(List<String> given) {
    Map<String, String> named = new LinkedHashMap<>();
    for (String g : given) {
      int eq = g.indexOf('=');
      if (eq < 0) {
        throw new BadInputException("--param " + g + ": give NAME=VALUE");
      }
      // Found by a probe: the second of two values for one name won in silence.
      if (named.putIfAbsent(g.substring(0, eq), g.substring(eq + 1)) != null) {
        throw new BadInputException("--param " + g.substring(0, eq) + " is given twice: give each parameter once");
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    named.forEach((name, value) -> {
      if (!name.matches("[A-Za-z][A-Za-z0-9_$]*")) {
        throw new BadInputException("--param " + name + "=...: a parameter name is a letter, then letters, digits, "
            + "'_' or '$'");
      }
      Object v;
      try {
        v = Cli.JSON.readValue(value, Object.class);
      } catch (Exception notJson) {
        v = value;
      }
      out.put(name, v instanceof Double && value.strip().matches("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?")
          ? new java.math.BigDecimal(value.strip()) : v);
    });
    return out;
  }

  static Map<String, Object> summary(QualityReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("runId", r.runId());
    m.put("success", r.validation().success());
    m.put("statistics", r.validation().statistics());
    m.put("failingRows", r.failingRows());
    m.put("seconds", r.seconds());
    return m;
  }

  static String text(io.dataops.quality.feedback.Feedback.Delivery d) {
    StringBuilder s = new StringBuilder("feedback delivered to " + d.folder() + "\n");
    for (var t : d.tickets()) {
      s.append(String.format("  ticket #%d %s (%s): %s%n", t.ticketId(), t.change(), t.severity(), t.rule()));
    }
    return s.toString();
  }

  static String text(QualityReport r) {
    boolean added = Boolean.TRUE.equals(r.validation().meta().get("incremental"));
    // A table that never held a row has no snapshot to name (a probe saw "@ null").
    String at = r.snapshotId() == null ? " (no snapshot: it has never held a row)" : " @ " + r.snapshotId();
    StringBuilder s = new StringBuilder(String.format("quality %s on %s%s: %s (%d of %d expectations met; %,d rows "
        + "%s, %,d failing rows recorded in quality.row_failures, run %s)%n", r.validation().suiteName(),
        r.table(), at, r.validation().success() ? "PASSED" : "FAILED",
        r.validation().statistics().successful(), r.validation().statistics().evaluated(), r.rowsScanned(),
        added ? "added up from the stored states of their feed runs, no data read" : "scanned",
        r.failingRows(), r.runId()));
    for (ExpectationResult e : r.validation().results()) {
      Object column = e.expectationConfig().kwargs().get("column");
      String detail = io.dataops.platform.pipeline.SuiteGate.detail(e);
      s.append(String.format("  %s %-8s %s%s  %s%n", e.success() ? "ok  " : "FAIL", e.expectationConfig().severity(),
          e.expectationConfig().type(), column == null ? "" : "(" + column + ")", detail));
    }
    return s.toString();
  }
}
