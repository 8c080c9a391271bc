package io.dataops.scheduler.airflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataops.core.text.VisibleText;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends requests with the JDK's client and turns Airflow's error answers into one-line {@link AirflowException}s.
 * Nothing here logs or keeps a request's headers (they carry the credentials).
 */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();
  /** Longest server text quoted in a message: enough for Airflow's details, not a page of HTML. */
  private static final int QUOTE = 200;
  /** The largest reply read: Airflow's answers here are kilobytes (a page of 100 task instances is about 100 KB). */
  static final int MAX_BODY = 4 << 20;

  private final HttpClient client;
  private final AirflowSettings settings;

  Http(AirflowSettings settings) {
    this.settings = settings;
    this.client = HttpClient.newBuilder().connectTimeout(settings.timeout())
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** One answer: the status and body, and which request it answers ("GET /api/v2/dags/x"). */
  record Answer(String request, int status, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (JsonProcessingException e) {
        return null;
      }
    }
  }

  HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(settings.timeout()).header("Accept", "application/json");
  }

  /**
   * Sends the request and reads the whole answer within the configured timeout: the request's own timeout bounds only
   * the wait for the headers (a probe's server sent them, then one byte a second, and the command hung). The body is
   * read up to {@link #MAX_BODY}.
   */
  Answer send(HttpRequest request, String what) {
    CompletableFuture<HttpResponse<String>> pending = client.sendAsync(request, CappedBody.handler(MAX_BODY));
    try {
      HttpResponse<String> r = pending.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
      Answer a = new Answer(what, r.statusCode(), r.body());
      if (a.status() >= 200 && a.status() < 300 && a.json() == null) {
        throw unexpected(a, "the body is not JSON");
      }
      return a;
    } catch (TimeoutException e) {
      pending.cancel(true); // closes the connection
      throw timedOut(what, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      while (cause instanceof CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException)) {
        throw timedOut(what, cause); // the request's own timeout: no headers in time
      }
      if (cause instanceof CappedBody.TooLarge) {
        throw new AirflowException(AirflowException.Kind.UNREACHABLE, 0, "Airflow at " + settings.root()
            + " sent a reply larger than " + (MAX_BODY >> 20) + " MB for " + what + ", far more than any answer of "
            + "its API this client reads: is airflow.url the API server, not another service?", cause);
      }
      throw new AirflowException(AirflowException.Kind.UNREACHABLE, 0, "cannot reach Airflow at " + settings.root()
          + " for " + what + " (" + (cause == null ? e : cause).getClass().getSimpleName() + "): is airflow.url right "
          + "and the API server up?", cause == null ? e : cause);
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw new AirflowException(AirflowException.Kind.UNREACHABLE, 0, "interrupted while waiting for Airflow", e);
    }
  }

  private AirflowException timedOut(String what, Throwable cause) {
    return new AirflowException(AirflowException.Kind.UNREACHABLE, 0, "Airflow at " + settings.root() + " timed out "
        + "after " + seconds(settings.timeout()) + " on " + what + " (the whole answer must arrive in that time): "
        + "is the API server up and not overloaded, and airflow.url its address? (airflow.timeout-seconds sets the "
        + "time)", cause);
  }

  /** "30 s", or "1500 ms" for a timeout of no whole number of seconds. */
  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  /** The exception for an error status: which kind, what the server said (one line), what to do. */
  AirflowException failure(Answer a, String doing) {
    String said = detail(a);
    String where = "Airflow (" + settings.api().label() + " at " + settings.root() + ")";
    String tail = " [" + a.request() + " → " + a.status() + (said.isEmpty() ? "" : ": " + said) + "]";
    return switch (a.status()) {
      case 401 -> new AirflowException(AirflowException.Kind.UNAUTHENTICATED, 401, where + " did not accept the "
          + "credentials of user '" + settings.username() + "' to " + doing + ": check the user name and password"
          + tail);
      case 403 -> new AirflowException(AirflowException.Kind.FORBIDDEN, 403, where + " does not let user '"
          + settings.username() + "' " + doing + ": ask an Airflow admin for the permission" + tail);
      case 404 -> new AirflowException(AirflowException.Kind.NOT_FOUND, 404, where + " found nothing to " + doing
          + ": check the DAG id (is the DAG file deployed and parsed?) and the run id" + tail);
      case 409 -> new AirflowException(AirflowException.Kind.CONFLICT, 409, where + " refused to " + doing
          + ": it conflicts with what exists (e.g. a run with that id)" + tail);
      case 400, 422 -> new AirflowException(AirflowException.Kind.INVALID, a.status(), where + " refused the "
          + "arguments to " + doing + tail);
      default -> new AirflowException(AirflowException.Kind.UNEXPECTED, a.status(), where + " failed to " + doing
          + " with a status its API does not describe for this request" + tail);
    };
  }

  /** An answer whose body this client does not understand. */
  AirflowException unexpected(Answer a, String why) {
    return new AirflowException(AirflowException.Kind.UNEXPECTED, a.status(), "Airflow (" + settings.api().label()
        + " at " + settings.root() + ") answered " + a.request() + " with a body this client does not understand: "
        + why + " (is airflow.api right for this server?)");
  }

  /**
   * What the server said: Airflow 2's problem details ({@code title}, {@code detail}), Airflow 3's
   * {@code detail} (text or object) or validation errors ({@code detail[].loc}, {@code msg}); else nothing.
   */
  static String detail(Answer a) {
    JsonNode j = a.json();
    if (j == null || !j.isObject()) {
      return "";
    }
    JsonNode d = j.get("detail");
    String text;
    if (d != null && d.isArray()) {
      List<String> parts = new ArrayList<>();
      for (JsonNode e : d) {
        List<String> loc = new ArrayList<>();
        e.path("loc").forEach(l -> loc.add(l.asText()));
        parts.add(String.join(".", loc) + ": " + e.path("msg").asText());
      }
      text = String.join("; ", parts);
    } else if (d != null && d.isTextual()) {
      text = j.hasNonNull("title") ? j.get("title").asText() + ": " + d.asText() : d.asText();
    } else if (d != null && d.isObject()) {
      text = d.toString();
    } else {
      text = j.path("title").asText("");
    }
    text = text.replaceAll("\\s+", " ").strip();
    // The server's text reaches a terminal: its controls and invisible or reordering characters are shown by code.
    return VisibleText.freeText(text.length() > QUOTE ? text.substring(0, QUOTE) + "…" : text);
  }
}
