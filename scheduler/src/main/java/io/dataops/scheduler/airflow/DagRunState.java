package io.dataops.scheduler.airflow;

import java.util.Locale;

/** A DAG run's state: Airflow's {@code DagState} (v1) and {@code DagRunState} (v2) have the same four values. */
public enum DagRunState {
  QUEUED, RUNNING, SUCCESS, FAILED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean finished() {
    return this == SUCCESS || this == FAILED;
  }

  /** The state Airflow named, or null when it is not one of the four. */
  static DagRunState parse(String text) {
    for (DagRunState s : values()) {
      if (s.label().equals(text)) {
        return s;
      }
    }
    return null;
  }
}
