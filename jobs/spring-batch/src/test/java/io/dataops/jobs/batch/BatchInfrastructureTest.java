package io.dataops.jobs.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.core.db.PlatformDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job repository's connections to the embedded database commit without a sync of their own (WAL mode,
 * synchronous NORMAL), while the platform's other connections keep SQLite's default full sync.
 */
class BatchInfrastructureTest {
  @TempDir Path dir;

  @Test
  void stepCheckpointsDoNotWaitForTheDiskButOtherConnectionsDo() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("home/catalog.db");
    BatchInfrastructure batch = new BatchInfrastructure(url, null, null);
    try (Connection c = batch.transactionManager().getDataSource().getConnection()) {
      assertThat(pragma(c, "journal_mode")).isEqualTo("wal");
      assertThat(pragma(c, "synchronous")).as("NORMAL").isEqualTo("1");
      assertThat(pragma(c, "busy_timeout")).isEqualTo("60000");
    }
    try (Connection other = DriverManager.getConnection(PlatformDatabase.url(url),
        PlatformDatabase.prepare(url, null, null))) {
      assertThat(pragma(other, "journal_mode")).as("persistent in the file").isEqualTo("wal");
      assertThat(pragma(other, "synchronous")).as("FULL").isEqualTo("2");
    }
    // The repository works: its schema was created through those connections.
    assertThat(batch.jobRepository().getJobNames()).isEmpty();
  }

  private static String pragma(Connection c, String name) throws Exception {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA " + name)) {
      r.next();
      return r.getString(1);
    }
  }
}
