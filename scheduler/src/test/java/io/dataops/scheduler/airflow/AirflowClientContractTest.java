package io.dataops.scheduler.airflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The client against a real HTTP server that answers as Airflow's published documents say, for Airflow 2 (v1) and
 * Airflow 3 (v2): every request the client makes and every answer it reads are checked against the document's
 * excerpt (operation, status, request and response bodies).
 */
class AirflowClientContractTest {
  static final String USER = "ops";
  static final String PASSWORD = "s3cret-Pa55word";

  FakeAirflow airflow;

  @AfterEach
  void stop() {
    if (airflow != null) {
      airflow.close();
    }
  }

  AirflowClient client(AirflowApi api, String user, String password) {
    return new AirflowClient(new AirflowSettings(airflow.url(), api, user, password));
  }

  /** Every exchange so far fits the document: the operation exists, its status is declared, both bodies fit. */
  void everyExchangeFitsTheDocument(AirflowApi api) {
    OpenApiExcerpt doc = OpenApiExcerpt.of(api);
    assertThat(airflow.exchanges()).isNotEmpty();
    for (FakeAirflow.Exchange e : airflow.exchanges()) {
      String route = e.route().equals("/auth/token") ? e.route() : api.basePath() + e.route();
      assertThat(doc.checkRequest(e.method(), route, e.request())).as(e.method() + " " + e.rawPath()).isEmpty();
      assertThat(doc.checkResponse(e.method(), route, e.status(), e.response()))
          .as(e.method() + " " + e.rawPath() + " → " + e.status()).isEmpty();
      if (e.query() != null) {
        for (String p : e.query().split("&")) {
          assertThat(doc.queryParameters(e.method(), route)).as(e.rawPath()).contains(p.split("=")[0]);
        }
      }
      assertThat(e.authorization()).as("credentials on " + e.rawPath()).isEqualTo(
          e.route().equals("/auth/token") ? null : api == AirflowApi.V1 ? "Basic" : "Bearer");
    }
  }

  @ParameterizedTest
  @EnumSource(AirflowApi.class)
  void theFakeServesOnlyOperationsTheDocumentHas(AirflowApi api) throws Exception {
    airflow = FakeAirflow.start(api, USER, PASSWORD);
    OpenApiExcerpt doc = OpenApiExcerpt.of(api);
    for (String route : airflow.routes()) {
      String[] mp = route.split(" ");
      assertThat(doc.operation(mp[0], mp[1])).as(route).isNotNull();
    }
    // The excerpt's checks are not vacuous: a body without a required field and a wrong type are caught.
    var broken = FakeAirflow.JSON.readTree("{\"dag_id\": 7}");
    assertThat(doc.checkResponse("GET", api.basePath() + "/dags/{dag_id}/dagRuns/{dag_run_id}", 200, broken))
        .isNotEmpty();
    assertThat(doc.checkResponse("GET", api.basePath() + "/dags/{dag_id}/dagRuns/{dag_run_id}", 418, broken))
        .containsExactly("GET " + api.basePath() + "/dags/{dag_id}/dagRuns/{dag_run_id} does not declare status 418");
  }

  @ParameterizedTest
  @EnumSource(AirflowApi.class)
  void triggersReadsListsPausesAndUnpausesAsTheDocumentSays(AirflowApi api) throws Exception {
    airflow = FakeAirflow.start(api, USER, PASSWORD).dag("dataops-income", true, "quality_ods", "run", "submit");
    AirflowClient client = client(api, USER, PASSWORD);

    DagRun run = client.trigger("dataops-income", null, Map.of("engine", "flink", "rows", 3));
    assertThat(run.dagId()).isEqualTo("dataops-income");
    assertThat(run.state()).isEqualTo(DagRunState.QUEUED);
    assertThat(run.runId()).startsWith("manual__");
    assertThat(run.conf()).containsEntry("engine", "flink").containsEntry("rows", 3);
    if (api == AirflowApi.V2) {
      assertThat(run.logicalDate()).as("triggered with a null logical date").isNull();
      assertThat(airflow.exchanges().get(1).request().has("logical_date")).isTrue();
    } else {
      assertThat(run.logicalDate()).isNotNull();
    }

    // The run id holds ':' and '+', which the path must carry encoded.
    assertThat(client.run("dataops-income", run.runId())).isEqualTo(run);
    assertThat(client.taskInstances("dataops-income", run.runId())).extracting(TaskInstance::taskId, TaskInstance::state)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("quality_ods", null),
            org.assertj.core.groups.Tuple.tuple("run", null), org.assertj.core.groups.Tuple.tuple("submit", null));

    airflow.finish("dataops-income", run.runId(), "success");
    DagRun done = client.run("dataops-income", run.runId());
    assertThat(done.state()).isEqualTo(DagRunState.SUCCESS);
    assertThat(done.state().finished()).isTrue();
    assertThat(done.endDate()).isNotNull();
    assertThat(client.taskInstances("dataops-income", run.runId())).allSatisfy(t -> {
      assertThat(t.state()).isEqualTo("success");
      assertThat(t.tryNumber()).isEqualTo(1);
      assertThat(t.mapIndex()).isEqualTo(-1);
    });

    DagRun named = client.trigger("dataops-income", "nightly-2026-11-30", Map.of());
    assertThat(named.runId()).isEqualTo("nightly-2026-11-30");

    assertThat(client.unpause("dataops-income")).isEqualTo(new Dag("dataops-income", false));
    assertThat(airflow.paused("dataops-income")).isFalse();
    assertThat(client.pause("dataops-income")).isEqualTo(new Dag("dataops-income", true));
    assertThat(airflow.paused("dataops-income")).isTrue();
    assertThat(airflow.exchanges()).filteredOn(e -> e.method().equals("PATCH"))
        .allSatisfy(e -> assertThat(e.query()).isEqualTo("update_mask=is_paused"));

    everyExchangeFitsTheDocument(api);
  }

  @ParameterizedTest
  @EnumSource(AirflowApi.class)
  void readsTaskInstancesPageByPage(AirflowApi api) throws Exception {
    String[] tasks = IntStream.range(0, 250).mapToObj(i -> "t" + i).toArray(String[]::new);
    airflow = FakeAirflow.start(api, USER, PASSWORD).dag("wide", false, tasks);
    AirflowClient client = client(api, USER, PASSWORD);
    DagRun run = client.trigger("wide", "r1", null);
    List<TaskInstance> all = client.taskInstances("wide", run.runId());
    assertThat(all).extracting(TaskInstance::taskId).containsExactly(tasks);
    assertThat(airflow.exchanges()).filteredOn(e -> e.rawPath().endsWith("/taskInstances"))
        .extracting(FakeAirflow.Exchange::query)
        .containsExactly("limit=100&offset=0", "limit=100&offset=100", "limit=100&offset=200");
    everyExchangeFitsTheDocument(api);
  }

  @ParameterizedTest
  @EnumSource(AirflowApi.class)
  void wrongCredentialsAreAClearErrorWithoutThePassword(AirflowApi api) throws Exception {
    airflow = FakeAirflow.start(api, USER, PASSWORD).dag("d", false);
    AirflowClient client = client(api, USER, "not-" + PASSWORD);
    assertThatThrownBy(() -> client.pause("d")).isInstanceOfSatisfying(AirflowException.class, e -> {
      assertThat(e.kind()).isEqualTo(AirflowException.Kind.UNAUTHENTICATED);
      assertThat(e.status()).isEqualTo(401);
      assertThat(e.userCanFix()).isTrue();
      assertThat(e.getMessage()).contains("did not accept the credentials of user 'ops'")
          .contains(api == AirflowApi.V1 ? "PATCH /api/v1/dags/d → 401" : "POST /auth/token → 401")
          .doesNotContain(PASSWORD).doesNotContainPattern("\\R");
    });
    everyExchangeFitsTheDocument(api);
  }

  @ParameterizedTest
  @EnumSource(AirflowApi.class)
  void forbiddenUnknownAndConflictingRequestsAreSpecificErrors(AirflowApi api) throws Exception {
    airflow = FakeAirflow.start(api, USER, PASSWORD).user("viewer", "viewer-pw").forbid("viewer").dag("d", false, "a");
    AirflowClient client = client(api, USER, PASSWORD);
    assertThatThrownBy(() -> client(api, "viewer", "viewer-pw").trigger("d", null, Map.of()))
        .isInstanceOfSatisfying(AirflowException.class, e -> {
          assertThat(e.kind()).isEqualTo(AirflowException.Kind.FORBIDDEN);
          assertThat(e.getMessage()).contains("does not let user 'viewer' trigger DAG 'd'");
        });
    assertThatThrownBy(() -> client.trigger("nope", null, Map.of()))
        .isInstanceOfSatisfying(AirflowException.class, e -> {
          assertThat(e.kind()).isEqualTo(AirflowException.Kind.NOT_FOUND);
          assertThat(e.getMessage()).contains("found nothing to trigger DAG 'nope'")
              .contains("DAG with dag_id: 'nope' not found");
        });
    assertThatThrownBy(() -> client.run("d", "no-such-run"))
        .isInstanceOfSatisfying(AirflowException.class, e -> assertThat(e.kind())
            .isEqualTo(AirflowException.Kind.NOT_FOUND));
    assertThatThrownBy(() -> client.pause("nope")).isInstanceOfSatisfying(AirflowException.class,
        e -> assertThat(e.kind()).isEqualTo(AirflowException.Kind.NOT_FOUND));
    client.trigger("d", "once", Map.of());
    assertThatThrownBy(() -> client.trigger("d", "once", Map.of()))
        .isInstanceOfSatisfying(AirflowException.class, e -> {
          assertThat(e.kind()).isEqualTo(AirflowException.Kind.CONFLICT);
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.getMessage()).contains("already exists");
        });
    everyExchangeFitsTheDocument(api);
  }

  @ParameterizedTest
  @EnumSource(AirflowApi.class)
  void refusedArgumentsAreInvalidWithTheServersReasons(AirflowApi api) throws Exception {
    airflow = FakeAirflow.start(api, USER, PASSWORD).dag("d", false);
    AirflowClient client = client(api, USER, PASSWORD);
    if (api == AirflowApi.V2) {
      client.pause("d"); // signs in first, so the canned answer meets the trigger
      airflow.answerNextWith(422, "{\"detail\":[{\"loc\":[\"body\",\"conf\"],\"msg\":\"Input should be a valid "
          + "dictionary\",\"type\":\"dict_type\"}]}");
    } else {
      airflow.answerNextWith(400, "{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,"
          + "\"detail\":\"conf: is not of type 'object'\"}");
    }
    assertThatThrownBy(() -> client.trigger("d", null, Map.of())).isInstanceOfSatisfying(AirflowException.class,
        e -> {
          assertThat(e.kind()).isEqualTo(AirflowException.Kind.INVALID);
          assertThat(e.status()).isEqualTo(api == AirflowApi.V2 ? 422 : 400);
          assertThat(e.getMessage()).contains(api == AirflowApi.V2
              ? "body.conf: Input should be a valid dictionary" : "Bad Request: conf: is not of type 'object'");
        });
  }

  @ParameterizedTest
  @EnumSource(AirflowApi.class)
  void answersOfAnotherShapeAreNamedNotPassedOn(AirflowApi api) throws Exception {
    airflow = FakeAirflow.start(api, USER, PASSWORD).dag("d", false);
    AirflowClient client = client(api, USER, PASSWORD);
    client.pause("d");
    airflow.answerNextWith(200, "{\"dag_run_id\": \"x\", \"dag_id\": \"d\", \"state\": \"exploded\"}");
    assertThatThrownBy(() -> client.run("d", "x")).isInstanceOfSatisfying(AirflowException.class, e -> {
      assertThat(e.kind()).isEqualTo(AirflowException.Kind.UNEXPECTED);
      assertThat(e.userCanFix()).isFalse();
      assertThat(e.getMessage()).contains("state 'exploded' is none of queued, running, success, failed");
    });
    airflow.answerNextWith(200, "{\"dag_id\": \"d\", \"state\": \"running\"}");
    assertThatThrownBy(() -> client.run("d", "x")).hasMessageContaining("field 'dag_run_id' is missing");
    airflow.answerNextWith(200, "<html>Airflow UI</html>");
    assertThatThrownBy(() -> client.pause("d")).hasMessageContaining("the body is not JSON")
        .hasMessageContaining("is airflow.api right for this server?");
    airflow.answerNextWith(200, "{\"task_instances\": {}, \"total_entries\": 0}");
    assertThatThrownBy(() -> client.taskInstances("d", "x"))
        .hasMessageContaining("task_instances is missing or not a list");
    airflow.answerNextWith(500, "{\"detail\": \"Internal Server Error\"}");
    assertThatThrownBy(() -> client.pause("d")).isInstanceOfSatisfying(AirflowException.class, e -> {
      assertThat(e.kind()).isEqualTo(AirflowException.Kind.UNEXPECTED);
      assertThat(e.getMessage()).contains("status its API does not describe").contains("→ 500: Internal Server Error");
    });
    // The server's reason reaches a terminal: its controls, overrides and invisible characters are shown by code.
    // (JSON escapes the ESC: a raw control character is not JSON)
    airflow.answerNextWith(404, "{\"detail\": \"run \u202etxt.exe \\u001b[2J\u200bx\"}");
    assertThatThrownBy(() -> client.pause("d")).satisfies(e -> assertThat(e.getMessage())
        .doesNotContain("\u202e", "\u001b", "\u200b").contains("→ 404: run <U+202E>txt.exe ␛[2J<U+200B>x"));
  }

  @Test
  void anExpiredTokenIsRenewedOnceAndTheSecretsStayHidden() throws Exception {
    airflow = FakeAirflow.start(AirflowApi.V2, USER, PASSWORD).dag("d", true);
    AirflowClient client = client(AirflowApi.V2, USER, PASSWORD);
    client.unpause("d");
    airflow.expireTokens();
    client.pause("d");
    assertThat(airflow.exchanges()).extracting(e -> e.method() + " " + e.rawPath() + " " + e.status())
        .containsExactly("POST /auth/token 201", "PATCH /api/v2/dags/d 200", "PATCH /api/v2/dags/d 401",
            "POST /auth/token 201", "PATCH /api/v2/dags/d 200");
    everyExchangeFitsTheDocument(AirflowApi.V2);
    String tokenSeen = airflow.exchanges().get(0).response().get("access_token").asText();
    assertThat(client.toString()).doesNotContain(PASSWORD).doesNotContain(tokenSeen).contains("(hidden)");
    assertThat(new AirflowSettings(airflow.url(), AirflowApi.V2, USER, PASSWORD).toString())
        .doesNotContain(PASSWORD);
  }

  @Test
  void anUnreachableServerSaysWhereItLooked() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    AirflowClient client = new AirflowClient(new AirflowSettings(URI.create("http://127.0.0.1:" + port),
        AirflowApi.V1, USER, PASSWORD));
    assertThatThrownBy(() -> client.pause("d")).isInstanceOfSatisfying(AirflowException.class, e -> {
      assertThat(e.kind()).isEqualTo(AirflowException.Kind.UNREACHABLE);
      assertThat(e.getMessage()).contains("cannot reach Airflow at http://127.0.0.1:" + port)
          .doesNotContain(PASSWORD);
    });
  }

  /**
   * Found by a probe: the request's timeout bounds only the wait for the headers, so a server that sent them and then
   * a byte a second hung the command; a 4 GB body was read into the heap. The whole answer is bounded in time and
   * size, each with its own message.
   */
  @Test
  void aStallingOrHugeAnswerIsBoundedInTimeAndSize() throws Exception {
    airflow = FakeAirflow.start(AirflowApi.V1, USER, PASSWORD).dag("d", false);
    AirflowClient client = new AirflowClient(new AirflowSettings(airflow.url(), AirflowApi.V1, USER, PASSWORD,
        java.time.Duration.ofSeconds(2)));
    airflow.trickleNext(100_000);
    long start = System.nanoTime();
    assertThatThrownBy(() -> org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
        java.time.Duration.ofSeconds(20), () -> client.pause("d")))
        .isInstanceOfSatisfying(AirflowException.class, e -> {
          assertThat(e.kind()).isEqualTo(AirflowException.Kind.UNREACHABLE);
          assertThat(e.userCanFix()).isTrue();
          assertThat(e.getMessage()).startsWith("Airflow at " + airflow.url() + " timed out after 2 s on PATCH "
              + "/api/v1/dags/d").doesNotContain(PASSWORD).doesNotContain("\n");
        });
    assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(10));

    for (boolean declared : new boolean[] {true, false}) {
      airflow.answerNextWithHuge((4 << 20) + 1_000_000L, declared);
      assertThatThrownBy(() -> client.run("d", "r")).as("length declared: " + declared)
          .isInstanceOfSatisfying(AirflowException.class, e -> {
            assertThat(e.kind()).isEqualTo(AirflowException.Kind.UNREACHABLE);
            assertThat(e.getMessage()).startsWith("Airflow at " + airflow.url() + " sent a reply larger than 4 MB "
                + "for GET /api/v1/dags/d/dagRuns/r");
          });
    }
    // Just under the bound is read (and then judged by its shape), and the client goes on working afterwards.
    airflow.answerNextWithHuge((4 << 20) - 10, false);
    assertThatThrownBy(() -> client.run("d", "r")).hasMessageContaining("field 'state' is missing");
    assertThat(client.pause("d")).isEqualTo(new Dag("d", true));
  }

  @Test
  void settingsRefuseWhatCannotWork() {
    assertThatThrownBy(() -> AirflowApi.of("v3")).hasMessage("airflow.api is v1 (Airflow 2) or v2 (Airflow 3), not 'v3'");
    assertThatThrownBy(() -> new AirflowSettings(URI.create("ftp://airflow"), AirflowApi.V1, USER, PASSWORD))
        .hasMessageContaining("airflow.url must be http://");
    assertThatThrownBy(() -> new AirflowSettings(URI.create("http://ops:" + PASSWORD + "@airflow:8080"),
        AirflowApi.V1, USER, PASSWORD)).hasMessageContaining("must not carry credentials")
        .hasMessageNotContaining(PASSWORD);
    assertThatThrownBy(() -> new AirflowSettings(URI.create("ftp://ops:" + PASSWORD + "@airflow"), AirflowApi.V1,
        USER, PASSWORD)).as("credentials are named before the scheme, which echoes the URL")
        .hasMessageContaining("must not carry credentials").hasMessageNotContaining(PASSWORD);
    for (String url : new String[] {"http://airflow:8080/?token=" + PASSWORD, "http://airflow:8080/#" + PASSWORD}) {
      assertThatThrownBy(() -> new AirflowSettings(URI.create(url), AirflowApi.V1, USER, PASSWORD))
          .hasMessageContaining("without a query or a fragment").hasMessageNotContaining(PASSWORD);
    }
  }
}
