package io.dataops.jobs.batch;

/**
 * How a run uses the machine: DuckDB's memory limit and threads for the transform, the memory the privacy check may
 * hold before it spills, the rows per chunk (one job-repository commit each) and per product data file.
 */
public record RunSettings(String duckMemoryLimit, int duckThreads, long privacyMemory, int chunkSize, long rowsPerFile) {
  public static RunSettings defaults() {
    return new RunSettings(duckMemoryFor(Runtime.getRuntime().maxMemory()),
        Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())), 64L << 20, 10_000, 1_000_000);
  }

  /**
   * DuckDB's memory limit beside a JVM of this maximum heap: a quarter of it, from 128 MB to 512 MB. DuckDB's memory
   * is outside the heap but inside the process, so the process's bound is the heap plus this. A streamed scan stays
   * far below it (a JVM streaming a 10-million-row scan peaked at 232-243 MB of RSS with limits of 128 MB, 512 MB and
   * none); what a sort or a join would hold beyond it spills to the run's folder instead.
   */
  static String duckMemoryFor(long maxHeap) {
    long mb = Math.max(128, Math.min(512, (maxHeap >> 20) / 4));
    return mb + "MB";
  }
}
