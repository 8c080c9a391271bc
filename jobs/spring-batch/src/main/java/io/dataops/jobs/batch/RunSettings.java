package io.dataops.jobs.batch;

/**
 * How a run uses the machine: DuckDB's memory limit and threads for the transform, the memory the privacy check may
 * hold before it spills, the rows per chunk (one job-repository commit each) and per product data file.
 */
public record RunSettings(String duckMemoryLimit, int duckThreads, long privacyMemory, int chunkSize, long rowsPerFile) {
  public static RunSettings defaults() {
    return new RunSettings("512MB", Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())), 64L << 20,
        10_000, 1_000_000);
  }
}
