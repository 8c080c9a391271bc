package io.dataops.platform.schedule;

import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.scheduler.embedded.RunLauncher;
import io.dataops.scheduler.embedded.Schedule;
import io.dataops.scheduler.embedded.ScheduledRun;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a schedule's command as {@code dataops} would run it from a shell, acting as the schedule's identity ({@code
 * --as}, with that user's token from the home's credentials file): the same role checks, the same audit events, the
 * same exit status. Each attempt is its own JVM ({@link ChildRunMain}, the scheduler's JVM flags and class path),
 * which dies with the scheduler. Its output is dropped; its one-line error is the run's reason. Stopped at its
 * schedule's timeout, the attempt's process (and any it started) gets SIGTERM, then SIGKILL after {@link #GRACE}.
 */
final class CommandLauncher implements RunLauncher {
  /** How long a run stopped at its timeout has to end (its JVM's shutdown hooks) before it is killed. */
  static final java.time.Duration GRACE = java.time.Duration.ofSeconds(10);

  private final Path home;
  private final Map<String, String> env;
  private final AuditSink audit;
  private final io.dataops.scheduler.embedded.ScheduleStore store;
  private final io.dataops.governance.identity.Identities identities;

  CommandLauncher(Path home, Map<String, String> env, AuditSink audit,
      io.dataops.scheduler.embedded.ScheduleStore store, io.dataops.governance.identity.Identities identities) {
    this.home = home;
    this.audit = audit;
    this.store = store;
    this.identities = identities;
    Map<String, String> e = new java.util.HashMap<>(env);
    e.remove("DATAOPS_TOKEN"); // the scheduler's own token must not stand in for the schedule's identity
    this.env = Map.copyOf(e);
  }

  @Override
  public Outcome launch(Schedule schedule, ScheduledRun run, Attempt attempt) {
    String refused = notActing(schedule.runAs());
    if (refused != null) {
      return paused(schedule, run, refused);
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The flags the scheduler was started with (heap, encodings), except its class-data archive, which
    // was recorded for the launcher's class path.
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> !a.startsWith("-XX:SharedArchiveFile") && !a.startsWith("-agentlib")
            && !a.startsWith("-javaagent"))
        .forEach(cmd::add);
    // The packages this process has open (the jar's manifest opens them for `java -jar`, which a child started with
    // -cp does not read): Arrow and DuckDB need them.
    Module javaBase = Object.class.getModule();
    javaBase.getPackages().stream().sorted().filter(p -> javaBase.isOpen(p, CommandLauncher.class.getModule()))
        .forEach(p -> cmd.add("--add-opens=java.base/" + p + "=ALL-UNNAMED"));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ChildRunMain.class.getName()));
    cmd.addAll(schedule.command());
    cmd.addAll(List.of("--home", home.toString(), "--as", schedule.runAs()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().clear();
    pb.environment().putAll(env);
    int status;
    String line = null;
    try {
      Process p = pb.start();
      attempt.onStop(() -> stop(p));
      try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(),
          StandardCharsets.UTF_8))) {
        String l;
        String first = null;
        while ((l = err.readLine()) != null) {
          if (line == null && l.startsWith("dataops: ")) {
            line = l;
          } else if (first == null && !l.isBlank()) {
            first = l;
          }
        }
        line = line != null ? line : first;
      }
      status = p.waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a run of " + schedule.id(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while a run of " + schedule.id() + " ran", e);
    }
    if (status != 0 && attempt.stopped() != null) {
      line = attempt.stopped();
      status = TIMED_OUT;
    } else if (status > 2) {
      line = "the run's process ended with status " + status + (line == null ? "" : ": " + line);
      status = 1;
    }
    return recorded(schedule, run, status, line);
  }

  /** Why the schedule's user can no longer act (disabled, or removed), or null. */
  private String notActing(String user) {
    var u = identities.user(user);
    return u.isEmpty() ? "user " + user + " no longer exists" : u.get().disabled() ? "user " + user + " is disabled"
        : null;
  }

  /**
   * A run of a schedule whose user can no longer act: failed without starting its process (which would be refused),
   * and the schedule paused, audited with the reason. Found by a probe: such a cron schedule kept firing, each
   * occurrence a JVM refused and one more failed event. The user enabled again, its owner, the authority or the admin
   * resumes it.
   */
  private Outcome paused(Schedule schedule, ScheduledRun run, String why) {
    store.pause(schedule.id(), true, System.currentTimeMillis(), audit, changed -> {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("changed", changed);
      details.put("reason", why);
      return AuditEvent.ok("schedule.pause", List.of("schedule:" + schedule.id()), details);
    });
    return recorded(schedule, run, 2, why + ": schedule paused (dataops schedule resume " + schedule.id()
        + " once it may act again)");
  }

  /** The attempt's {@code schedule.run} event, and its outcome. */
  private Outcome recorded(Schedule schedule, ScheduledRun run, int status, String line) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("runAs", schedule.runAs());
    details.put("trigger", run.trigger());
    details.put("dueAt", java.time.Instant.ofEpochMilli(run.dueAt()).toString());
    details.put("occurrences", run.occurrences()); // missed cron occurrences coalesce into one run
    if (run.occurrences() > 1) {
      details.put("firstDue", java.time.Instant.ofEpochMilli(run.firstDue()).toString());
    }
    details.put("attempt", run.attempts() + 1);
    details.put("exitStatus", status);
    if (line != null && status != 0) {
      details.put("error", line);
    }
    // One event per finished attempt, beside the events the command itself recorded as the schedule's identity.
    audit.record(new AuditEvent("schedule.run", List.of("schedule:" + schedule.id(), "run:" + run.id()),
        status == 0 ? AuditEvent.OK : AuditEvent.FAILED, details));
    return new Outcome(status, status == 0 ? null : line);
  }

  /**
   * SIGTERM to the attempt's process and those it started, SIGKILL to what is left after the grace; returns at once
   * (the attempt's thread sees its stderr end and the process exit).
   */
  private static void stop(Process p) {
    List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
    tree.forEach(ProcessHandle::destroy);
    p.destroy();
    p.onExit().completeOnTimeout(p, GRACE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).thenRun(() -> {
      tree.forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    });
  }
}
