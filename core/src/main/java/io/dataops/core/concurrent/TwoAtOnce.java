package io.dataops.core.concurrent;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Two pieces of work at once: one on the calling thread, the other on a daemon thread of its own that has ended when
 * {@link #run} returns or throws (nothing is left reading or holding a file behind a failed step). For work that is
 * worth a second core only now and then (an input of several files, a version of several files), where a pool would
 * outlive the call.
 */
public final class TwoAtOnce {
  private TwoAtOnce() {}

  /** Work that may throw {@code E} (and unchecked exceptions). */
  @FunctionalInterface
  public interface Work<T, E extends Exception> {
    T call() throws E;
  }

  /**
   * Runs {@code there} on a thread named {@code threadName} and {@code here} on this one, and gives both results
   * ({@code here}'s first; null results kept). A failure of either is thrown as it was, once both have ended; when
   * both fail, {@code here}'s is thrown with {@code there}'s suppressed in it.
   */
  @SuppressWarnings("unchecked") // there throws E or an unchecked exception: its cause is rethrown as what it is
  public static <T, E extends Exception> List<T> run(String threadName, Work<T, E> here, Work<T, E> there)
      throws E {
    FutureTask<T> other = new FutureTask<>(there::call);
    Thread thread = new Thread(other, threadName);
    thread.setDaemon(true);
    thread.start();
    T mine;
    try {
      mine = here.call();
    } catch (Exception | Error e) {
      join(thread);
      try {
        done(other);
      } catch (ExecutionException theirs) {
        e.addSuppressed(theirs.getCause());
      }
      throw e;
    }
    join(thread);
    try {
      return java.util.Arrays.asList(mine, done(other)); // either may be null
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw (E) cause;
    }
  }

  /** The result of work that has ended (its thread joined): no wait, so no interrupt. */
  private static <T> T done(FutureTask<T> work) throws ExecutionException {
    try {
      return work.get();
    } catch (InterruptedException e) {
      throw new IllegalStateException("the work had ended", e);
    }
  }

  /** Waits for the thread to end; an interrupt is kept for the caller and the wait goes on (the thread is short). */
  private static void join(Thread thread) {
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
