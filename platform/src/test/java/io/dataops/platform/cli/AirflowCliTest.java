package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.platform.Main;
import io.dataops.platform.cli.CliTest.Run;
import io.dataops.scheduler.airflow.AirflowApi;
import io.dataops.scheduler.airflow.FakeAirflow;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dataops airflow}: a DAG file for a validated pipeline, and trigger, status, pause and unpause through the
 * configured Airflow (a local server answering as Airflow 2's and 3's API documents say), each command by a person
 * whose role allows it, audited.
 */
class AirflowCliTest {
  static final String PASSWORD = "airflow-Pa55-secret";

  @TempDir Path dir;
  FakeAirflow airflow;
  Map<String, String> env = new HashMap<>();

  @AfterEach
  void stop() {
    if (airflow != null) {
      airflow.close();
    }
  }

  Path home() {
    return dir.resolve("home");
  }

  Run run(String as, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--home", home().toString(), "--as", as));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = Main.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env);
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  Run ok(String as, String... args) {
    Run r = run(as, args);
    assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
    return r;
  }

  Run refused(String as, String expected, String... args) {
    Run r = run(as, args);
    assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
    assertThat(r.err()).hasLineCount(1).contains(expected);
    return r;
  }

  @BeforeEach
  void enroll() {
    TestCast.enroll(home());
  }

  /** The home's configuration names the Airflow; the password is in a file only the owner reads. */
  void configure(AirflowApi api, String password) throws Exception {
    airflow = FakeAirflow.start(api, "dataops-svc", PASSWORD).dag("dataops-income-by-street", true, "pipeline_run",
        "submit");
    Path secret = dir.resolve("airflow.password");
    Files.writeString(secret, password + "\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(home().resolve("dataops.properties"), """
        airflow.url=%s
        airflow.api=%s
        airflow.username=dataops-svc
        airflow.password-file=%s
        """.formatted(airflow.url(), api.label(), secret));
  }

  @Test
  void aDagIsWrittenForAValidatedPipelineOfTheOperatorsOwn() throws Exception {
    Path feed = dir.resolve("feeds/citizens.csv");
    ok(TestCast.PUBLIC_SECURITY, "generate", "--dataset", "citizens", "--rows", "300", "--out", feed.toString());
    ok(TestCast.PUBLIC_SECURITY, "land", "--department", "public-security", "--dataset", "citizens", "--file",
        feed.toString());
    Path suite = dir.resolve("citizens.suite.yaml");
    Files.writeString(suite, """
        name: citizens
        expectations:
          - type: expect_table_row_count_to_be_between
            kwargs: {min_value: 1}
        """);
    ok(TestCast.PUBLIC_SECURITY, "quality", "suite", "register", "--department", "public-security", "--dataset",
        "citizens", "--file", suite.toString());
    Path pipelines = Files.createDirectories(dir.resolve("pipelines"));
    Path pipeline = pipelines.resolve("income.yaml");
    Files.writeString(pipeline, CliTest.PIPELINE);
    Files.writeString(pipelines.resolve("gate.yaml"), "name: gate\nexpectations:\n  - type: "
        + "expect_table_row_count_to_be_between\n    kwargs: {min_value: 1}\n");

    Path out = dir.resolve("dags/dataops_income.py");
    Files.createDirectories(out.getParent());
    // Validating the pipeline reads the input's rows (its measure of quasi-identifiers): only under a grant.
    Run ungranted = run(TestCast.OPERATOR, "airflow", "dag", pipeline.toString(), "--out", out.toString());
    assertThat(ungranted.exit()).isEqualTo(2);
    assertThat(ungranted.err()).contains("no grant for scenario 'test'");
    assertThat(out).doesNotExist();
    TestCast.grant(home(), "test", "income-by-street");
    JsonNode j = ok(TestCast.OPERATOR, "airflow", "dag", pipeline.toString(), "--out", out.toString(), "--engine",
        "flink", "--launcher", "/opt/dataops/bin/dataops", "--quality-as", TestCast.AUTHORITY, "--json").json();
    assertThat(j.get("dagId").asText()).isEqualTo("dataops-income-by-street");
    assertThat(j.get("tasks")).extracting(JsonNode::asText).containsExactly("quality__ods__public_security__citizens",
        "pipeline_run", "submit");
    assertThat(j.get("qualityAs").asText()).isEqualTo(TestCast.AUTHORITY);
    String python = Files.readString(out);
    assertThat(python).contains("dag_id='dataops-income-by-street'")
        .contains("'DATAOPS_PIPELINE_FILE': '" + pipeline.toAbsolutePath() + "'")
        .contains("'DATAOPS_AS': 'olivia'").contains("'DATAOPS_ENGINE': 'flink'")
        .contains("'DATAOPS_QUALITY_AS': 'alice'")
        .contains("'DATAOPS_LAUNCHER': '/opt/dataops/bin/dataops'")
        .contains("'DATAOPS_HOME': '" + home().toAbsolutePath() + "'");
    // Without --out the DAG is printed; without --quality-as it checks no input, and says so.
    Run printed = ok(TestCast.OPERATOR, "airflow", "dag", pipeline.toString());
    assertThat(printed.out()).startsWith("# Airflow DAG generated by `dataops airflow dag` for pipeline "
        + "income-by-street").contains("'DATAOPS_ENGINE': 'spring-batch'").doesNotContain("quality__");
    assertThat(printed.err()).isEqualTo("dataops: note: the DAG does not check the suites of "
        + "ods.public_security__citizens: pass --quality-as USER (the authority or their department; operators may "
        + "not read source tables)\n");
    assertThat(ok(TestCast.OPERATOR, "airflow", "dag", pipeline.toString(), "--quality-as", TestCast.PUBLIC_SECURITY,
        "--json").json().get("qualityChecked")).extracting(JsonNode::asText)
        .containsExactly("ods.public_security__citizens");
    refused(TestCast.OPERATOR, "--quality-as: mr-clerk acts for market-regulation, not for "
        + "ods.public_security__citizens's department public-security", "airflow", "dag", pipeline.toString(),
        "--quality-as", TestCast.MARKET_REGULATION);
    refused(TestCast.OPERATOR, "--quality-as: oscar is neither the authority nor a department", "airflow", "dag",
        pipeline.toString(), "--quality-as", TestCast.OTHER_OPERATOR);
    refused(TestCast.OPERATOR, "--quality-as: no user nobody", "airflow", "dag", pipeline.toString(),
        "--quality-as", "nobody");

    assertThat(j.get("schedule").isNull()).as("no schedule: in the file").isTrue();
    // The file's schedule: becomes the DAG's, in Airflow's five fields; one Airflow cannot express is refused.
    Path nightly = pipelines.resolve("nightly.yaml");
    Files.writeString(nightly, CliTest.PIPELINE + "schedule: {cron: '0 30 2 * * MON-FRI'}\n");
    JsonNode scheduled = ok(TestCast.OPERATOR, "airflow", "dag", nightly.toString(), "--out",
        dir.resolve("dags/nightly.py").toString(), "--json").json();
    assertThat(scheduled.get("schedule").asText()).isEqualTo("30 2 * * MON-FRI");
    assertThat(Files.readString(dir.resolve("dags/nightly.py"))).contains("schedule='30 2 * * MON-FRI',")
        .as("no timeout or attempts in the file: Airflow's defaults").doesNotContain("execution_timeout")
        .doesNotContain("retries=");
    assertThat(scheduled.get("timeout").isNull()).isTrue();
    assertThat(scheduled.get("engine").asText()).as("no engine in the file nor given").isEqualTo("spring-batch");
    // The file's engine, as schedule add-pipeline takes it; --engine still wins.
    Files.writeString(nightly, CliTest.PIPELINE + "schedule: {cron: '0 30 2 * * MON-FRI', engine: flink}\n");
    assertThat(ok(TestCast.OPERATOR, "airflow", "dag", nightly.toString(), "--out", dir.resolve("dags/nightly.py")
        .toString(), "--json").json().get("engine").asText()).isEqualTo("flink");
    assertThat(Files.readString(dir.resolve("dags/nightly.py"))).contains("'DATAOPS_ENGINE': 'flink'");
    assertThat(ok(TestCast.OPERATOR, "airflow", "dag", nightly.toString(), "--engine", "spring-batch", "--json").json()
        .get("engine").asText()).isEqualTo("spring-batch");
    // The file's timeout bounds each attempt of the run task; its attempts count the first one.
    Files.writeString(nightly, CliTest.PIPELINE
        + "schedule: {cron: '0 30 2 * * MON-FRI', timeout: 90m, maxAttempts: 2}\n");
    JsonNode bounded = ok(TestCast.OPERATOR, "airflow", "dag", nightly.toString(), "--out",
        dir.resolve("dags/nightly.py").toString(), "--json").json();
    assertThat(bounded.get("timeout").asText()).isEqualTo("90m");
    assertThat(bounded.get("maxAttempts").asInt()).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("dags/nightly.py"))).contains("task_id='pipeline_run',")
        .contains("        execution_timeout=timedelta(minutes=90),\n        retries=1,\n");
    Files.writeString(nightly, CliTest.PIPELINE + "schedule: {cron: '15 30 2 * * *'}\n");
    refused(TestCast.OPERATOR, "nightly.yaml:" + (CliTest.PIPELINE.lines().count() + 1) + ": schedule.cron for "
        + "Airflow: cron '15 30 2 * * *' runs at second '15'", "airflow", "dag", nightly.toString());
    // asked before validation reads a row: the grant check says whose pipeline it is
    refused(TestCast.OTHER_OPERATOR, "pipeline:income-by-street is op's; oscar acts for other-op", "airflow", "dag",
        pipeline.toString());
    refused(TestCast.PUBLIC_SECURITY, "airflow dag requires role operator", "airflow", "dag", pipeline.toString());
    Files.writeString(pipelines.resolve("broken.yaml"), CliTest.PIPELINE.replace("monthly_income]", "nope]"));
    refused(TestCast.OPERATOR, "broken.yaml:", "airflow", "dag", pipelines.resolve("broken.yaml").toString());
    Path templated = pipelines.resolve("{{ 7 * 7 }}.yaml");
    Files.writeString(templated, CliTest.PIPELINE);
    refused(TestCast.OPERATOR, "contains '{{', which Airflow would evaluate as a template", "airflow", "dag",
        templated.toString());

    JsonNode events = ok(TestCast.AUDITOR, "audit", "list", "--action", "airflow.*", "--json").json().get("events");
    assertThat(events).extracting(e -> e.get("action").asText()).containsOnly("airflow.dag").hasSize(7);
  }

  @ParameterizedTest
  @EnumSource(AirflowApi.class)
  void runsAreTriggeredWatchedPausedAndUnpausedThroughAirflow(AirflowApi api) throws Exception {
    configure(api, PASSWORD);
    JsonNode t = ok(TestCast.OPERATOR, "airflow", "trigger", "dataops-income-by-street", "--run-id", "r-1", "--conf",
        "{\"engine\": \"flink\", \"rows\": 5}", "--json").json();
    assertThat(t.get("runId").asText()).isEqualTo("r-1");
    assertThat(t.get("state").asText()).isEqualTo("queued");
    assertThat(t.get("conf").get("rows").asInt()).isEqualTo(5);

    JsonNode s = ok(TestCast.AUDITOR, "airflow", "status", "dataops-income-by-street", "r-1", "--json").json();
    assertThat(s.get("state").asText()).isEqualTo("queued");
    assertThat(s.get("tasks")).extracting(x -> x.get("taskId").asText()).containsExactly("pipeline_run", "submit");
    airflow.finish("dataops-income-by-street", "r-1", "success");
    Run text = ok(TestCast.OPERATOR, "airflow", "status", "dataops-income-by-street", "r-1");
    assertThat(text.out()).startsWith("dataops-income-by-street run r-1: success\n").contains("pipeline_run")
        .contains("success          try 1");

    assertThat(ok(TestCast.OPERATOR, "airflow", "unpause", "dataops-income-by-street", "--json").json()
        .get("paused").asBoolean()).isFalse();
    assertThat(airflow.paused("dataops-income-by-street")).isFalse();
    assertThat(ok(TestCast.OPERATOR, "airflow", "pause", "dataops-income-by-street").out())
        .isEqualTo("dataops-income-by-street: paused\n");
    assertThat(airflow.paused("dataops-income-by-street")).isTrue();

    refused(TestCast.OPERATOR, "conflicts with what exists", "airflow", "trigger", "dataops-income-by-street",
        "--run-id", "r-1");
    refused(TestCast.OPERATOR, "found nothing to trigger DAG 'nope'", "airflow", "trigger", "nope");
    refused(TestCast.OPERATOR, "--conf must be a JSON object", "airflow", "trigger", "nope", "--conf", "[1]");
    refused(TestCast.AUDITOR, "airflow trigger requires role operator", "airflow", "trigger",
        "dataops-income-by-street");

    JsonNode events = ok(TestCast.AUDITOR, "audit", "list", "--action", "airflow.*", "--oldest-first", "--json").json()
        .get("events");
    assertThat(events).extracting(e -> e.get("action").asText()).containsExactly("airflow.trigger", "airflow.status",
        "airflow.status", "airflow.unpause", "airflow.pause");
    assertThat(events.get(0).get("objects")).extracting(JsonNode::asText)
        .containsExactly("dag:dataops-income-by-street", "dagrun:dataops-income-by-street/r-1");
  }

  @Test
  void wrongCredentialsExitTwoWithoutThePasswordAnywhere() throws Exception {
    configure(AirflowApi.V2, "wrong-" + PASSWORD);
    // A child JVM, so that the home's log file is this home's: neither the refusal nor a server fault logs a secret.
    List<String> pause = List.of("airflow", "pause", "dataops-income-by-street", "--home", home().toString(), "--as",
        TestCast.OPERATOR, "--json");
    List<Run> runs = ChildCli.run(List.of(), dir.resolve("child.log"), List.of(pause));
    Run r = runs.get(0);
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).hasLineCount(1).contains("did not accept the credentials of user 'dataops-svc'")
        .contains("airflow.password-file").doesNotContain(PASSWORD);
    assertThat(r.out()).doesNotContain(PASSWORD);

    Files.writeString(dir.resolve("airflow.password"), PASSWORD + "\n");
    ok(TestCast.OPERATOR, "airflow", "unpause", "dataops-income-by-street");
    airflow.answerNextWith(500, "{\"detail\": \"Internal Server Error\"}");
    Run fault = ChildCli.run(List.of(), dir.resolve("child2.log"), List.of(pause)).get(0);
    assertThat(fault.exit()).as("a server fault is internal").isEqualTo(1);
    assertThat(fault.err()).contains("→ 500: Internal Server Error").doesNotContain(PASSWORD);
    String log = Files.readString(home().resolve("logs/dataops.log"));
    assertThat(log).contains("did not accept the credentials").contains("AirflowException").doesNotContain(PASSWORD);
    String token = airflow.exchanges().stream().filter(e -> e.status() == 201).findFirst().orElseThrow().response()
        .get("access_token").asText();
    assertThat(log + fault.err() + fault.out()).doesNotContain(token);

    // The password from the environment wins over the file.
    Files.writeString(dir.resolve("airflow.password"), "stale\n");
    env.put("DATAOPS_AIRFLOW_PASSWORD", PASSWORD);
    ok(TestCast.OPERATOR, "airflow", "pause", "dataops-income-by-street");
  }

  @Test
  void withoutAirflowConfiguredTheCommandsSayWhatToSet() {
    refused(TestCast.OPERATOR, "no Airflow is configured: set airflow.url (DATAOPS_AIRFLOW_URL)", "airflow", "pause",
        "d");
  }
}
