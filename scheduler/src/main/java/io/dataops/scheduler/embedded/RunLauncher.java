package io.dataops.scheduler.embedded;

import java.util.ArrayList;
import java.util.List;

/** Executes one attempt of a run (the platform runs the schedule's command as its identity, audited as any). */
@FunctionalInterface
public interface RunLauncher {
  /** The exit status of an attempt stopped at its schedule's timeout (as GNU timeout's): failed, not retried. */
  int TIMED_OUT = 124;

  /** The exit status (0 success, 2 bad input: not retried, 1 internal failure: retried) and its one-line reason. */
  record Outcome(int exitStatus, String error) {}

  /**
   * Runs the attempt and returns how it ended. When the scheduler stops it ({@code attempt} outlived its schedule's
   * timeout), it ends what the launcher registered with {@link Attempt#onStop}, or else interrupts the thread running
   * it; the launcher then returns (any outcome but success is recorded as timed out).
   */
  Outcome launch(Schedule schedule, ScheduledRun run, Attempt attempt);

  /** An attempt under way, which the scheduler may stop; its launcher says how with {@link #onStop}. */
  final class Attempt {
    private final Thread thread;
    private final List<Runnable> stoppers = new ArrayList<>();
    private String stopped;
    private boolean ended;

    Attempt(Thread thread) {
      this.thread = thread;
    }

    /**
     * How to stop what this attempt started (a child process: destroy it); run at once when it was stopped already.
     * Without one, stopping interrupts the attempt's thread.
     */
    public void onStop(Runnable stopper) {
      synchronized (this) {
        if (stopped == null) {
          stoppers.add(stopper);
          return;
        }
      }
      stopper.run();
    }

    /** Why the scheduler stopped it ("timed out after 2h"), or null. */
    public synchronized String stopped() {
      return stopped;
    }

    /** Stops it once; false when it had ended or was stopped already. */
    boolean stop(String reason) {
      List<Runnable> run;
      synchronized (this) {
        if (ended || stopped != null) {
          return false;
        }
        stopped = reason;
        run = List.copyOf(stoppers);
        if (run.isEmpty()) {
          thread.interrupt(); // under the lock: never once the thread has gone on to another attempt
        }
      }
      run.forEach(Runnable::run);
      return true;
    }

    /** The launcher returned: a later stop interrupts nothing. */
    synchronized void end() {
      ended = true;
    }
  }
}
