package io.dataops.scheduler.embedded;

/** The current snapshots of a schedule's input tables, as one string that changes when any of them does. */
@FunctionalInterface
public interface FeedWatch {
  FeedWatch NONE = schedule -> null;

  /** Null when it cannot be told now (a table not there yet). */
  String fingerprint(Schedule schedule);
}
