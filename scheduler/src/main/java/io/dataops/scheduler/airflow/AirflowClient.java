package io.dataops.scheduler.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small typed client of Airflow's stable REST API, for Airflow 2 ({@code /api/v1}, basic authentication) and Airflow
 * 3 ({@code /api/v2}, a JWT from {@code POST /auth/token}): trigger a DAG run with a configuration, read a run, list
 * its task instances, pause and unpause a DAG. Requests and answers follow the published OpenAPI documents (see the
 * README's Airflow section for the versions); an error status or an answer of another shape is an
 * {@link AirflowException} with one line saying what to do. The password and token never leave the Authorization
 * header.
 */
public final class AirflowClient {
  /** Task instances are read a page at a time (Airflow's own default page is 100 in v1, 50 in v2). */
  static final int PAGE = 100;
  /** A run of more tasks than this is refused rather than held in memory. */
  static final int MAX_TASKS = 10_000;

  private final AirflowSettings settings;
  private final Http http;
  private final Authenticator auth;

  public AirflowClient(AirflowSettings settings) {
    this.settings = settings;
    this.http = new Http(settings);
    this.auth = Authenticator.of(settings, http);
  }

  public AirflowApi api() {
    return settings.api();
  }

  /**
   * Triggers a run of the DAG.
   *
   * @param runId the run's id, or null for Airflow to make one
   * @param conf the run's configuration ({@code dag_run.conf})
   */
  public DagRun trigger(String dagId, String runId, Map<String, Object> conf) {
    ObjectNode body = Http.JSON.createObjectNode();
    if (runId != null) {
      body.put("dag_run_id", runId);
    }
    if (settings.api() == AirflowApi.V2) {
      // Airflow 3 requires the field; null asks for a run without a logical date (run now).
      body.putNull("logical_date");
    }
    body.set("conf", Http.JSON.valueToTree(conf == null ? Map.of() : conf));
    Http.Answer a = call("POST", path("dags", dagId, "dagRuns"), null, body, "trigger DAG '" + dagId + "'");
    return Parse.run(http, a);
  }

  /** A run's state and dates. */
  public DagRun run(String dagId, String runId) {
    Http.Answer a = call("GET", path("dags", dagId, "dagRuns", runId), null, null,
        "read run '" + runId + "' of DAG '" + dagId + "'");
    return Parse.run(http, a);
  }

  /** Every task instance of a run, read page by page. */
  public List<TaskInstance> taskInstances(String dagId, String runId) {
    List<TaskInstance> all = new ArrayList<>();
    for (int offset = 0; ; offset += PAGE) {
      Http.Answer a = call("GET", path("dags", dagId, "dagRuns", runId, "taskInstances"),
          "limit=" + PAGE + "&offset=" + offset, null, "list the tasks of run '" + runId + "' of DAG '" + dagId + "'");
      Parse.Page page = Parse.taskPage(http, a);
      all.addAll(page.tasks());
      if (page.tasks().isEmpty() || all.size() >= page.total()) {
        return all;
      }
      if (all.size() > MAX_TASKS) {
        throw http.unexpected(a, "the run has more than " + MAX_TASKS + " task instances");
      }
    }
  }

  public Dag pause(String dagId) {
    return setPaused(dagId, true);
  }

  public Dag unpause(String dagId) {
    return setPaused(dagId, false);
  }

  private Dag setPaused(String dagId, boolean paused) {
    ObjectNode body = Http.JSON.createObjectNode().put("is_paused", paused);
    Http.Answer a = call("PATCH", path("dags", dagId), "update_mask=is_paused", body,
        (paused ? "pause" : "unpause") + " DAG '" + dagId + "'");
    return Parse.dag(http, a);
  }

  /** One request; a refused bearer token is renewed once (tokens expire), any other error status is thrown. */
  private Http.Answer call(String method, String path, String query, JsonNode body, String doing) {
    URI uri = URI.create(settings.root() + path + (query == null ? "" : "?" + query));
    String what = method + " " + path;
    for (int attempt = 0; ; attempt++) {
      HttpRequest.Builder b = http.request(uri).header("Authorization", auth.header());
      HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
          : HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8);
      if (body != null) {
        b.header("Content-Type", "application/json");
      }
      Http.Answer a = http.send(b.method(method, publisher).build(), what);
      if (a.status() == 401 && attempt == 0 && auth.invalidate()) {
        continue;
      }
      if (a.status() != 200) {
        throw http.failure(a, doing);
      }
      return a;
    }
  }

  /** {@code /api/vN/a/b/c} with each segment percent-encoded (run ids hold ':' and '+'). */
  private String path(String... segments) {
    StringBuilder p = new StringBuilder(settings.api().basePath());
    for (String s : segments) {
      if (s == null || s.isEmpty()) {
        throw new IllegalArgumentException("an empty DAG or run id");
      }
      p.append('/').append(encode(s));
    }
    return p.toString();
  }

  static String encode(String segment) {
    StringBuilder out = new StringBuilder();
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return "AirflowClient[" + settings + "]";
  }
}
