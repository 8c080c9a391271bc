package io.dataops.scheduler.embedded;

/** Executes one attempt of a run (the platform runs the schedule's command as its identity, audited as any). */
@FunctionalInterface
public interface RunLauncher {
  /** The exit status (0 success, 2 bad input: not retried, 1 internal failure: retried) and its one-line reason. */
  record Outcome(int exitStatus, String error) {}

  Outcome launch(Schedule schedule, ScheduledRun run);
}
