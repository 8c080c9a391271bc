package io.dataops.jobs.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.core.db.PlatformDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
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

  @Test
  void repositoriesOpenedAtOnceOnAFreshDatabaseAllWork() throws Exception {
    // Two pipeline runs starting together on a new home: each finds no Spring Batch tables. Only one creates them;
    // the others wait for its transaction and find them all (before, the second failed: "already exists"). Opening
    // itself could meet another opener switching the fresh file to WAL (SQLITE_BUSY at once, about 1 round in 300
    // before PlatformDatabase switched it once, where it is made): a hundred rounds, about two seconds.
    for (int round = 0; round < 100; round++) {
      String url = "jdbc:sqlite:" + dir.resolve("fresh-" + round + "/catalog.db");
      java.nio.file.Files.createDirectories(dir.resolve("fresh-" + round));
      int threads = 4;
      var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
      try {
        var start = new java.util.concurrent.CyclicBarrier(threads);
        List<java.util.concurrent.Future<BatchInfrastructure>> opened = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
          opened.add(pool.submit(() -> {
            start.await();
            return new BatchInfrastructure(url, null, null);
          }));
        }
        for (var f : opened) {
          assertThat(f.get().jobRepository().getJobNames()).isEmpty();
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void stepExecutionsThatThreadsCreateAtOnceAreAllKept() throws Exception {
    // A split's branches create and update their step executions at the same time, on one job execution.
    BatchInfrastructure batch = new BatchInfrastructure("jdbc:sqlite:" + dir.resolve("home/catalog.db"), null, null);
    var repo = batch.jobRepository();
    var params = new org.springframework.batch.core.job.parameters.JobParametersBuilder().addString("run", "1")
        .toJobParameters();
    var job = repo.createJobExecution(repo.createJobInstance("split", params), params,
        new org.springframework.batch.infrastructure.item.ExecutionContext());
    int threads = 4;
    int each = 10;
    var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      var start = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int branch = t;
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < each; i++) {
            var step = repo.createStepExecution("step-" + branch + "-" + i, job);
            step.setStatus(org.springframework.batch.core.BatchStatus.COMPLETED);
            repo.update(step);
          }
          return null;
        }));
      }
      start.countDown();
      for (var f : done) {
        f.get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(job.getStepExecutions()).as("in memory").hasSize(threads * each);
    assertThat(repo.getJobExecution(job.getId()).getStepExecutions()).as("in the database").hasSize(threads * each)
        .allSatisfy(s -> assertThat(s.getStatus()).isEqualTo(org.springframework.batch.core.BatchStatus.COMPLETED));
  }

  private static String pragma(Connection c, String name) throws Exception {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("PRAGMA " + name)) {
      r.next();
      return r.getString(1);
    }
  }
}
