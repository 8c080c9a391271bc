package io.dataops.jobs.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dataops.core.audit.Actor;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.pipelines.definition.PipelineParser;
import io.dataops.pipelines.definition.PipelineValidator;
import io.dataops.pipelines.plan.RunControl;
import io.dataops.pipelines.plan.RunPlan;
import io.dataops.pipelines.run.PipelineRunResult;
import io.dataops.pipelines.testing.PipelineFixture;
import io.dataops.products.publish.ProductPublisher;
import io.dataops.products.registry.ProductRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Another process writing to the embedded platform database while a pipeline runs (an operator landing a feed, the
 * audit trail, a scheduler) must not fail the run: SQLite has one writer at a time, and a Spring Batch transaction
 * that read before it wrote cannot take the write lock once another connection committed (SQLITE_BUSY_SNAPSHOT,
 * which no busy timeout waits out).
 */
class ConcurrentWriterTest extends PipelineFixture {
  @Test
  void writesBesideARunningJobDoNotFailItsChunks() throws Exception {
    String url = lakehouse.config().catalogUri();
    assumeTrue(url.startsWith("jdbc:sqlite:"), "SQLite's single writer; PostgreSQL has row locks");
    landSample(SampleDataset.CITIZENS, 3000, 3000, 1);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger writes = new AtomicInteger();
    AtomicReference<Throwable> writerFailed = new AtomicReference<>();
    Thread writer = new Thread(() -> {
      try (Connection c = DriverManager.getConnection(url)) {
        try (Statement s = c.createStatement()) {
          s.execute("PRAGMA busy_timeout = 60000");
          s.execute("CREATE TABLE IF NOT EXISTS other_process (n INTEGER)");
        }
        while (running.get()) {
          try (Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO other_process VALUES (" + writes.incrementAndGet() + ")");
          }
          Thread.sleep(2);
        }
      } catch (Throwable t) {
        writerFailed.set(t);
      }
    }, "other-process");
    writer.start();
    try {
      // The first run of a home: the job repository's and the registry's tables are created meanwhile.
      SpringBatchExecutor executor = new SpringBatchExecutor(lakehouse, new BatchInfrastructure(url,
          lakehouse.config().catalogUser(), lakehouse.config().catalogPassword()), ProductPublisher.ungated(lakehouse,
          new ProductRegistry(url, lakehouse.config().catalogUser(), lakehouse.config().catalogPassword())), keys,
          dir.resolve("work"), new RunSettings("256MB", 2, 1 << 20, 50, 1000));
      var bound = new PipelineValidator(lakehouse, keys).bind(PipelineParser.parse(PROFILE, "p.yaml"), dir);
      PipelineRunResult r = executor.run(RunPlan.of(bound, keys, executor.engine(), lakehouse),
          RunControl.of(Actor.SYSTEM));
      assertThat(r.rowsIn()).isEqualTo(3000);
      assertThat(r.leakCheck()).isEqualTo("passed");
    } finally {
      running.set(false);
      writer.join();
    }
    assertThat(writerFailed.get()).isNull();
    assertThat(writes.get()).as("the other process wrote all along").isGreaterThan(50);
  }
}
