package io.dataops.platform.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.dataops.core.BadInputException;
import io.dataops.core.audit.AuditEvent;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.definition.PipelineParser;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.pipeline.PipelineRuns;
import io.dataops.scheduler.airflow.AirflowClient;
import io.dataops.scheduler.airflow.AirflowException;
import io.dataops.scheduler.airflow.Dag;
import io.dataops.scheduler.airflow.DagRun;
import io.dataops.scheduler.airflow.TaskInstance;
import io.dataops.scheduler.dag.DagFile;
import io.dataops.scheduler.dag.DagSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Apache Airflow for operators who run it: a DAG file per pipeline (Airflow orchestrates, the platform executes), and
 * trigger, status, pause and unpause through Airflow's REST API (airflow.url, airflow.api, airflow.username and the
 * password, see {@link PlatformConfig}).
 */
@Command(name = "airflow", mixinStandardHelpOptions = true,
    description = "Apache Airflow: DAG files that run pipelines, and runs through Airflow's REST API (v1 or v2).",
    subcommands = {AirflowCommand.DagCmd.class, AirflowCommand.Trigger.class, AirflowCommand.Status.class,
        AirflowCommand.Pause.class, AirflowCommand.Unpause.class})
final class AirflowCommand {

  @Command(name = "dag", mixinStandardHelpOptions = true,
      description = "Validate a pipeline and write an Airflow DAG file whose tasks run it with dataops: the quality of "
          + "each input with a registered suite (with --quality-as), the pipeline run, the submit of the version it "
          + "makes.")
  static final class DagCmd implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    @Parameters(index = "0", paramLabel = "PIPELINE", description = "The pipeline file.") Path file;
    @Option(names = "--out", paramLabel = "FILE", description = "Write the DAG here (default: print it).") Path out;
    @Option(names = "--engine", paramLabel = "ENGINE", description = "The engine the DAG's run uses (default: the "
        + "file's schedule.engine, else spring-batch).") String engine;
    @Option(names = "--launcher", paramLabel = "PATH", defaultValue = "dataops",
        description = "The dataops launcher as Airflow's workers find it (default: ${DEFAULT-VALUE} on their PATH).")
    String launcher;
    @Option(names = "--quality-as", paramLabel = "USER", description = "Who checks the inputs' registered suites "
        + "before each run: the authority or the inputs' department (operators may not read source tables); without "
        + "it the DAG checks none.") String qualityAs;

    DagCmd(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() throws IOException {
      PlatformConfig config = cli.configToRead(common);
      cli.know("pipelineFile", file.toString());
      if (out != null) {
        OutputPaths.outsideHome(config, out, "--out");
      }
      if (engine == null) {
        // As schedule add-pipeline takes it: a file that says engine: flink gets a DAG that runs on Flink.
        var schedule = Files.isRegularFile(file) ? PipelineParser.parse(file).schedule() : null;
        engine = schedule == null || schedule.engine() == null ? "spring-batch" : schedule.engine();
      }
      PipelineRuns.checkEngine(engine);
      DagSpec spec;
      List<String> unchecked;
      try (Lakehouse lh = cli.lakehouse(config)) {
        BoundPipeline p = new PipelineRuns(config, lh, LandCommand.workers())
            .as(cli.session().actor(), cli.audit()).readsChecked(Quality.reads(cli, config, lh))
            .validate(file, engine);
        PipelineCommand.ownPipeline(cli, config, p);
        List<String> withSuites = new ArrayList<>();
        for (BoundPipeline.BoundInput in : p.inputs()) {
          if (Quality.suiteFor(config, lh, in.table()).isPresent()) {
            withSuites.add(in.table().toString());
          }
        }
        if (qualityAs != null) {
          checkQualityUser(lh, p, withSuites);
        }
        unchecked = qualityAs == null ? withSuites : List.of();
        spec = new DagSpec(p.definition().name(), p.definition().product(), file.toAbsolutePath().normalize()
            .toString(), config.home().toString(), cli.session().principal().name(), engine, launcher,
            qualityAs == null ? List.of() : withSuites, qualityAs == null || withSuites.isEmpty() ? null : qualityAs,
            "dataops pipeline " + p.definition().name() + " -> product " + p.definition().product()
                + (p.definition().scenario() == null ? "" : " (scenario: " + p.definition().scenario() + ")"),
            airflowSchedule(p), runTimeout(p), p.definition().schedule() == null ? null
                : p.definition().schedule().maxAttempts());
      }
      String python = DagFile.render(spec);
      if (out != null) {
        io.dataops.core.files.OutFiles.replace(out, python.getBytes(StandardCharsets.UTF_8), "the DAG file");
      }
      cli.audit().record(AuditEvent.ok("airflow.dag", List.of("pipeline:" + spec.pipeline(), "dag:" + spec.dagId()),
          Map.of("engine", engine, "qualityChecked", spec.qualityTables())));
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("dagId", spec.dagId());
      json.put("pipeline", spec.pipeline());
      json.put("product", spec.product());
      json.put("engine", engine);
      json.put("schedule", spec.schedule());
      json.put("timeout", spec.runTimeout() == null ? null : io.dataops.scheduler.embedded.Schedule.text(
          spec.runTimeout()));
      json.put("maxAttempts", spec.runAttempts());
      json.put("qualityChecked", spec.qualityTables());
      json.put("qualityAs", spec.qualityUser());
      json.put("qualityNotChecked", unchecked);
      List<String> tasks = new ArrayList<>(spec.qualityTables().stream().map(DagSpec::qualityTask).toList());
      tasks.add(DagFile.RUN_TASK);
      tasks.add(DagFile.SUBMIT_TASK);
      json.put("tasks", tasks);
      json.put("file", out == null ? null : out.toAbsolutePath().toString());
      if (out == null) {
        json.put("python", python);
      }
      if (!unchecked.isEmpty()) {
        cli.err.println("dataops: note: the DAG does not check the suites of " + String.join(", ", unchecked)
            + ": pass --quality-as USER (the authority or their department; operators may not read source tables)");
      }
      cli.print(common, json, out == null ? python : "DAG " + spec.dagId() + " written to "
          + io.dataops.core.text.VisibleText.value(out.toString()) + " (tasks: "
          + String.join(" → ", tasks) + ")\n");
      return 0;
    }

    /** The checker must be able to run quality on every input checked: the authority, or their own department. */
    private void checkQualityUser(Lakehouse lh, BoundPipeline p, List<String> tables) {
      var user = UserCommand.identities(cli).user(qualityAs).orElseThrow(() -> new BadInputException(
          "--quality-as: no user " + qualityAs));
      if (user.disabled()) {
        throw new BadInputException("--quality-as: " + qualityAs + " is disabled");
      }
      if (user.roles().contains(io.dataops.governance.identity.Role.AUTHORITY)) {
        return;
      }
      if (!user.roles().contains(io.dataops.governance.identity.Role.DEPARTMENT)) {
        throw new BadInputException("--quality-as: " + qualityAs + " is neither the authority nor a department, so "
            + "cannot check source tables");
      }
      for (String t : tables) {
        String department = lh.load(io.dataops.lakehouse.catalog.TableNames.parse(t)).properties()
            .get(io.dataops.lakehouse.landing.FeedTables.PROP_DEPARTMENT);
        if (!user.organization().equals(department)) {
          throw new BadInputException("--quality-as: " + qualityAs + " acts for " + user.organization() + ", not for "
              + t + "'s department " + department + ": name the authority or that department");
        }
      }
    }
  }

  @Command(name = "trigger", mixinStandardHelpOptions = true, description = "Trigger a run of a DAG in Airflow.")
  static final class Trigger implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    @Parameters(index = "0", paramLabel = "DAG_ID") String dagId;
    @Option(names = "--run-id", paramLabel = "ID", description = "The run's id (default: Airflow makes one).")
    String runId;
    @Option(names = "--conf", paramLabel = "JSON", description = "The run's configuration, a JSON object.")
    String conf;

    Trigger(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      AirflowClient client = client(cli, common);
      Map<String, Object> c = conf(conf);
      cli.know("dagId", dagId);
      ownDag(cli, dagId, "trigger", false);
      DagRun run = airflow(() -> client.trigger(dagId, runId, c));
      cli.audit().record(AuditEvent.ok("airflow.trigger", List.of("dag:" + dagId, "dagrun:" + dagId + "/" + run.runId()),
          Map.of("state", run.state().label(), "confKeys", List.copyOf(c.keySet()))));
      cli.print(common, runJson(run, null), "triggered " + dagId + " run " + run.runId() + ": "
          + run.state().label() + "\n");
      return 0;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "A run's state and its tasks' states.")
  static final class Status implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    @Parameters(index = "0", paramLabel = "DAG_ID") String dagId;
    @Parameters(index = "1", paramLabel = "RUN_ID") String runId;

    Status(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      AirflowClient client = client(cli, common);
      cli.know("dagId", dagId);
      cli.know("runId", runId);
      // The authority and the auditor oversee every organization's DAGs, but only those dataops wrote.
      var acting = cli.session().acting();
      ownDag(cli, dagId, "status", acting == io.dataops.governance.identity.Role.AUTHORITY
          || acting == io.dataops.governance.identity.Role.AUDITOR);
      DagRun run = airflow(() -> client.run(dagId, runId));
      List<TaskInstance> tasks = airflow(() -> client.taskInstances(dagId, runId));
      cli.audit().record(AuditEvent.ok("airflow.status", List.of("dagrun:" + dagId + "/" + runId),
          Map.of("state", run.state().label())));
      StringBuilder text = new StringBuilder(dagId + " run " + run.runId() + ": " + run.state().label() + "\n");
      tasks.forEach(t -> text.append(String.format("  %-40s %-16s try %d%n", t.taskId()
          + (t.mapIndex() >= 0 ? "[" + t.mapIndex() + "]" : ""), t.state() == null ? "(none)" : t.state(),
          t.tryNumber())));
      cli.print(common, runJson(run, tasks), text.toString());
      return 0;
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a DAG: Airflow starts no new runs.")
  static final class Pause implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    @Parameters(index = "0", paramLabel = "DAG_ID") String dagId;

    Pause(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      return setPaused(cli, common, dagId, true);
    }
  }

  @Command(name = "unpause", mixinStandardHelpOptions = true, description = "Unpause a DAG.")
  static final class Unpause implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    @Parameters(index = "0", paramLabel = "DAG_ID") String dagId;

    Unpause(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      return setPaused(cli, common, dagId, false);
    }
  }

  /**
   * Only a DAG this platform wrote ({@code airflow dag}, audited with its id) for a pipeline of the caller's own
   * organization is triggered, paused, unpaused or read through it: a probe's operator of another organization ran and
   * paused another operator's DAG, and any DAG of the Airflow instance, with its role alone, and read any run (and its
   * conf) through the platform's Airflow account. {@code anyOrganization}: the authority's and the auditor's
   * oversight, still of DAGs this platform wrote only. Refused and audited.
   */
  private static void ownDag(Cli cli, String dagId, String what, boolean anyOrganization) {
    var written = new io.dataops.governance.audit.AuditTrail(io.dataops.platform.session.Sessions.database(
        cli.configToRead(cli.common))).list(io.dataops.governance.audit.AuditFilter.newest().action("airflow.dag")
        .object("dag:" + dagId).outcome("ok").limit(1));
    var actor = cli.session().actor();
    String problem = written.isEmpty() ? "DAG " + dagId + " was not written by 'dataops airflow dag' on this "
        + "platform: only such DAGs are run, paused, unpaused or read through it"
        : !anyOrganization && !written.get(0).organization().equals(actor.organization()) ? "DAG " + dagId
            + " runs a pipeline of " + written.get(0).organization() + "; " + actor.user() + " acts for "
            + actor.organization() : null;
    if (problem != null) {
      io.dataops.core.AccessDeniedException e = new io.dataops.core.AccessDeniedException(what + ": " + problem,
          List.of("operator"));
      cli.session().refuse(e, List.of("dag:" + dagId));
      throw e;
    }
  }

  private static int setPaused(Cli cli, CommonOptions common, String dagId, boolean paused) {
    AirflowClient client = client(cli, common);
    cli.know("dagId", dagId);
    ownDag(cli, dagId, paused ? "pause" : "unpause", false);
    Dag d = airflow(() -> paused ? client.pause(dagId) : client.unpause(dagId));
    cli.audit().record(AuditEvent.ok(paused ? "airflow.pause" : "airflow.unpause", List.of("dag:" + dagId),
        Map.of("paused", d.paused())));
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("dagId", d.dagId());
    json.put("paused", d.paused());
    cli.print(common, json, d.dagId() + ": " + (d.paused() ? "paused" : "unpaused") + "\n");
    return 0;
  }

  /** The client of the configured Airflow; none configured is bad input saying what to set. */
  private static AirflowClient client(Cli cli, CommonOptions common) {
    PlatformConfig config = cli.configToRead(common);
    if (config.airflow() == null) {
      throw new BadInputException("no Airflow is configured: set airflow.url (DATAOPS_AIRFLOW_URL), airflow.api "
          + "(v1 or v2), airflow.username and DATAOPS_AIRFLOW_PASSWORD or airflow.password-file");
    }
    cli.know("airflow", config.airflow().url().toString());
    return new AirflowClient(config.airflow());
  }

  /** Airflow's refusals the user can act on exit 2 with the settings to check; a server fault stays internal (1). */
  private static <T> T airflow(Supplier<T> call) {
    try {
      return call.get();
    } catch (AirflowException e) {
      if (!e.userCanFix()) {
        throw e;
      }
      String hint = switch (e.kind()) {
        case UNAUTHENTICATED -> " (settings: airflow.username, DATAOPS_AIRFLOW_PASSWORD or airflow.password-file)";
        case UNREACHABLE -> " (setting: airflow.url)";
        default -> "";
      };
      throw new BadInputException(e.getMessage() + hint, e);
    }
  }

  private static Map<String, Object> conf(String text) {
    if (text == null) {
      return Map.of();
    }
    try {
      var node = Cli.JSON.readTree(text);
      if (node == null || !node.isObject()) {
        throw new BadInputException("--conf must be a JSON object, e.g. '{\"engine\": \"flink\"}'");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> m = Cli.JSON.convertValue(node, Map.class);
      return m;
    } catch (JsonProcessingException e) {
      // A parser limit (nesting, a number's or a text's length) has no location; its message names the limit.
      var at = e.getLocation();
      throw new BadInputException("--conf is not valid JSON " + (at == null ? "(" + e.getOriginalMessage() + ")"
          : "(at line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    }
  }

  private static Map<String, Object> runJson(DagRun run, List<TaskInstance> tasks) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dagId", run.dagId());
    m.put("runId", run.runId());
    m.put("state", run.state().label());
    m.put("logicalDate", run.logicalDate());
    m.put("startDate", run.startDate());
    m.put("endDate", run.endDate());
    m.put("conf", run.conf());
    if (tasks != null) {
      List<Map<String, Object>> ts = new ArrayList<>();
      for (TaskInstance t : tasks) {
        Map<String, Object> tm = new LinkedHashMap<>();
        tm.put("taskId", t.taskId());
        tm.put("mapIndex", t.mapIndex());
        tm.put("state", t.state());
        tm.put("tryNumber", t.tryNumber());
        tm.put("startDate", t.startDate());
        tm.put("endDate", t.endDate());
        ts.add(tm);
      }
      m.put("tasks", ts);
    }
    return m;
  }

  /**
   * The pipeline file's {@code schedule.timeout} (checked at its line by validate), or null: the run task then keeps
   * the Airflow deployment's default (see {@link DagFile}).
   */
  static java.time.Duration runTimeout(BoundPipeline p) {
    var s = p.definition().schedule();
    return s == null || s.timeout() == null ? null
        : io.dataops.platform.schedule.ScheduleServices.timeout(s.timeout(), "schedule.timeout");
  }

  /**
   * The pipeline file's cron as the DAG's schedule, or null (the DAG is then triggered by hand or through the API;
   * a feed trigger, {@code onFeed}, is the embedded scheduler's and has no Airflow counterpart here).
   */
  static String airflowSchedule(BoundPipeline p) {
    var s = p.definition().schedule();
    if (s == null || s.cron() == null) {
      return null;
    }
    try {
      return DagSpec.airflowSchedule(s.cron());
    } catch (io.dataops.core.BadInputException e) {
      throw new io.dataops.pipelines.definition.PipelineException(p.definition().source(), s.cronLine(),
          "schedule.cron for Airflow: " + e.getMessage());
    }
  }
}
