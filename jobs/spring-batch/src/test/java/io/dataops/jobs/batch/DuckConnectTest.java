package io.dataops.jobs.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DuckDB of a run's step keeps to its memory limit: a result larger than the limit streams instead of being
 * materialized, and a sort larger than the limit spills to the run's folder, giving the rows the unlimited database
 * gives, in the same order.
 */
class DuckConnectTest {
  @TempDir Path dir;

  /** 1.5 million rows of a number and its 32-character digest, sorted by the digest: about 70 MB to sort. */
  private static final String SORTED = "SELECT i, md5(i::VARCHAR) AS h FROM range(1500000) t(i) ORDER BY h";

  @Test
  void aSortLargerThanTheLimitSpillsToTheRunsFolderAndStreamsTheSameRows() throws Exception {
    Path spill = dir.resolve("duck-small");
    String small;
    long tempBytes;
    long memoryInUse;
    try (Connection duck = DuckTransform.connect(spill, "32MB", 1);
        Connection watcher = duck.unwrap(DuckDBConnection.class).duplicate();
        Statement s = duck.createStatement();
        ResultSet r = s.executeQuery(SORTED)) {
      MessageDigest rows = MessageDigest.getInstance("SHA-256");
      long n = 0;
      tempBytes = -1;
      memoryInUse = -1;
      while (r.next()) {
        rows.update((r.getLong(1) + " " + r.getString(2) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (++n == 1000) {
          // Half-way through the stream, from another connection to the same database: what the sort wrote to
          // disk, and what DuckDB holds in memory.
          try (Statement w = watcher.createStatement();
              ResultSet t = w.executeQuery("SELECT coalesce(sum(size), 0), min(path) FROM duckdb_temporary_files()")) {
            t.next();
            tempBytes = t.getLong(1);
            assertThat(Path.of(t.getString(2)).toAbsolutePath()).startsWith(spill.toAbsolutePath());
          }
          try (Statement w = watcher.createStatement();
              ResultSet m = w.executeQuery("SELECT sum(memory_usage_bytes) FROM duckdb_memory()")) {
            m.next();
            memoryInUse = m.getLong(1);
          }
        }
      }
      assertThat(n).isEqualTo(1_500_000);
      small = HexFormat.of().formatHex(rows.digest());
    }
    assertThat(tempBytes).as("the sort spilled to the run's folder").isGreaterThan(32L << 20);
    assertThat(memoryInUse).as("DuckDB kept to its limit while the result streamed").isLessThanOrEqualTo(32L << 20);

    try (Connection duck = DuckTransform.connect(dir.resolve("duck-large"), "2GB", 1);
        Statement s = duck.createStatement();
        ResultSet r = s.executeQuery(SORTED)) {
      MessageDigest rows = MessageDigest.getInstance("SHA-256");
      while (r.next()) {
        rows.update((r.getLong(1) + " " + r.getString(2) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      assertThat(HexFormat.of().formatHex(rows.digest())).as("the same rows in the same order in memory").isEqualTo(small);
    }
  }

  @Test
  void theDefaultLimitIsAQuarterOfTheHeapFrom128To512MB() {
    assertThat(RunSettings.duckMemoryFor(256L << 20)).isEqualTo("128MB");
    assertThat(RunSettings.duckMemoryFor(512L << 20)).isEqualTo("128MB");
    assertThat(RunSettings.duckMemoryFor(1L << 30)).isEqualTo("256MB");
    assertThat(RunSettings.duckMemoryFor(4L << 30)).isEqualTo("512MB");
  }
}
