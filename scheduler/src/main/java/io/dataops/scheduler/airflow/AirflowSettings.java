package io.dataops.scheduler.airflow;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where Airflow's API server is and how to sign in. The password is a secret: it is used for the sign-in only and
 * never appears in {@link #toString()}, a message or a log.
 *
 * @param url the API server's root, e.g. {@code http://airflow:8080} (the API path is added per {@link AirflowApi})
 * @param timeout how long one request may take
 */
public record AirflowSettings(URI url, AirflowApi api, String username, String password, Duration timeout) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  public AirflowSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(timeout, "timeout");
    // What could hold a secret is refused first, without echoing the URL: the later message repeats it.
    if (url.getRawUserInfo() != null) {
      throw new IllegalArgumentException("airflow.url must not carry credentials: set airflow.username and the "
          + "password separately");
    }
    if (url.getRawQuery() != null || url.getRawFragment() != null) {
      throw new IllegalArgumentException("airflow.url is the API server's root, without a query or a fragment "
          + "(a token there would be sent and shown in messages): set airflow.username and the password instead");
    }
    if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
      throw new IllegalArgumentException("airflow.url must be http://HOST[:PORT] or https://HOST[:PORT], not '"
          + url + "'");
    }
  }

  public AirflowSettings(URI url, AirflowApi api, String username, String password) {
    this(url, api, username, password, DEFAULT_TIMEOUT);
  }

  /** The server root without a trailing slash. */
  String root() {
    String s = url.toString();
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  @Override
  public String toString() {
    return "AirflowSettings[url=" + url + ", api=" + api.label() + ", username=" + username + ", password="
        + (password == null ? "none" : "(hidden)") + ", timeout=" + timeout + "]";
  }
}
