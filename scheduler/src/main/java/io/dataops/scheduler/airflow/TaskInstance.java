package io.dataops.scheduler.airflow;

/**
 * One task of a run.
 *
 * @param state Airflow's task state ({@code success}, {@code running}, {@code up_for_retry}, ...), or null when the
 *     task has none yet
 * @param mapIndex -1 for a task that is not mapped
 */
public record TaskInstance(String taskId, int mapIndex, String state, int tryNumber, String startDate,
    String endDate) {}
