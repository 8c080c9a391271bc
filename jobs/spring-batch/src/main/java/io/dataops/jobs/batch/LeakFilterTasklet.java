package io.dataops.jobs.batch;

import io.dataops.core.files.OwnerOnly;
import io.dataops.pipelines.definition.BoundPipeline.BoundInput;
import io.dataops.pipelines.definition.BoundPipeline.ColumnType;
import io.dataops.pipelines.privacy.LeakCheck;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Before the product is written: puts every raw value of the inputs' personal-data columns into the leak check's
 * filter and saves the filter (bits of hashes, never a value) in the run's folder, so that the write step tests each
 * product value as it writes it and a restarted run finds it. All or nothing: a restart of this step builds it again.
 */
final class LeakFilterTasklet implements Tasklet {
  private final RunState run;

  LeakFilterTasklet(RunState run) {
    this.run = run;
  }

  @Override
  public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
    run.useLeakCheck(build(run));
    return RepeatStatus.FINISHED;
  }

  /** Builds the filter and saves it in the run's folder. */
  static LeakCheck build(RunState run) throws java.io.IOException {
    LeakCheck check = run.plan.newLeakCheck(64L << 20);
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
      try (Statement s = duck.createStatement()) {
        s.execute("SET threads = " + run.settings.duckThreads());
        s.execute("SET memory_limit = '" + run.settings.duckMemoryLimit() + "'");
      }
      rawValues(run, duck, check);
    } catch (SQLException e) {
      throw EngineErrors.failure("reading the raw personal values failed in DuckDB", e);
    }
    OwnerOnly.directories(run.workDir);
    check.saveFilter(run.leakFilterFile());
    return check;
  }

  /** Every raw value of the inputs' personal-data columns, read from the pinned snapshots' files, into the filter. */
  private static void rawValues(RunState run, Connection duck, LeakCheck check) throws SQLException {
    for (BoundInput in : run.pipeline.inputs()) {
      if (in.personal().isEmpty()) {
        continue;
      }
      List<String> files = PinnedFiles.of(run.plan, run.plan.input(in));
      if (files.isEmpty()) {
        continue;
      }
      List<String> names = new ArrayList<>(in.personal().keySet());
      List<ColumnType> types = names.stream().map(n -> in.columns().get(n)).toList();
      String cols = names.stream().map(DuckTransform::quote).collect(Collectors.joining(", "));
      try (Statement s = duck.createStatement();
          ArrowRows r = new ArrowRows(s.executeQuery("SELECT " + cols + " FROM read_parquet("
              + LeakCheckTasklet.list(files) + ", union_by_name = true)"), types)) {
        r.forEachBatch((vectors, rows) -> {
          for (int c = 0; c < vectors.length; c++) {
            ArrowRows.values(vectors[c], rows, types.get(c), check::addRawUtf8, check::addRaw);
          }
        });
      }
    }
  }
}
