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
   * is outside the heap but inside the process, and its buffer pool fills to the limit with the Parquet pages it reads
   * even for a plain scan; what it needs beyond (a sort of a join's result) spills to the run's folder instead.
   */
  static String duckMemoryFor(long maxHeap) {
    long mb = Math.max(128, Math.min(512, (maxHeap >> 20) / 4));
    return mb + "MB";
  }
}
