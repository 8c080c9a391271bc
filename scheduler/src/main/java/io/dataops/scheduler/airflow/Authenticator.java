package io.dataops.scheduler.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The Authorization header of each request: basic (Airflow 2) or a bearer JWT (Airflow 3). */
interface Authenticator {
  /** The header's value; may sign in first. */
  String header();

  /** Forget a cached credential that the server no longer accepts; true when there was one to forget. */
  boolean invalidate();

  static Authenticator of(AirflowSettings settings, Http http) {
    if (settings.username() == null || settings.password() == null) {
      throw new IllegalArgumentException("Airflow needs a user name and a password");
    }
    return settings.api() == AirflowApi.V1 ? new Basic(settings) : new Token(settings, http);
  }

  /** Airflow 2's basic_auth backend: the user and password on every request. */
  final class Basic implements Authenticator {
    private final String header;

    Basic(AirflowSettings s) {
      header = "Basic " + Base64.getEncoder().encodeToString((s.username() + ":" + s.password())
          .getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String header() {
      return header;
    }

    @Override
    public boolean invalidate() {
      return false;
    }

    @Override
    public String toString() {
      return "Basic(hidden)";
    }
  }

  /** Airflow 3's auth manager: {@code POST /auth/token} with the user and password gives a JWT, kept until refused. */
  final class Token implements Authenticator {
    private final AirflowSettings settings;
    private final Http http;
    private String token;

    Token(AirflowSettings settings, Http http) {
      this.settings = settings;
      this.http = http;
    }

    @Override
    public synchronized String header() {
      if (token == null) {
        token = signIn();
      }
      return "Bearer " + token;
    }

    @Override
    public synchronized boolean invalidate() {
      boolean had = token != null;
      token = null;
      return had;
    }

    private String signIn() {
      var body = Http.JSON.createObjectNode().put("username", settings.username()).put("password", settings.password());
      HttpRequest request = http.request(URI.create(settings.root() + "/auth/token"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
          .build();
      Http.Answer a = http.send(request, "POST /auth/token");
      if (a.status() != 201 && a.status() != 200) {
        throw http.failure(a, "sign in");
      }
      JsonNode access = a.json().get("access_token");
      if (access == null || !access.isTextual() || access.asText().isBlank()) {
        throw http.unexpected(a, "no access_token in the answer (expected Airflow's LoginResponse)");
      }
      return access.asText();
    }

    @Override
    public String toString() {
      return "Token(hidden)";
    }
  }
}
