package io.dataops.quality.expect;

import java.util.List;

/** Earlier values of a metric of a table, oldest first (what anomaly checks compare a run with). */
public interface MetricHistory {
  MetricHistory NONE = (metric, instance, limit) -> List.of();

  /** One earlier value, with the run it came from. */
  record Point(String runId, String computedAt, double value) {}

  List<Point> previous(String metric, String instance, int limit);
}
