package io.dataops.platform.serve;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Bounds token guessing per client address: after {@link #REFUSALS} refused tokens within {@link #WINDOW_SECONDS},
 * the address's further requests with a token are answered 429 without checking it, until its oldest refusal in the
 * window is older than the window. Tokens are 32 random bytes, so guessing one is hopeless; what this bounds is the
 * audit trail and the log, which every refused token grows by one event (found by a probe: nothing bounded it but
 * the 16 requests in flight per address). A client behind the same address as a guesser waits out the window too:
 * the price of not telling them apart before a token is checked.
 */
public final class LoginThrottle {
  public static final int REFUSALS = 10;
  static final long WINDOW_SECONDS = 60;
  /** Addresses kept before the expired ones are swept (each holds at most {@link #REFUSALS} times). */
  private static final int MAX_ADDRESSES = 10_000;

  private final LongSupplier nanoClock;
  private final Map<InetAddress, Deque<Long>> refusals = new HashMap<>();

  LoginThrottle() {
    this(System::nanoTime);
  }

  /** @param nanoClock a monotonic clock in nanoseconds ({@link System#nanoTime} but in tests) */
  LoginThrottle(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** Seconds {@code client} must wait before a token of theirs is checked again; 0 when it may be now. */
  synchronized long waitSeconds(InetAddress client) {
    Deque<Long> times = recent(client);
    if (times == null || times.size() < REFUSALS) {
      return 0;
    }
    long until = times.peekFirst() + TimeUnit.SECONDS.toNanos(WINDOW_SECONDS);
    return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(until - nanoClock.getAsLong() + 999_999_999L));
  }

  /** Notes a refused token from {@code client}. */
  synchronized void refused(InetAddress client) {
    if (refusals.size() >= MAX_ADDRESSES) {
      // many addresses (an IPv6 range): forget those whose refusals have all left the window
      for (InetAddress a : java.util.List.copyOf(refusals.keySet())) {
        recent(a);
      }
    }
    Deque<Long> times = recent(client);
    if (times == null) {
      times = new ArrayDeque<>();
      refusals.put(client, times);
    }
    times.addLast(nanoClock.getAsLong());
    while (times.size() > REFUSALS) {
      times.removeFirst();
    }
  }

  /** Addresses with refusals kept (for tests). */
  synchronized int addresses() {
    return refusals.size();
  }

  /** The address's refusals within the window (older ones forgotten), or null when there are none. */
  private Deque<Long> recent(InetAddress client) {
    Deque<Long> times = refusals.get(client);
    if (times == null) {
      return null;
    }
    long oldest = nanoClock.getAsLong() - TimeUnit.SECONDS.toNanos(WINDOW_SECONDS);
    while (!times.isEmpty() && times.peekFirst() - oldest <= 0) {
      times.removeFirst();
    }
    if (times.isEmpty()) {
      refusals.remove(client);
      return null;
    }
    return times;
  }
}
