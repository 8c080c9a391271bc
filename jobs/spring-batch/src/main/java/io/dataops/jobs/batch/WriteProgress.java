package io.dataops.jobs.batch;

/** Counters the write step's reader, processor and writer share (the step runs in one thread). */
final class WriteProgress {
  long read;
  long suppressed;
  /** Whether the rows read so far are all the transform gives (the last chunk has been read). */
  boolean ended;
}
