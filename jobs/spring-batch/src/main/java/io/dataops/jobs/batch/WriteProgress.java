package io.dataops.jobs.batch;

/** Counters the write step's reader, processor and writer share (the step runs in one thread). */
final class WriteProgress {
  long read;
  long suppressed;
}
