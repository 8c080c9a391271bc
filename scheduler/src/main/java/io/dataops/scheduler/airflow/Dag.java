package io.dataops.scheduler.airflow;

/** A DAG as far as pausing concerns it. */
public record Dag(String dagId, boolean paused) {}
