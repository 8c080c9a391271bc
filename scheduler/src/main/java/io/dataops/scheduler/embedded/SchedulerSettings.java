package io.dataops.scheduler.embedded;

import io.dataops.core.BadInputException;
import java.time.Duration;

/**
 * @param maxConcurrent runs at once (the rest wait, queued)
 * @param tick how often due runs, feed arrivals and finished runs are looked at
 * @param lease how long a scheduler that stopped renewing its lease (it died) keeps it; then another takes over
 * @param backoff the wait before a failed run's second attempt, doubled for each further one
 */
public record SchedulerSettings(int maxConcurrent, Duration tick, Duration lease, Duration backoff) {
  public static final SchedulerSettings DEFAULT = new SchedulerSettings(2, Duration.ofSeconds(5),
      Duration.ofSeconds(60), Duration.ofSeconds(30));

  /** Runs at once, at most: each is a JVM with its own heap (1 GB by default), so 64 is already a large machine. */
  public static final int MAX_CONCURRENT = 64;

  public SchedulerSettings {
    if (maxConcurrent < 1 || maxConcurrent > MAX_CONCURRENT) {
      throw new BadInputException("--max-concurrent is 1 to " + MAX_CONCURRENT + " runs at a time (each a process of its"
          + " own, with its own heap), not " + maxConcurrent);
    }
    if (lease.compareTo(tick.multipliedBy(2)) < 0) {
      throw new BadInputException("the lease (" + lease.toSeconds() + "s) must be at least two ticks");
    }
  }
}
