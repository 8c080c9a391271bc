package io.dataops.jobs.batch;

import io.dataops.lakehouse.types.ColumnType;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.definition.BoundPipeline.BoundInput;
import io.dataops.pipelines.plan.LocalFiles;
import io.dataops.pipelines.privacy.LeakCheck;
import io.dataops.pipelines.privacy.LeakDetectedException;
import io.dataops.pipelines.privacy.RawHashes;
import java.sql.Connection;
import java.sql.ResultSet;
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
 * The leak check over the written (not yet committed) product. The filter of raw personal values ({@link
 * LeakFilterTasklet}) has tested every product value as the write step wrote it; files written by an earlier,
 * interrupted process are read back and tested here; then the filter's hits are confirmed against the raw values:
 * while they fit in memory, by DuckDB joining their texts to the raw columns; once they spilled (hashes only, in the
 * run's folder, see {@link LeakCheck}), by a sort-merge of their hashes against those of every raw value read again.
 * Either way the spilled files go when the step ends, passed or failed (a restarted process's check deletes what a
 * killed one left). A failed check fails the run: nothing is published, and the message names columns and counts only.
 */
final class LeakCheckTasklet implements Tasklet {
  /** A leak: the pipeline's policies let personal data through. */
  static final class LeakDetected extends LeakDetectedException {
    LeakDetected(String message) {
      super(message);
    }
  }

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LeakCheckTasklet.class);
  private final RunState run;

  LeakCheckTasklet(RunState run) {
    this.run = run;
  }

  @Override
  public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
    var instance = chunkContext.getStepContext().getStepExecution().getJobExecution().getJobInstance();
    var written = run.lastStep(instance, RunState.STEP_WRITE).getExecutionContext();
    // the suppressed rows a full run keeps for its version's state too: they are product rows, checked as those
    List<String> files = new ArrayList<>(ProductFileWriter.listed(written, ProductFileWriter.FILES));
    files.addAll(ProductFileWriter.listed(written, ProductFileWriter.HELD));
    BoundPipeline p = run.pipeline;
    LeakCheck check = run.leakCheck();
    // Files the write step tested as it wrote them (in this process) need not be read again.
    List<String> unchecked = files.stream().filter(f -> !run.leakCheckedFiles.contains(f)).toList();
    List<ColumnType> productTypes = p.productColumns().stream().map(BoundPipeline.BoundColumn::outputType).toList();
    LeakCheck.Result result;
    try (check; Connection duck = DuckTransform.connect(run.workDir.resolve("duck-leaks"),
        run.settings.duckMemoryLimit(), run.settings.duckThreads())) {
      long t1 = System.nanoTime();
      if (!unchecked.isEmpty()) {
        String cols = run.policies.productColumns().stream().map(DuckTransform::quote).collect(Collectors.joining(", "));
        // a product that fails the check may hold raw data: its objects are copied into the run's folder, not cached
        try (LocalFiles.PrivateCopies local = LocalFiles.of(run.lakehouse.load(run.productTable).io())
            .privateCopies(unchecked, run.workDir.resolve("leak-read-back"), "the leak check");
            Statement s = duck.createStatement();
            ArrowRows r = new ArrowRows(s.executeQuery("SELECT " + cols + " FROM read_parquet(" + list(local.paths())
                + ")"),
                productTypes)) {
          r.forEachBatch((vectors, rows) -> {
            for (int c = 0; c < vectors.length; c++) {
              int column = c;
              ArrowRows.values(vectors[c], rows, productTypes.get(c), (utf8, n) -> check.checkUtf8(column, utf8, n),
                  v -> check.checkValue(column, v));
            }
          });
        }
      }
      long t2 = System.nanoTime();
      boolean spilled = check.spilled();
      if (check.needsConfirmation()) {
        if (spilled) {
          confirmByHashes(duck, check);
        } else {
          confirm(duck, check);
        }
        check.confirmationComplete();
      }
      result = check.result();
      LOG.info("leak check of {}: {} of {} product files read back in {} s, confirmation of {} candidates{} {} s",
          run.pipeline.definition().name(), unchecked.size(), files.size(), seconds(t2 - t1), result.candidates(),
          spilled ? " (spilled, by hashes)" : "", seconds(System.nanoTime() - t2));
    } catch (SQLException e) {
      throw EngineErrors.failure("the leak check failed in DuckDB", e);
    }
    chunkContext.getStepContext().getStepExecution().getExecutionContext()
        .putString("leak.result", RunState.JSON.writeValueAsString(result));
    if (!result.passed()) {
      // Found by a probe: the product's files stayed in its folder, raw values and all. A leak is no run to resume
      // (the same inputs leak again): its files go, and the executor forgets the run (as Flink's does).
      run.removeProductFiles(files, "a run that failed its leak check");
      run.discarded = true;
      throw new LeakDetected(result.failure());
    }
    return RepeatStatus.FINISHED;
  }

  /**
   * Confirms the filter's hits: DuckDB looks the candidate texts up among the raw text values (a join in native code,
   * instead of a second pass over every raw value here); the distinct raw values of other types are read again and
   * compared here, by their canonical text.
   */
  private void confirm(Connection duck, LeakCheck check) throws SQLException {
    try (Statement s = duck.createStatement()) {
      s.execute("CREATE OR REPLACE TABLE leak_candidates (v VARCHAR)"); // in the in-memory database
    }
    var connection = duck.unwrap(org.duckdb.DuckDBConnection.class);
    try (var appender = connection.createAppender(org.duckdb.DuckDBConnection.DEFAULT_SCHEMA, "leak_candidates")) {
      for (String t : check.candidateTexts()) {
        appender.beginRow();
        appender.append(t);
        appender.endRow();
      }
    }
    for (BoundInput in : run.pipeline.inputs()) {
      List<String> files = in.personal().isEmpty() ? List.of() : PinnedFiles.of(run.plan, run.plan.input(in));
      if (files.isEmpty()) {
        continue;
      }
      String source = "read_parquet(" + list(files) + ", union_by_name = true)";
      List<String> text = new ArrayList<>();
      List<String> other = new ArrayList<>();
      for (String c : in.personal().keySet()) {
        (in.columns().get(c).type() == io.dataops.lakehouse.types.ValueType.STRING ? text : other).add(c);
      }
      if (!text.isEmpty()) {
        String raw = text.stream().map(c -> "SELECT " + DuckTransform.quote(c) + " AS r FROM " + source)
            .collect(Collectors.joining(" UNION ALL "));
        try (Statement s = duck.createStatement();
            ResultSet r = s.executeQuery("SELECT v FROM leak_candidates WHERE v IN (" + raw + ")")) {
          while (r.next()) {
            check.confirm(r.getString(1));
          }
        }
      }
      // Confirming marks candidates, whatever the order and however often: each column's distinct values are enough
      // (a million birth dates are a few ten thousand days). Not for doubles: DuckDB takes -0.0 and 0.0 as one value,
      // their texts differ.
      for (String c : other) {
        ColumnType type = in.columns().get(c);
        String select = type.type() == io.dataops.lakehouse.types.ValueType.DOUBLE ? "SELECT " : "SELECT DISTINCT ";
        try (Statement s = duck.createStatement();
            ArrowRows r = new ArrowRows(s.executeQuery(select + DuckTransform.quote(c) + " FROM " + source),
                List.of(type))) {
          for (Object[] row = r.next(); row != null; row = r.next()) {
            if (row[0] != null) {
              check.confirm(row[0]);
            }
          }
        }
      }
    }
  }

  /**
   * Confirms spilled candidates: every raw value of the inputs' personal-data columns is read again and hashed as the
   * filter was built ({@link LeakFilterTasklet#rawValues}), and the hashes go to the check's sort-merge.
   */
  private void confirmByHashes(Connection duck, LeakCheck check) throws SQLException {
    RawHashes hashes = new RawHashes(check.confirmation());
    for (BoundInput in : run.pipeline.inputs()) {
      List<String> files = in.personal().isEmpty() ? List.of() : PinnedFiles.of(run.plan, run.plan.input(in));
      if (!files.isEmpty()) {
        LeakFilterTasklet.rawValues(in, files, duck, hashes);
      }
    }
    hashes.flush();
  }

  private static String seconds(long nanos) {
    return String.format("%.2f", nanos / 1e9);
  }

  static String list(List<String> files) {
    return "[" + files.stream().map(f -> "'" + f.replace("'", "''") + "'")
        .collect(Collectors.joining(", ")) + "]";
  }
}
