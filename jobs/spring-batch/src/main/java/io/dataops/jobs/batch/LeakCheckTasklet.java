package io.dataops.jobs.batch;

import io.dataops.lakehouse.BadInputException;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.definition.BoundPipeline.BoundInput;
import io.dataops.pipelines.definition.BoundPipeline.ColumnType;
import io.dataops.pipelines.privacy.LeakCheck;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.iceberg.Snapshot;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The leak check over the written (not yet committed) product: the raw values of every personal-data column the
 * inputs read go into the check's filter, then every product value is tested; hits are confirmed against the raw
 * values again. A failed check fails the run: nothing is published, and the message names columns and counts only.
 */
final class LeakCheckTasklet implements Tasklet {
  /** A leak: the pipeline's policies let personal data through. */
  static final class LeakDetected extends BadInputException {
    LeakDetected(String message) {
      super(message);
    }
  }

  private final RunState run;

  LeakCheckTasklet(RunState run) {
    this.run = run;
  }

  @Override
  public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
    var instance = chunkContext.getStepContext().getStepExecution().getJobExecution().getJobInstance();
    String saved = run.lastStep(instance, RunState.STEP_WRITE).getExecutionContext().getString(ProductFileWriter.FILES, "");
    List<String> files = saved.isEmpty() ? List.of() : List.of(saved.split("\n"));
    BoundPipeline p = run.pipeline;
    long expectedRaw = 0;
    for (BoundInput in : p.inputs()) {
      Snapshot s = run.lakehouse.load(in.table()).snapshot(in.snapshotId());
      long rows = Long.parseLong(s.summary().getOrDefault("total-records", "0"));
      expectedRaw += rows * in.personal().size();
    }
    LeakCheck check = new LeakCheck(run.policies.productColumns(), run.policies.identifierShaped(), expectedRaw,
        64L << 20);
    List<ColumnType> productTypes = p.productColumns().stream().map(BoundPipeline.BoundColumn::outputType).toList();
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
      try (Statement s = duck.createStatement()) {
        s.execute("SET threads = " + run.settings.duckThreads());
        s.execute("SET memory_limit = '" + run.settings.duckMemoryLimit() + "'");
      }
      rawValues(duck, check::addRaw);
      if (!files.isEmpty()) {
        String cols = run.policies.productColumns().stream().map(DuckTransform::quote).collect(Collectors.joining(", "));
        try (Statement s = duck.createStatement();
            ResultSet r = s.executeQuery("SELECT " + cols + " FROM read_parquet(" + list(files) + ")")) {
          while (r.next()) {
            check.check(DuckTransform.read(r, productTypes));
          }
        }
      }
      if (check.needsConfirmation()) {
        rawValues(duck, check::confirm);
      }
    }
    LeakCheck.Result result = check.result();
    chunkContext.getStepContext().getStepExecution().getExecutionContext()
        .putString("leak.result", RunState.JSON.writeValueAsString(result));
    if (!result.passed()) {
      List<String> problems = new ArrayList<>();
      result.equalToRaw().forEach((c, n) -> problems.add(c + ": " + n + " values equal raw personal data"));
      result.identifierShaped().forEach((c, n) -> problems.add(c + ": " + n + " values contain an ID or mobile number"));
      if (result.tooManyCandidates()) {
        problems.add("more than " + LeakCheck.MAX_CANDIDATES + " values matched raw personal data");
      }
      throw new LeakDetected("leak check failed, nothing was published: " + String.join("; ", problems)
          + " (give those columns a policy that hides the value)");
    }
    return RepeatStatus.FINISHED;
  }

  /** Every raw value of the inputs' personal-data columns, read from the pinned snapshots' files. */
  private void rawValues(Connection duck, Consumer<Object> sink) throws SQLException {
    for (BoundInput in : run.pipeline.inputs()) {
      if (in.personal().isEmpty()) {
        continue;
      }
      List<String> files = PinnedFiles.of(run.lakehouse.load(in.table()), in.snapshotId());
      if (files.isEmpty()) {
        continue;
      }
      List<String> names = new ArrayList<>(in.personal().keySet());
      List<ColumnType> types = names.stream().map(n -> in.columns().get(n)).toList();
      String cols = names.stream().map(DuckTransform::quote).collect(Collectors.joining(", "));
      try (Statement s = duck.createStatement();
          ResultSet r = s.executeQuery("SELECT " + cols + " FROM read_parquet(" + list(files)
              + ", union_by_name = true)")) {
        while (r.next()) {
          for (Object v : DuckTransform.read(r, types)) {
            if (v != null) {
              sink.accept(v);
            }
          }
        }
      }
    }
  }

  private static String list(List<String> files) {
    return "[" + files.stream().map(f -> "'" + PinnedFiles.localPath(f).replace("'", "''") + "'")
        .collect(Collectors.joining(", ")) + "]";
  }

  static Map<String, Object> summary(LeakCheck.Result r) {
    return Map.of("passed", r.passed(), "equalToRaw", r.equalToRaw(), "identifierShaped", r.identifierShaped(),
        "rawValues", r.rawValues(), "candidatesConfirmed", r.candidates());
  }
}
