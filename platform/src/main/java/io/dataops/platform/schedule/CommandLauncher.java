package io.dataops.platform.schedule;

import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.platform.Main;
import io.dataops.scheduler.embedded.RunLauncher;
import io.dataops.scheduler.embedded.Schedule;
import io.dataops.scheduler.embedded.ScheduledRun;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a schedule's command in this process exactly as {@code dataops} would run it from a shell, acting as the
 * schedule's identity ({@code --as}, with that user's token from the home's credentials file): the same role checks,
 * the same audit events, the same exit status. Its output is dropped; the first line of its error is the run's reason.
 */
final class CommandLauncher implements RunLauncher {
  private final Path home;
  private final Map<String, String> env;
  private final AuditSink audit;

  CommandLauncher(Path home, Map<String, String> env, AuditSink audit) {
    this.home = home;
    this.audit = audit;
    Map<String, String> e = new HashMap<>(env);
    e.remove("DATAOPS_TOKEN"); // the scheduler's own token must not stand in for the schedule's identity
    this.env = Map.copyOf(e);
  }

  @Override
  public Outcome launch(Schedule schedule, ScheduledRun run) {
    List<String> args = new ArrayList<>(schedule.command());
    args.addAll(List.of("--home", home.toString(), "--as", schedule.runAs()));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    try (PrintStream out = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        PrintStream errs = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      status = Main.run(args.toArray(String[]::new), out, errs, env);
    }
    String line = err.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).findFirst().orElse(null);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("runAs", schedule.runAs());
    details.put("trigger", run.trigger());
    details.put("dueAt", java.time.Instant.ofEpochMilli(run.dueAt()).toString());
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
}
