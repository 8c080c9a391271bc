package io.dataops.platform.pipeline;

import io.dataops.products.publish.QualityGate;
import io.dataops.quality.result.ExpectationResult;
import io.dataops.quality.run.QualityReport;
import io.dataops.quality.run.QualityRunner;
import io.dataops.quality.suite.SuiteParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The quality engine as a pipeline's gate: validates the staged product snapshot against the pipeline's suite (the
 * whole snapshot, scanned: a product has no feed states to add up). Row-level failures land in the quality tables
 * like those of any other run.
 */
public final class SuiteGate implements QualityGate {
  private final QualityRunner runner;

  public SuiteGate(QualityRunner runner) {
    this.runner = runner;
  }

  @Override
  public Verdict check(TableIdentifier table, long stagedSnapshotId, Path suite) {
    QualityReport r = runner.run(table, stagedSnapshotId, SuiteParser.parse(suite), QualityRunner.Scope.TABLE, false);
    List<String> errors = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (ExpectationResult e : r.validation().results()) {
      if (!e.success()) {
        ("warning".equals(e.expectationConfig().severity()) ? warnings : errors).add(describe(e));
      }
    }
    return new Verdict(suite.getFileName().toString(), errors.isEmpty(), r.validation().results().size(),
        List.copyOf(errors), List.copyOf(warnings), r.runId());
  }

  /** "type(column): 3 unexpected of 200" or the observed value (values in results are already masked). */
  static String describe(ExpectationResult e) {
    Object column = e.expectationConfig().kwargs().get("column");
    String detail = detail(e);
    return e.expectationConfig().type() + (column == null ? "" : "(" + column + ")") + ": "
        + (detail.isEmpty() ? "failed" : detail);
  }

  /** What a result found: its error, "3 unexpected of 200", "observed 17", or nothing. */
  public static String detail(ExpectationResult e) {
    if (e.exceptionInfo() != null) {
      return e.exceptionInfo().exceptionMessage();
    }
    Map<String, Object> res = e.result();
    return res != null && res.containsKey("unexpected_count")
        ? res.get("unexpected_count") + " unexpected of " + res.get("element_count")
        : res != null && res.containsKey("observed_value") ? "observed " + res.get("observed_value") : "";
  }
}
