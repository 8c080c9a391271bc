package io.dataops.scheduler.airflow;

import java.util.Locale;

/**
 * The two generations of Airflow's stable REST API: Airflow 2's {@code /api/v1} (basic authentication) and Airflow
 * 3's {@code /api/v2} (a JWT from {@code POST /auth/token}).
 */
public enum AirflowApi {
  V1("/api/v1"),
  V2("/api/v2");

  private final String basePath;

  AirflowApi(String basePath) {
    this.basePath = basePath;
  }

  public String basePath() {
    return basePath;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code v1} or {@code v2}; anything else is refused with what is accepted. */
  public static AirflowApi of(String text) {
    for (AirflowApi a : values()) {
      if (a.label().equalsIgnoreCase(text == null ? "" : text.strip())) {
        return a;
      }
    }
    throw new IllegalArgumentException("airflow.api is v1 (Airflow 2) or v2 (Airflow 3), not '" + text + "'");
  }
}
