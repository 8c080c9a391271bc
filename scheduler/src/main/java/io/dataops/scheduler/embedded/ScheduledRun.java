package io.dataops.scheduler.embedded;

/**
 * One run of a schedule: claimed once per trigger ({@code cron:<due epoch ms>}, {@code feed:<digest>},
 * {@code manual:<id>}), then queued, running, retrying, and finally succeeded or failed.
 *
 * @param dueAt when it was due: for a cron run the last occurrence it stands for
 * @param occurrences the cron occurrences it stands for (missed ones coalesce into one run; counted up to
 *     {@link EmbeddedScheduler#COUNTED}); 1 for a feed or manual run
 * @param firstDue the first of those occurrences ({@code dueAt} when it stands for one)
 */
public record ScheduledRun(long id, String scheduleId, String triggerKey, String trigger, long dueAt, String state,
    int attempts, long nextAttemptAt, String owner, Long startedAt, Long finishedAt, Integer exitStatus,
    String error, int occurrences, long firstDue) {

  public static final String QUEUED = "queued";
  public static final String RUNNING = "running";
  public static final String RETRYING = "retrying";
  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";
}
