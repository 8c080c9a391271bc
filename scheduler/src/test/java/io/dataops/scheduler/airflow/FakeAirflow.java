package io.dataops.scheduler.airflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An Airflow API server on 127.0.0.1 that answers as Airflow's published OpenAPI documents say, for the operations
 * the client uses (the excerpts in {@code src/test/resources/airflow-openapi/} name the documents and commits): paths,
 * methods, query parameters, request and response bodies, status codes and error shapes — Airflow 2's problem
 * details ({@code type}, {@code title}, {@code status}, {@code detail}) and Airflow 3's {@code {"detail": ...}} and
 * validation errors. Airflow 3 signs in with {@code POST /auth/token}; Airflow 2 takes basic authentication. Every
 * exchange is recorded so a test can check both sides against the document.
 */
public final class FakeAirflow implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

  /** One request and its answer; {@code route} is the document's path template ({@code /dags/{dag_id}}). */
  public record Exchange(String method, String route, String rawPath, String query, String authorization,
      JsonNode request, int status, JsonNode response) {}

  private final AirflowApi api;
  private final HttpServer server;
  private final Map<String, String> passwords = new HashMap<>();
  private final Set<String> forbidden = new HashSet<>();
  private final Map<String, String> tokens = new HashMap<>(); // token -> user
  private final Map<String, Boolean> paused = new LinkedHashMap<>();
  private final Map<String, List<String>> dagTasks = new HashMap<>();
  private final Map<String, ObjectNode> runs = new LinkedHashMap<>(); // dag/run -> run as stored
  private final Map<String, List<ObjectNode>> runTasks = new HashMap<>();
  private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
  private final SecureRandom random = new SecureRandom();
  private volatile String cannedBody;
  private volatile int cannedStatus;
  private volatile long trickleLength = -1;
  private volatile long hugeLength = -1;
  private volatile boolean hugeDeclared;
  private volatile boolean closed;

  private FakeAirflow(AirflowApi api) throws IOException {
    this.api = api;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    // Handlers on their own threads: one that trickles a body must not hold up the others, nor close().
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-airflow");
      t.setDaemon(true);
      return t;
    }));
    server.start();
  }

  public static FakeAirflow start(AirflowApi api, String user, String password) throws IOException {
    FakeAirflow f = new FakeAirflow(api);
    f.user(user, password);
    return f;
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public synchronized FakeAirflow user(String user, String password) {
    passwords.put(user, password);
    return this;
  }

  /** The user signs in but holds no permission on DAGs (403). */
  public synchronized FakeAirflow forbid(String user) {
    forbidden.add(user);
    return this;
  }

  /** A parsed DAG with its tasks (each run gets one task instance per task). */
  public synchronized FakeAirflow dag(String dagId, boolean isPaused, String... tasks) {
    paused.put(dagId, isPaused);
    dagTasks.put(dagId, List.of(tasks));
    return this;
  }

  public synchronized boolean paused(String dagId) {
    return paused.get(dagId);
  }

  /** The scheduler moved a run (and all its tasks) to this state. */
  public synchronized void finish(String dagId, String runId, String state) {
    ObjectNode r = runs.get(dagId + "/" + runId);
    r.put("state", state);
    r.put("start_date", now());
    r.put("end_date", now());
    for (ObjectNode t : runTasks.get(dagId + "/" + runId)) {
      t.put("state", state);
      t.put("try_number", 1);
      t.put("start_date", now());
      t.put("end_date", now());
    }
  }

  /** Every issued token stops working, as when they expire. */
  public synchronized void expireTokens() {
    tokens.clear();
  }

  /** The next answer, whatever the request, is this status and body (for answers the document does not describe). */
  public void answerNextWith(int status, String body) {
    cannedStatus = status;
    cannedBody = body;
  }

  /**
   * The next answer, whatever the request, is a 200 declaring {@code length} bytes whose body then comes one byte a
   * second (a server or proxy that stalls after the headers).
   */
  public void trickleNext(long length) {
    trickleLength = length;
  }

  /** The next answer, whatever the request, is a 200 JSON body of {@code length} bytes, its length declared or not. */
  public void answerNextWithHuge(long length, boolean declared) {
    hugeDeclared = declared;
    hugeLength = length;
  }

  public List<Exchange> exchanges() {
    return List.copyOf(exchanges);
  }

  /** The operations this fake serves, as "METHOD template" with the document's full path. */
  public List<String> routes() {
    String b = api.basePath();
    List<String> r = new ArrayList<>(List.of("PATCH " + b + "/dags/{dag_id}", "POST " + b + "/dags/{dag_id}/dagRuns",
        "GET " + b + "/dags/{dag_id}/dagRuns/{dag_run_id}",
        "GET " + b + "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances"));
    if (api == AirflowApi.V2) {
      r.add("POST /auth/token");
    }
    return r;
  }

  @Override
  public void close() {
    closed = true;
    server.stop(0);
  }

  // ---- the server

  private record Answer(int status, JsonNode body) {}

  private void handle(HttpExchange ex) throws IOException {
    String raw = ex.getRequestURI().getRawPath();
    String query = ex.getRequestURI().getRawQuery();
    byte[] in = ex.getRequestBody().readAllBytes();
    JsonNode request = null;
    boolean badJson = false;
    if (in.length > 0) {
      try {
        request = JSON.readTree(in);
      } catch (IOException e) {
        badJson = true;
      }
    }
    String[] route = new String[] {null};
    Answer a;
    if (trickleLength >= 0 || hugeLength >= 0) {
      streamOddly(ex);
      return;
    }
    String canned = cannedBody;
    if (canned != null) {
      cannedBody = null;
      send(ex, cannedStatus, canned.getBytes(StandardCharsets.UTF_8));
      exchanges.add(new Exchange(ex.getRequestMethod(), null, raw, query, kind(ex), request, cannedStatus, null));
      return;
    }
    synchronized (this) {
      a = badJson ? invalid("body", "json_invalid", "JSON decode error") : route(ex, raw, query, request, route);
    }
    send(ex, a.status(), a.body() == null ? new byte[0] : JSON.writeValueAsBytes(a.body()));
    exchanges.add(new Exchange(ex.getRequestMethod(), route[0], raw, query, kind(ex), request, a.status(),
        a.body()));
  }

  /** The trickled or huge answer asked for; ends when the client hangs up. */
  private void streamOddly(HttpExchange ex) throws IOException {
    long trickle = trickleLength;
    long huge = hugeLength;
    trickleLength = -1;
    hugeLength = -1;
    ex.getResponseHeaders().set("Content-Type", "application/json");
    try (OutputStream out = ex.getResponseBody()) {
      if (trickle >= 0) {
        ex.sendResponseHeaders(200, trickle);
        for (long i = 0; i < trickle && !closed; i++) {
          out.write(i == 0 ? '[' : ' ');
          out.flush();
          Thread.sleep(1000);
        }
        return;
      }
      ex.sendResponseHeaders(200, hugeDeclared ? huge : 0);
      byte[] open = "{\"pad\": \"".getBytes(StandardCharsets.US_ASCII);
      out.write(open);
      byte[] pad = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
      long left = huge - open.length - 2;
      while (left > 0 && !closed) {
        int n = (int) Math.min(pad.length, left);
        out.write(pad, 0, n);
        left -= n;
      }
      out.write("\"}".getBytes(StandardCharsets.US_ASCII));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException clientGone) {
      // the client hung up, as it should
    }
  }

  private static String kind(HttpExchange ex) {
    String h = ex.getRequestHeaders().getFirst("Authorization");
    return h == null ? null : h.split(" ")[0];
  }

  private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private Answer route(HttpExchange ex, String raw, String query, JsonNode body, String[] route) {
    String method = ex.getRequestMethod();
    if (api == AirflowApi.V2 && raw.equals("/auth/token")) {
      route[0] = "/auth/token";
      return method.equals("POST") ? token(body) : notAllowed();
    }
    String base = api.basePath() + "/dags/";
    if (!raw.startsWith(base)) {
      return error(404, "Not Found", "The requested URL was not found on the server.");
    }
    String[] seg = raw.substring(base.length()).split("/", -1);
    for (int i = 0; i < seg.length; i++) {
      seg[i] = URLDecoder.decode(seg[i].replace("+", "%2B"), StandardCharsets.UTF_8);
    }
    String user = authenticate(ex.getRequestHeaders().getFirst("Authorization"));
    Answer refused = user == null ? error(401, "Unauthorized", "Not authenticated")
        : forbidden.contains(user) ? error(403, "Forbidden", "Forbidden") : null;
    if (seg.length == 1) {
      route[0] = "/dags/{dag_id}";
      return refused != null ? refused : method.equals("PATCH") ? patchDag(seg[0], query, body) : notAllowed();
    }
    if (seg.length == 2 && seg[1].equals("dagRuns")) {
      route[0] = "/dags/{dag_id}/dagRuns";
      return refused != null ? refused : method.equals("POST") ? trigger(seg[0], body) : notAllowed();
    }
    if (seg.length == 3 && seg[1].equals("dagRuns")) {
      route[0] = "/dags/{dag_id}/dagRuns/{dag_run_id}";
      return refused != null ? refused : method.equals("GET") ? getRun(seg[0], seg[2]) : notAllowed();
    }
    if (seg.length == 4 && seg[1].equals("dagRuns") && seg[3].equals("taskInstances")) {
      route[0] = "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances";
      return refused != null ? refused : method.equals("GET") ? tasks(seg[0], seg[2], query) : notAllowed();
    }
    return error(404, "Not Found", "The requested URL was not found on the server.");
  }

  private String authenticate(String header) {
    if (header == null) {
      return null;
    }
    if (api == AirflowApi.V1 && header.startsWith("Basic ")) {
      String[] up = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8).split(":", 2);
      return up.length == 2 && up[1].equals(passwords.get(up[0])) ? up[0] : null;
    }
    if (api == AirflowApi.V2 && header.startsWith("Bearer ")) {
      return tokens.get(header.substring(7));
    }
    return null;
  }

  private Answer token(JsonNode body) {
    if (body == null || !body.isObject()) {
      return invalid("body", "missing", "Field required");
    }
    for (String f : List.of("username", "password")) {
      if (!body.path(f).isTextual()) {
        return invalid(f, "missing", "Field required");
      }
    }
    var extra = extra(body, Set.of("username", "password"));
    if (extra != null) {
      return extra;
    }
    String user = body.get("username").asText();
    if (!body.get("password").asText().equals(passwords.get(user))) {
      return error(401, "Unauthorized", "Invalid credentials");
    }
    byte[] sig = new byte[32];
    random.nextBytes(sig);
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String jwt = b64.encodeToString("{\"alg\":\"HS512\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(("{\"sub\":\"" + user + "\"}").getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(sig);
    tokens.put(jwt, user);
    return new Answer(201, JSON.createObjectNode().put("access_token", jwt));
  }

  private Answer patchDag(String dagId, String query, JsonNode body) {
    if (!paused.containsKey(dagId)) {
      return error(404, "DAG not found", "Dag with id: '" + dagId + "' not found");
    }
    if (body == null || !body.isObject() || !body.path("is_paused").isBoolean()) {
      return api == AirflowApi.V2 ? invalid("is_paused", "missing", "Field required")
          : error(400, "Bad Request", "is_paused must be true or false");
    }
    if (api == AirflowApi.V2) {
      var extra = extra(body, Set.of("is_paused"));
      if (extra != null) {
        return extra;
      }
    }
    if (query != null && !query.equals("update_mask=is_paused")) {
      return error(400, "Bad Request", "Only `is_paused` field can be updated through the REST API");
    }
    paused.put(dagId, body.get("is_paused").asBoolean());
    return new Answer(200, dagJson(dagId));
  }

  private Answer trigger(String dagId, JsonNode body) {
    if (!paused.containsKey(dagId)) {
      return error(404, "DAG not found", "DAG with dag_id: '" + dagId + "' not found");
    }
    if (body == null || !body.isObject()) {
      return api == AirflowApi.V2 ? invalid("body", "missing", "Field required")
          : error(400, "Bad Request", "Request body must be a JSON object");
    }
    if (api == AirflowApi.V2) {
      if (!body.has("logical_date")) {
        return invalid("logical_date", "missing", "Field required");
      }
      var extra = extra(body, Set.of("dag_run_id", "data_interval_start", "data_interval_end", "logical_date",
          "run_after", "conf", "note"));
      if (extra != null) {
        return extra;
      }
    }
    JsonNode conf = body.get("conf");
    if (conf != null && !conf.isNull() && !conf.isObject()) {
      return api == AirflowApi.V2 ? invalid("conf", "dict_type", "Input should be a valid dictionary")
          : error(400, "Bad Request", "conf: is not of type 'object'");
    }
    String logical = body.hasNonNull("logical_date") ? body.get("logical_date").asText()
        : api == AirflowApi.V1 ? now() : null;
    String runId = body.hasNonNull("dag_run_id") ? body.get("dag_run_id").asText() : "manual__" + now();
    String key = dagId + "/" + runId;
    if (runs.containsKey(key)) {
      return error(409, "Conflict", "DAGRun with DAG ID: '" + dagId + "' and DAGRun ID: '" + runId
          + "' already exists");
    }
    ObjectNode run = JSON.createObjectNode();
    run.put("dag_run_id", runId).put("dag_id", dagId).put("logical_date", logical).put("state", "queued")
        .putNull("start_date").putNull("end_date").put("queued_at", now()).put("run_after", now());
    run.set("conf", conf == null || conf.isNull() ? JSON.createObjectNode() : conf);
    runs.put(key, run);
    List<ObjectNode> ts = new ArrayList<>();
    for (String t : dagTasks.getOrDefault(dagId, List.of())) {
      ObjectNode ti = JSON.createObjectNode();
      ti.put("task_id", t).putNull("state").put("try_number", 0).putNull("start_date").putNull("end_date");
      ts.add(ti);
    }
    runTasks.put(key, ts);
    return new Answer(200, runJson(run));
  }

  private Answer getRun(String dagId, String runId) {
    ObjectNode run = runs.get(dagId + "/" + runId);
    if (run == null) {
      return error(404, "DAGRun not found", "The DagRun with dag_id: `" + dagId + "` and run_id: `" + runId
          + "` was not found");
    }
    return new Answer(200, runJson(run));
  }

  private Answer tasks(String dagId, String runId, String query) {
    Map<String, String> q = new HashMap<>();
    if (query != null) {
      for (String p : query.split("&")) {
        String[] kv = p.split("=", 2);
        q.put(kv[0], kv.length > 1 ? kv[1] : "");
      }
    }
    int limit = Integer.parseInt(q.getOrDefault("limit", api == AirflowApi.V1 ? "100" : "50"));
    int offset = Integer.parseInt(q.getOrDefault("offset", "0"));
    List<ObjectNode> all = runTasks.get(dagId + "/" + runId);
    if (all == null) {
      if (api == AirflowApi.V2) {
        return error(404, "Not Found", "DagRun with run_id: `" + runId + "` was not found");
      }
      all = List.of(); // v1 filters task instances by run: an unknown run lists none
    }
    ObjectNode page = JSON.createObjectNode();
    ArrayNode items = page.putArray("task_instances");
    for (int i = offset; i < Math.min(all.size(), offset + limit); i++) {
      items.add(taskJson(dagId, runId, all.get(i)));
    }
    page.put("total_entries", all.size());
    return new Answer(200, page);
  }

  // ---- bodies as each document shapes them

  private ObjectNode dagJson(String dagId) {
    ObjectNode d = JSON.createObjectNode();
    d.put("dag_id", dagId).put("dag_display_name", dagId).put("is_paused", paused.get(dagId));
    d.put("fileloc", "/opt/airflow/dags/" + dagId + ".py").put("file_token", "Ii9vcHQvYWlyZmxvdy9kYWdzIg");
    d.putArray("owners").add("airflow");
    d.putNull("description").putNull("timetable_description").put("max_active_tasks", 16).put("max_active_runs", 16)
        .put("has_task_concurrency_limits", false).put("has_import_errors", false).putNull("next_dagrun_data_interval_start")
        .putNull("next_dagrun_data_interval_end").put("max_consecutive_failed_dag_runs", 0);
    d.putArray("tags");
    if (api == AirflowApi.V1) {
      d.put("is_active", true).putNull("last_parsed_time").putNull("last_pickled").putNull("last_expired")
          .putNull("scheduler_lock").putNull("pickle_id").put("default_view", "grid").putNull("schedule_interval")
          .putNull("next_dagrun").putNull("next_dagrun_create_after");
    } else {
      d.put("is_stale", false).putNull("last_parsed_time").putNull("last_expired").put("bundle_name", "dags-folder")
          .putNull("bundle_version").put("relative_fileloc", dagId + ".py").putNull("timetable_summary")
          .putNull("next_dagrun_logical_date").putNull("next_dagrun_run_after");
    }
    return d;
  }

  private ObjectNode runJson(ObjectNode run) {
    ObjectNode r = JSON.createObjectNode();
    r.put("dag_run_id", run.get("dag_run_id").asText()).put("dag_id", run.get("dag_id").asText());
    r.set("logical_date", run.get("logical_date"));
    r.set("start_date", run.get("start_date"));
    r.set("end_date", run.get("end_date"));
    r.set("data_interval_start", run.get("logical_date"));
    r.set("data_interval_end", run.get("logical_date"));
    r.putNull("last_scheduling_decision").put("run_type", "manual").put("state", run.get("state").asText());
    r.set("conf", run.get("conf"));
    r.putNull("note");
    if (api == AirflowApi.V1) {
      r.set("execution_date", run.get("logical_date"));
      r.put("external_trigger", true);
    } else {
      r.set("queued_at", run.get("queued_at"));
      r.putNull("duration").put("run_after", run.get("run_after").asText()).put("triggered_by", "rest_api")
          .put("triggering_user_name", "ops").putNull("bundle_version").put("dag_display_name",
              run.get("dag_id").asText());
      r.putArray("dag_versions");
    }
    return r;
  }

  private ObjectNode taskJson(String dagId, String runId, ObjectNode t) {
    ObjectNode j = JSON.createObjectNode();
    j.put("task_id", t.get("task_id").asText()).put("dag_id", dagId).put("dag_run_id", runId).put("map_index", -1);
    j.set("start_date", t.get("start_date"));
    j.set("end_date", t.get("end_date"));
    j.putNull("duration");
    j.set("state", t.get("state"));
    j.put("try_number", t.get("try_number").asInt()).put("max_tries", 0).put("task_display_name",
        t.get("task_id").asText()).put("pool", "default_pool").put("pool_slots", 1).put("queue", "default")
        .put("priority_weight", 1).put("operator", "BashOperator").putNull("queued_when").putNull("pid")
        .putNull("executor").put("executor_config", "{}").putNull("note").putNull("rendered_map_index")
        .putNull("trigger").putNull("triggerer_job");
    j.putObject("rendered_fields");
    if (api == AirflowApi.V1) {
      j.put("execution_date", now()).put("hostname", "").put("unixname", "airflow").putNull("sla_miss");
    } else {
      j.put("id", "0193" + Integer.toHexString(Math.abs((dagId + runId + t.get("task_id").asText()).hashCode())))
          .putNull("logical_date").put("run_after", now()).put("dag_display_name", dagId).putNull("hostname")
          .putNull("unixname").put("operator_name", "BashOperator").putNull("scheduled_when")
          .putNull("dag_version");
    }
    return j;
  }

  /** Airflow 2: problem details (RFC 7807); Airflow 3: {@code {"detail": "..."}}. */
  private Answer error(int status, String title, String detail) {
    if (api == AirflowApi.V1) {
      ObjectNode e = JSON.createObjectNode();
      e.put("detail", detail).put("status", status).put("title", title).put("type",
          "https://airflow.apache.org/docs/apache-airflow/2.10.0/stable-rest-api-ref.html#section/Errors/"
              + switch (status) {
                case 401 -> "Unauthenticated";
                case 403 -> "PermissionDenied";
                case 404 -> "NotFound";
                case 409 -> "AlreadyExists";
                default -> "BadRequest";
              });
      return new Answer(status, e);
    }
    return new Answer(status, JSON.createObjectNode().put("detail", detail));
  }

  /** Airflow 3's 422: FastAPI's validation errors. */
  private Answer invalid(String field, String type, String msg) {
    ObjectNode e = JSON.createObjectNode();
    ObjectNode item = e.putArray("detail").addObject();
    item.putArray("loc").add("body").add(field);
    item.put("msg", msg).put("type", type);
    return new Answer(422, e);
  }

  private Answer extra(JsonNode body, Set<String> allowed) {
    for (var it = body.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        return invalid(f, "extra_forbidden", "Extra inputs are not permitted");
      }
    }
    return null;
  }

  private Answer notAllowed() {
    return error(405, "Method Not Allowed", "Method Not Allowed");
  }

  private static String now() {
    return OffsetDateTime.now(ZoneOffset.UTC).format(ISO);
  }
}
