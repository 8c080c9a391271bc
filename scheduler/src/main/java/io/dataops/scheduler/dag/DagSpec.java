package io.dataops.scheduler.dag;

import io.dataops.core.BadInputException;
import io.dataops.scheduler.embedded.Schedule;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a generated DAG runs, for one validated pipeline: check the quality of its inputs, run it, submit the version
 * it made. Airflow orchestrates; every step is the {@code dataops} command line acting as {@code user} on
 * {@code home}.
 *
 * @param pipeline the pipeline's name (the DAG is {@code dataops-<pipeline>})
 * @param pipelineFile the pipeline file as the Airflow workers see it
 * @param launcher the {@code dataops} launcher as the workers find it (a path, or a name on their PATH)
 * @param qualityTables the inputs whose registered quality suite is checked before the run
 * @param qualityUser who checks them (operators may not read source tables: a department or the authority), or null
 *     when no table is checked
 * @param description shown by Airflow (not a template)
 * @param schedule the DAG's schedule in Airflow's terms ({@link #airflowSchedule}), or null: triggered by hand or API
 * @param runTimeout the pipeline file's {@code schedule.timeout}: how long one attempt of the run may take, or null
 *     when the file says none (the run task then has Airflow's default, which the DAG does not override)
 * @param runAttempts the pipeline file's {@code schedule.maxAttempts}, or null when the file says none (likewise)
 */
public record DagSpec(String pipeline, String product, String pipelineFile, String home, String user, String engine,
    String launcher, List<String> qualityTables, String qualityUser, String description, String schedule,
    Duration runTimeout, Integer runAttempts) {
  /** Without the file's timeout and attempts: the run task has Airflow's defaults. */
  public DagSpec(String pipeline, String product, String pipelineFile, String home, String user, String engine,
      String launcher, List<String> qualityTables, String qualityUser, String description, String schedule) {
    this(pipeline, product, pipelineFile, home, user, engine, launcher, qualityTables, qualityUser, description,
        schedule, null, null);
  }

  /** Airflow's rule for DAG and task ids. */
  private static final Pattern AIRFLOW_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,250}");
  /** What Airflow's Jinja templates would evaluate in a templated field (bash_command, env). */
  private static final List<String> JINJA = List.of("{{", "{%", "{#");

  public DagSpec {
    qualityTables = List.copyOf(qualityTables);
    if (runTimeout != null) {
      Schedule.checkTimeout(runTimeout);
    }
    if (runAttempts != null && runAttempts < 1) {
      throw new IllegalArgumentException("a run has at least one attempt, not " + runAttempts);
    }
    if (!qualityTables.isEmpty() && qualityUser == null) {
      throw new IllegalArgumentException("checking the inputs' quality needs the user who checks it");
    }
    for (var e : values(pipeline, product, pipelineFile, home, user, engine, launcher, qualityTables, qualityUser)
        .entrySet()) {
      if (e.getValue() == null || e.getValue().isEmpty()) {
        throw new IllegalArgumentException("the DAG needs " + e.getKey());
      }
      for (String marker : JINJA) {
        if (e.getValue().contains(marker)) {
          throw new BadInputException("the " + e.getKey() + " contains '" + marker + "', which Airflow would evaluate "
              + "as a template in the task's command: rename it");
        }
      }
      if (e.getValue().indexOf('\0') >= 0) {
        throw new BadInputException("the " + e.getKey() + " contains a NUL character, which no process argument can "
            + "carry");
      }
    }
    if (!AIRFLOW_KEY.matcher(dagIdOf(pipeline)).matches()) {
      throw new BadInputException("pipeline name '" + pipeline + "' does not make an Airflow DAG id (letters, digits, "
          + "'_', '.', '-')");
    }
  }

  /** Spring's presets and Airflow's (croniter's) names for them. */
  private static final Map<String, String> PRESETS = Map.of("@yearly", "@yearly", "@annually", "@yearly",
      "@monthly", "@monthly", "@weekly", "@weekly", "@daily", "@daily", "@midnight", "@daily", "@hourly", "@hourly");
  /** A field of a five-field cron as croniter reads it the way Spring does: numbers, names, *, ranges, lists, steps. */
  private static final Pattern PLAIN_FIELD = Pattern.compile("[0-9A-Za-z*,/-]+");
  private static final Pattern NAMES = Pattern.compile(
      "JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC|MON|TUE|WED|THU|FRI|SAT|SUN");

  /**
   * A pipeline file's cron (Spring's six fields, seconds first) as Airflow's five-field cron: the seconds must be 0
   * (Airflow schedules by the minute), {@code ?} reads as {@code *}, and Spring's extensions croniter does not share
   * (L, W, #) are refused with what to write instead.
   */
  public static String airflowSchedule(String springCron) {
    String cron = springCron.strip();
    if (cron.startsWith("@")) {
      String preset = PRESETS.get(cron.toLowerCase(java.util.Locale.ROOT));
      if (preset == null) {
        throw new BadInputException("cron '" + springCron + "' is no preset Airflow knows (" + String.join(", ",
            new java.util.TreeSet<>(PRESETS.keySet())) + ")");
      }
      return preset;
    }
    String[] f = cron.split("\\s+");
    if (f.length != 6) {
      throw new BadInputException("cron '" + springCron + "' has " + f.length + " fields; six are expected (second "
          + "minute hour day-of-month month day-of-week)");
    }
    if (!f[0].equals("0")) {
      throw new BadInputException("cron '" + springCron + "' runs at second '" + f[0] + "'; Airflow schedules by the "
          + "minute: make the first field 0");
    }
    StringBuilder out = new StringBuilder();
    for (int i = 1; i < 6; i++) {
      String field = f[i].equals("?") ? "*" : f[i];
      // Letters left once month and weekday names are taken out are Spring's L and W (and # is not a plain field).
      boolean extension = NAMES.matcher(field.toUpperCase(java.util.Locale.ROOT)).replaceAll("").matches(".*[A-Z].*");
      if (!PLAIN_FIELD.matcher(field).matches() || extension) {
        throw new BadInputException("cron '" + springCron + "': '" + f[i] + "' uses Spring's own syntax, which Airflow "
            + "does not read; write numbers, names, *, ranges, lists and steps only");
      }
      out.append(i == 1 ? "" : " ").append(field);
    }
    return out.toString();
  }

  public String dagId() {
    return dagIdOf(pipeline);
  }

  public static String dagIdOf(String pipeline) {
    return "dataops-" + pipeline;
  }

  /** The task that checks a table's quality: {@code quality__ods__citizens}. */
  public static String qualityTask(String table) {
    return "quality__" + table.replace(".", "__");
  }

  /** The values the tasks pass to the command line, by what they are (for messages). */
  private static Map<String, String> values(String pipeline, String product, String pipelineFile, String home,
      String user, String engine, String launcher, List<String> tables, String qualityUser) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("pipeline name", pipeline);
    m.put("product name", product);
    m.put("pipeline file path", pipelineFile);
    m.put("home path", home);
    m.put("user name", user);
    m.put("engine", engine);
    m.put("launcher path", launcher);
    for (String t : tables) {
      m.put("table name " + t, t);
    }
    if (qualityUser != null) {
      m.put("quality user name", qualityUser);
    }
    return m;
  }
}
