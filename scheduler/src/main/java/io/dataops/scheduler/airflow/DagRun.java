package io.dataops.scheduler.airflow;

import java.util.Map;

/**
 * One run of a DAG as Airflow reports it.
 *
 * @param logicalDate ISO-8601 text, or null (Airflow 3 runs triggered without one)
 * @param startDate ISO-8601 text, or null before it starts
 * @param endDate ISO-8601 text, or null until it ends
 * @param conf the configuration it was triggered with (empty when none)
 */
public record DagRun(String dagId, String runId, DagRunState state, String logicalDate, String startDate,
    String endDate, Map<String, Object> conf) {
  public DagRun {
    conf = conf == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(conf));
  }
}
