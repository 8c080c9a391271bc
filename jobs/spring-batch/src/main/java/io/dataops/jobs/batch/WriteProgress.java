package io.dataops.jobs.batch;

/** Counters the write step's reader, processor and writer share (the step runs in one thread). */
final class WriteProgress {
  long read;
  long suppressed;
  /** Whether the rows read so far are all the transform gives (the last chunk has been read). */
  boolean ended;
  /**
   * The suppressed rows of the chunk being processed, desensitized, for the writer to keep as held rows (a full run
   * that keeps them: {@link RunState#keepsSuppressed}); the writer takes them with the chunk's rows.
   */
  final java.util.List<Object[]> held = new java.util.ArrayList<>();
}
