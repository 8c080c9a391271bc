package io.dataops.scheduler.embedded;

/**
 * One run of a schedule: claimed once per trigger ({@code cron:<due epoch ms>}, {@code feed:<digest>},
 * {@code manual:<id>}), then queued, running, retrying, and finally succeeded or failed.
 */
public record ScheduledRun(long id, String scheduleId, String triggerKey, String trigger, long dueAt, String state,
    int attempts, long nextAttemptAt, String owner, Long startedAt, Long finishedAt, Integer exitStatus,
    String error) {

  public static final String QUEUED = "queued";
  public static final String RUNNING = "running";
  public static final String RETRYING = "retrying";
  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";
}
