package io.dataops.jobs.flink;

import java.io.Serializable;

/** A data file a job wrote but did not commit: its location (as the table's FileIO names it), rows and size. */
public record WrittenFile(String location, long records, long bytes) implements Serializable {}
