package io.dataops.core.testing;

import io.dataops.core.db.DatabaseLock;
import java.util.Arrays;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** For tests of work that waits for a {@link DatabaseLock}: whether, and until, a thread waits for one. */
public final class LockWaits {
  private LockWaits() {}

  /** The thread sleeps between tries of a lock (it polls: it is in DatabaseLock, not in its work). */
  public static boolean waitsForALock(Thread t) {
    return t.getState() == Thread.State.TIMED_WAITING && Arrays.stream(t.getStackTrace())
        .anyMatch(f -> f.getClassName().equals(DatabaseLock.class.getName()));
  }

  /** Waits (up to three minutes) until {@code t} waits for a lock or {@code done} is done. */
  public static void untilWaiting(Thread t, Future<?> done) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (!waitsForALock(t) && !done.isDone() && System.nanoTime() < until) {
      Thread.sleep(20);
    }
  }
}
