package io.dataops.scheduler.embedded;

import io.dataops.core.BadInputException;
import java.time.Duration;
import java.util.List;

/**
 * What runs when: a pipeline or a department's quality suite, by cron and/or when a new snapshot of one of its input
 * tables arrives, as a configured identity.
 *
 * @param id {@code pipeline:<name>} or {@code quality:<table>}
 * @param command the {@code dataops} arguments a run executes (without --home, --as and --json)
 * @param cron a cron expression with seconds ({@code 0 0 2 * * *}: 02:00 every day), or null
 * @param onFeed whether a new snapshot of an input table starts a run
 * @param inputs the tables whose new snapshots start it
 * @param runAs the user every run acts as (and is audited as)
 * @param maxAttempts attempts of a run that fails for an internal reason (exit 1) before it is failed
 * @param lastDue the newest cron occurrence already claimed (epoch ms), or null
 * @param lastFeed the input snapshots seen last, or null
 * @param timeout how long an attempt of a run may take: one still going then is stopped and its run failed (a hung
 *     run held its schedule, which runs one run at a time, for ever)
 */
public record Schedule(String id, String kind, String target, List<String> command, String cron, boolean onFeed,
    List<String> inputs, String runAs, int maxAttempts, boolean paused, long createdAt, String createdBy,
    Long lastDue, String lastFeed, Duration timeout) {
  /** The timeout of a schedule that sets none (Airflow's dagrun_timeout has none; a day stops what hangs). */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(24);
  /** Beyond this a timeout is a typo, not a bound (a run is not meant to take a month). */
  public static final Duration MAX_TIMEOUT = Duration.ofDays(30);

  public Schedule {
    command = List.copyOf(command);
    inputs = List.copyOf(inputs);
    checkTimeout(timeout);
  }

  /** With the default timeout. */
  public Schedule(String id, String kind, String target, List<String> command, String cron, boolean onFeed,
      List<String> inputs, String runAs, int maxAttempts, boolean paused, long createdAt, String createdBy,
      Long lastDue, String lastFeed) {
    this(id, kind, target, command, cron, onFeed, inputs, runAs, maxAttempts, paused, createdAt, createdBy, lastDue,
        lastFeed, DEFAULT_TIMEOUT);
  }

  /** The same schedule with {@code maxAttempts}. */
  public Schedule withMaxAttempts(int maxAttempts) {
    return new Schedule(id, kind, target, command, cron, onFeed, inputs, runAs, maxAttempts, paused, createdAt,
        createdBy, lastDue, lastFeed, timeout);
  }

  /** The same schedule with {@code timeout}. */
  public Schedule withTimeout(Duration timeout) {
    return new Schedule(id, kind, target, command, cron, onFeed, inputs, runAs, maxAttempts, paused, createdAt,
        createdBy, lastDue, lastFeed, timeout);
  }

  /** A timeout of whole seconds, from 1s to {@link #MAX_TIMEOUT}; else a bad-input error saying which bound. */
  public static Duration checkTimeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new BadInputException("a run's timeout must be positive");
    }
    if (timeout.getNano() != 0) {
      throw new BadInputException("a run's timeout is whole seconds");
    }
    if (timeout.compareTo(MAX_TIMEOUT) > 0) {
      throw new BadInputException("a run's timeout is at most " + text(MAX_TIMEOUT));
    }
    return timeout;
  }

  /** As written on the command line: 2h, 90m, 45s, 24h, 7d (the largest unit that divides it; a day is 24h). */
  public static String text(Duration d) {
    if (d.getNano() != 0 || d.isNegative() || d.isZero()) {
      return d.toString();
    }
    long s = d.getSeconds();
    return s % 86_400 == 0 && s > 86_400 ? s / 86_400 + "d" : s % 3600 == 0 ? s / 3600 + "h"
        : s % 60 == 0 ? s / 60 + "m" : s + "s";
  }
}
