package io.dataops.quality.expect;

import io.dataops.quality.engine.Analyzer;
import io.dataops.quality.engine.AnalyzerState;
import io.dataops.quality.engine.ComplianceAnalyzer;
import io.dataops.quality.engine.CompletenessAnalyzer;
import io.dataops.quality.engine.NumericStatsAnalyzer;
import io.dataops.quality.engine.QuantileAnalyzer;
import io.dataops.quality.engine.SizeAnalyzer;
import io.dataops.quality.engine.ValueGroupsAnalyzer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The metrics a run leaves in the history, named as Deequ names them: Size; per column Completeness, Minimum,
 * Maximum, Mean, Sum, StandardDeviation (population), Median (approximate), Distinctness, Uniqueness,
 * CountDistinct; and the Compliance of each row rule (the share of considered rows that passed). A personal column's
 * Minimum, Maximum and Median are one person's value (the oldest person's birth date: found by a probe in the history
 * the authority reads, and in quality run --json): they are left out.
 */
public final class Metrics {
  private Metrics() {}

  /** One metric value: entity Dataset, Column or Mutlicolumn (Deequ's spelling is kept), instance, name, value. */
  public record Metric(String entity, String instance, String name, double value) {}

  /** The metrics of a run; {@code personal}: the table's personal columns. */
  public static List<Metric> of(List<Analyzer<?>> analyzers, Map<String, AnalyzerState<?>> states,
      java.util.Set<String> personal) {
    List<Metric> out = new ArrayList<>();
    for (Analyzer<?> a : analyzers) {
      AnalyzerState<?> s = states.get(a.key());
      if (a instanceof SizeAnalyzer && s instanceof SizeAnalyzer.State st) {
        out.add(new Metric("Dataset", "*", "Size", st.rows));
      } else if (a instanceof CompletenessAnalyzer c && s instanceof CompletenessAnalyzer.State st) {
        out.add(new Metric("Column", c.column(), "Completeness", st.completeness()));
      } else if (a instanceof NumericStatsAnalyzer n && s instanceof NumericStatsAnalyzer.State st && st.count > 0) {
        if (!personal.contains(n.column())) {
          out.add(new Metric("Column", n.column(), "Minimum", st.min));
          out.add(new Metric("Column", n.column(), "Maximum", st.max));
        }
        out.add(new Metric("Column", n.column(), "Mean", st.mean));
        out.add(new Metric("Column", n.column(), "Sum", st.sum));
        out.add(new Metric("Column", n.column(), "StandardDeviation", st.populationStdDev()));
      } else if (a instanceof QuantileAnalyzer q && s instanceof QuantileAnalyzer.State st && !st.sketch.isEmpty()
          && !personal.contains(q.column())) {
        out.add(new Metric("Column", q.column(), "Median", st.quantile(0.5)));
      } else if (a instanceof ValueGroupsAnalyzer g && s instanceof ValueGroupsAnalyzer.State st && st.values > 0) {
        String entity = g.columns().size() == 1 ? "Column" : "Mutlicolumn";
        String instance = String.join(",", g.columns());
        out.add(new Metric(entity, instance, "CountDistinct", st.distinct));
        out.add(new Metric(entity, instance, "Distinctness", st.distinct / (double) st.values));
        out.add(new Metric(entity, instance, "Uniqueness", st.singletons / (double) st.values));
      } else if (a instanceof ComplianceAnalyzer c && s instanceof ComplianceAnalyzer.State st && st.overrun == null
          && st.considered() > 0) {
        out.add(new Metric("Column", String.join(",", a.columns()), "Compliance(" + c.expectationId() + ")",
            (st.considered() - st.unexpected) / (double) st.considered()));
      }
    }
    return out;
  }
}
