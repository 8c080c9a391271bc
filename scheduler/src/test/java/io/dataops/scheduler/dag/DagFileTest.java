package io.dataops.scheduler.dag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataops.core.BadInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated DAG file is real Python (run by python3 against a stand-in for Airflow's import surface, as Airflow
 * cannot be installed here), and each task's command, run by a real bash with the task's environment, calls the
 * launcher with exactly the intended arguments, however hostile the paths and names: no value escapes into Python,
 * the shell or Airflow's templates.
 */
class DagFileTest {
  static final ObjectMapper JSON = new ObjectMapper();
  /** A path that tries every way out: quotes, command substitution, backticks, a newline, a backslash, Unicode. */
  static final String HOSTILE = "x'; touch PWNED; echo '\" $(touch PWNED) `touch PWNED` \\n\n\t管道 🚀 %s $HOME";

  @TempDir Path dir;

  DagSpec spec(String pipelineFile, List<String> tables) throws IOException {
    return new DagSpec("income-by-street", "income-by-street", pipelineFile,
        dir.resolve("home with space").toString() + "/$HOME'", "olivia", "flink", launcher().toString(), tables,
        tables.isEmpty() ? null : "alice", "dataops pipeline income-by-street → product income-by-street ('企业用工分析')",
        null);
  }

  /** A launcher that records its arguments (each ended by a NUL) and prints a run's JSON as the last line. */
  Path launcher() throws IOException {
    Path l = dir.resolve("bin dir/dataops");
    if (!Files.exists(l)) {
      Files.createDirectories(l.getParent());
      Files.writeString(l, """
          #!/usr/bin/env bash
          printf '%s\\0' "$@" > "$ARGV_OUT"
          if [[ $1 == quality ]]; then
            echo '{"success": '"${QUALITY_SUCCESS:-true}"', "results": []}'
          else
            echo 'progress...'
            echo '{"product": "income-by-street", "version": 7, "state": "'"${RUN_STATE:-draft}"'"}'
          fi
          """);
      Files.setPosixFilePermissions(l, PosixFilePermissions.fromString("rwx------"));
    }
    return l;
  }

  JsonNode dump(String python) throws Exception {
    Path file = dir.resolve("dag.py");
    Files.writeString(file, python);
    Path stub = Path.of(getClass().getResource("/airflow-stub").toURI());
    ProcessBuilder pb = new ProcessBuilder("python3", stub.resolve("dump_dag.py").toString(), file.toString())
        .redirectErrorStream(false);
    pb.environment().put("PYTHONPATH", stub.toString());
    pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err).isZero();
    return JSON.readTree(out);
  }

  /** Runs a task's command with bash in the task's environment; returns its status, stdout, the launcher's arguments. */
  record Ran(int exit, String out, String err, List<String> args) {}

  Ran runTask(JsonNode task, Map<String, String> rendered) throws Exception {
    Ran r = runTask(task, rendered, Map.of());
    assertThat(r.exit()).as(r.err()).isZero();
    return r;
  }

  Ran runTask(JsonNode task, Map<String, String> rendered, Map<String, String> extraEnv) throws Exception {
    Path argv = dir.resolve("argv-" + task.get("task_id").asText());
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", task.get("bash_command").asText()).directory(dir.toFile());
    task.get("env").fields().forEachRemaining(e -> pb.environment().put(e.getKey(),
        rendered.getOrDefault(e.getValue().asText(), e.getValue().asText())));
    pb.environment().put("ARGV_OUT", argv.toString());
    pb.environment().putAll(extraEnv);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(err).isTrue();
    if (!Files.exists(argv)) {
      return new Ran(p.exitValue(), out, err, List.of());
    }
    String[] args = Files.readString(argv, StandardCharsets.UTF_8).split("\0", -1);
    return new Ran(p.exitValue(), out, err, List.of(args).subList(0, args.length - 1)); // each argument ends with a NUL
  }

  @Test
  void hostileNamesReachTheCommandLineIntactAndRunNothing() throws Exception {
    String pipelineFile = dir.resolve(HOSTILE + ".yaml").toString();
    DagSpec spec = spec(pipelineFile, List.of("ods.public_security__citizens", "ods.human_resources__insurance"));
    String python = DagFile.render(spec);
    assertThat(python).as("plain ASCII: every other character is an escape").matches("[\\x20-\\x7e\\n]*");

    JsonNode dag = dump(python);
    assertThat(dag.get("dag_id").asText()).isEqualTo("dataops-income-by-street");
    assertThat(dag.get("description").asText()).isEqualTo(spec.description());
    List<JsonNode> tasks = new ArrayList<>();
    dag.get("tasks").forEach(tasks::add);
    assertThat(tasks).extracting(t -> t.get("task_id").asText()).containsExactly(
        "quality__ods__public_security__citizens", "quality__ods__human_resources__insurance", "pipeline_run",
        "submit");
    assertThat(tasks.get(2).get("upstream")).extracting(JsonNode::asText).containsExactly(
        "quality__ods__public_security__citizens", "quality__ods__human_resources__insurance");
    assertThat(tasks.get(3).get("upstream")).extracting(JsonNode::asText).containsExactly("pipeline_run");
    assertThat(tasks).allSatisfy(t -> assertThat(t.get("append_env").asBoolean()).isTrue());
    JsonNode runEnv = tasks.get(2).get("env");
    assertThat(runEnv.get("DATAOPS_PIPELINE_FILE").asText()).as("the Python literal is the path, exactly")
        .isEqualTo(pipelineFile);
    assertThat(runEnv.get("DATAOPS_HOME").asText()).isEqualTo(spec.home());
    assertThat(runEnv.get("DATAOPS_LAUNCHER").asText()).isEqualTo(spec.launcher());

    String home = spec.home();
    List<String> as = List.of("--home", home, "--as", "olivia", "--json");
    Ran q = runTask(tasks.get(0), Map.of());
    assertThat(q.args()).as("checked by the user who may read source tables").isEqualTo(List.of("quality", "run",
        "--table", "ods.public_security__citizens", "--home", home, "--as", "alice", "--json"));
    assertThat(q.out()).isEqualTo("{\"table\": \"ods.public_security__citizens\", \"success\": true}\n");
    Ran failing = runTask(tasks.get(0), Map.of(), Map.of("QUALITY_SUCCESS", "false"));
    assertThat(failing.exit()).as("a failing suite fails the task, so the run waits").isEqualTo(1);
    Ran run = runTask(tasks.get(2), Map.of());
    assertThat(run.args()).isEqualTo(concat(List.of("pipeline", "run", pipelineFile, "--engine", "flink"), as));
    // Airflow keeps the last line of a BashOperator's output as its XCom value, and renders the submit's template.
    String xcom = run.out().strip().lines().reduce((a, b) -> b).orElseThrow();
    String template = tasks.get(3).get("env").get("DATAOPS_RUN").asText();
    assertThat(template).isEqualTo("{{ ti.xcom_pull(task_ids='pipeline_run') }}");
    Ran submit = runTask(tasks.get(3), Map.of(template, xcom));
    assertThat(submit.args()).isEqualTo(concat(List.of("product", "submit", "income-by-street", "7"), as));
    // A run that made no new draft (it ran before on the same inputs) leaves nothing to submit: the task is skipped.
    Ran again = runTask(tasks.get(2), Map.of(), Map.of("RUN_STATE", "published"));
    String xcomAgain = again.out().strip().lines().reduce((a, b) -> b).orElseThrow();
    Files.delete(dir.resolve("argv-submit"));
    Ran skipped = runTask(tasks.get(3), Map.of(template, xcomAgain), Map.of());
    assertThat(skipped.exit()).as("99: Airflow's BashOperator marks the task skipped").isEqualTo(99);
    assertThat(skipped.out()).isEqualTo("the run made no new draft version: nothing to submit\n");
    assertThat(dir.resolve("argv-submit")).doesNotExist();

    try (Stream<Path> all = Files.walk(dir)) {
      assertThat(all.filter(f -> f.getFileName().toString().equals("PWNED"))).as("nothing ran").isEmpty();
    }
  }

  @Test
  void aPipelineWithoutSuitesRunsThenSubmits() throws Exception {
    JsonNode dag = dump(DagFile.render(spec(dir.resolve("p.yaml").toString(), List.of())));
    assertThat(dag.get("tasks")).extracting(t -> t.get("task_id").asText() + "<" + t.get("upstream"))
        .containsExactly("pipeline_run<[]", "submit<[\"pipeline_run\"]");
  }

  @Test
  void valuesAirflowWouldTemplateOrNoProcessCanCarryAreRefused() {
    assertThatThrownBy(() -> spec(dir.resolve("{{ 7 * 7 }}.yaml").toString(), List.of()))
        .isInstanceOf(BadInputException.class)
        .hasMessage("the pipeline file path contains '{{', which Airflow would evaluate as a template in the task's "
            + "command: rename it");
    assertThatThrownBy(() -> spec(dir.resolve("a{% raw %}.yaml").toString(), List.of()))
        .hasMessageContaining("contains '{%'");
    assertThatThrownBy(() -> spec(dir + "/a\0b.yaml", List.of())).hasMessageContaining("NUL character");
  }

  @Test
  void literalsEscapeEverythingThatCouldEndThem() {
    assertThat(DagFile.literal("a'b\\c\n\u7ba1\uD83D\uDE80\u0007")).isEqualTo("'a\\'b\\\\c\\x0a\\u7ba1\\U0001f680\\x07'");
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Test
  void thePipelineFilesCronBecomesTheDagsScheduleOrIsRefusedWithWhatToWrite() throws Exception {
    assertThat(DagSpec.airflowSchedule("0 0 2 * * *")).isEqualTo("0 2 * * *");
    assertThat(DagSpec.airflowSchedule("0 */15 8-18 ? JUL,AUG MON-FRI")).isEqualTo("*/15 8-18 * JUL,AUG MON-FRI");
    assertThat(DagSpec.airflowSchedule("@midnight")).isEqualTo("@daily");
    assertThatThrownBy(() -> DagSpec.airflowSchedule("30 0 2 * * *")).isInstanceOf(BadInputException.class)
        .hasMessageContaining("make the first field 0");
    assertThatThrownBy(() -> DagSpec.airflowSchedule("0 0 2 L * *")).hasMessageContaining("'L' uses Spring's own");
    assertThatThrownBy(() -> DagSpec.airflowSchedule("0 0 2 * * MON#2")).hasMessageContaining("'MON#2'");
    assertThatThrownBy(() -> DagSpec.airflowSchedule("0 2 * * *")).hasMessageContaining("has 5 fields");
    assertThatThrownBy(() -> DagSpec.airflowSchedule("@reboot")).hasMessageContaining("no preset Airflow knows");

    DagSpec unscheduled = spec(dir.resolve("p.yaml").toString(), List.of());
    DagSpec nightly = new DagSpec(unscheduled.pipeline(), unscheduled.product(), unscheduled.pipelineFile(),
        unscheduled.home(), unscheduled.user(), unscheduled.engine(), unscheduled.launcher(), List.of(), null,
        unscheduled.description(), DagSpec.airflowSchedule("0 0 2 * * *"));
    assertThat(dump(DagFile.render(nightly)).get("schedule").asText()).isEqualTo("0 2 * * *");
    assertThat(dump(DagFile.render(unscheduled)).get("schedule").isNull()).isTrue();
  }

  @Test
  void thePipelineFilesTimeoutAndAttemptsBoundTheRunTaskAsTheEmbeddedSchedulerDoes() throws Exception {
    DagSpec plain = spec(dir.resolve("p.yaml").toString(), List.of("ods.public_security__citizens"));
    DagSpec bounded = new DagSpec(plain.pipeline(), plain.product(), plain.pipelineFile(), plain.home(), plain.user(),
        plain.engine(), plain.launcher(), plain.qualityTables(), plain.qualityUser(), plain.description(),
        plain.schedule(), java.time.Duration.ofMinutes(90), 2);
    String python = DagFile.render(bounded);
    // Our timeout bounds one attempt (Airflow's execution_timeout is per try); our attempts count the first one.
    assertThat(python).contains("        execution_timeout=timedelta(minutes=90),\n        retries=1,\n"
        + "        retry_delay=timedelta(seconds=30),\n        retry_exponential_backoff=True,\n")
        .contains("from datetime import datetime, timedelta, timezone\n");
    JsonNode tasks = dump(python).get("tasks");
    JsonNode run = tasks.get(1);
    assertThat(run.get("task_id").asText()).isEqualTo("pipeline_run");
    assertThat(run.get("execution_timeout").asDouble()).isEqualTo(5400.0);
    assertThat(run.get("retries").asInt()).isEqualTo(1);
    assertThat(run.get("retry_delay").asDouble()).as("the embedded scheduler's first backoff").isEqualTo(30.0);
    assertThat(run.get("retry_exponential_backoff").asBoolean()).as("doubled each further attempt").isTrue();
    for (int i : new int[] {0, 2}) {
      assertThat(tasks.get(i).get("execution_timeout").isNull()).as("only the run is bounded, as the embedded "
          + "scheduler bounds only the command it runs").isTrue();
      assertThat(tasks.get(i).get("retries").isNull()).isTrue();
    }

    // One attempt: no retry, even where the Airflow deployment's default_task_retries says otherwise.
    DagSpec once = new DagSpec(plain.pipeline(), plain.product(), plain.pipelineFile(), plain.home(), plain.user(),
        plain.engine(), plain.launcher(), plain.qualityTables(), plain.qualityUser(), plain.description(),
        plain.schedule(), java.time.Duration.ofSeconds(45), 1);
    JsonNode onceRun = dump(DagFile.render(once)).get("tasks").get(1);
    assertThat(onceRun.get("retries").asInt()).isZero();
    assertThat(onceRun.get("retry_delay").isNull()).isTrue();
    assertThat(onceRun.get("execution_timeout").asDouble()).isEqualTo(45.0);
    assertThat(DagFile.timedelta(java.time.Duration.ofHours(2))).isEqualTo("timedelta(hours=2)");
    assertThat(DagFile.timedelta(java.time.Duration.ofDays(7))).isEqualTo("timedelta(days=7)");

    // Unsaid in the file: today's DAG, the Airflow deployment's defaults apply.
    String unbounded = DagFile.render(plain);
    assertThat(unbounded).doesNotContain("timedelta").doesNotContain("execution_timeout").doesNotContain("retr")
        .contains("from datetime import datetime, timezone\n\ntry:\n");
    assertThat(dump(unbounded).get("tasks").get(1).get("execution_timeout").isNull()).isTrue();
    assertThatThrownBy(() -> new DagSpec(plain.pipeline(), plain.product(), plain.pipelineFile(), plain.home(),
        plain.user(), plain.engine(), plain.launcher(), List.of(), null, plain.description(), null, null, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
