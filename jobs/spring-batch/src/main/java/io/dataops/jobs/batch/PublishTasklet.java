package io.dataops.jobs.batch;

import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.definition.BoundPipeline.BoundColumn;
import io.dataops.pipelines.privacy.LeakCheck;
import io.dataops.pipelines.privacy.PrivacyReport;
import io.dataops.pipelines.run.ProductVersion;
import io.dataops.pipelines.run.ProductVersionStore;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.parquet.ParquetUtil;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Makes the version visible in ONE Iceberg commit: the table's schema change (if any) and an overwrite that replaces
 * the previous version's rows with this run's files, tagged with the run key. Then records the draft version with its
 * lineage. Both halves are idempotent: a restart after the commit finds the snapshot by its run key, and the store
 * returns the version already recorded for it.
 */
final class PublishTasklet implements Tasklet {
  static final String SUMMARY_RUN_KEY = "dataops.run-key";
  private final RunState run;
  private final ProductVersionStore versions;

  PublishTasklet(RunState run, ProductVersionStore versions) {
    this.run = run;
    this.versions = versions;
  }

  @Override
  public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
    JobInstance instance = chunkContext.getStepContext().getStepExecution().getJobExecution().getJobInstance();
    ExecutionContext written = run.lastStep(instance, RunState.STEP_WRITE).getExecutionContext();
    String saved = written.getString(ProductFileWriter.FILES, "");
    List<String> files = saved.isEmpty() ? List.of() : List.of(saved.split("\n"));
    BoundPipeline p = run.pipeline;
    Table table = run.lakehouse.load(run.productTable);
    long snapshotId = committed(table);
    if (snapshotId < 0) {
      Transaction tx = table.newTransaction();
      ProductTables.evolve(tx.updateSchema(), tx.table().schema(), p).commit();
      OverwriteFiles overwrite = tx.newOverwrite().overwriteByRowFilter(Expressions.alwaysTrue());
      MetricsConfig metrics = MetricsConfig.forTable(table);
      for (String f : files) {
        InputFile in = table.io().newInputFile(f);
        DataFile file = DataFiles.builder(table.spec()).withPath(f).withFormat(FileFormat.PARQUET)
            .withFileSizeInBytes(in.getLength()).withMetrics(ParquetUtil.fileMetrics(in, metrics)).build();
        overwrite.addFile(file);
      }
      overwrite.set(SUMMARY_RUN_KEY, run.runKey).set("dataops.pipeline", p.definition().name())
          .set("dataops.pipeline-sha256", p.definition().sha256()).set("dataops.engine", SpringBatchExecutor.ENGINE)
          .set("dataops.inputs", inputs(p).toString()).commit();
      tx.commitTransaction();
      snapshotId = committed(run.lakehouse.load(run.productTable));
    }

    PrivacyReport privacy = run.privacyReport(instance);
    LeakCheck.Result leak = RunState.JSON.readValue(run.lastStep(instance, RunState.STEP_LEAKS).getExecutionContext()
        .getString("leak.result"), LeakCheck.Result.class);
    long rowsIn = written.getLong(ProductFileWriter.ROWS_DONE);
    long suppressed = written.getLong(ProductFileWriter.SUPPRESSED);
    Map<String, String> policies = new LinkedHashMap<>();
    for (BoundColumn c : p.columns()) {
      policies.put(c.name(), c.policy().describe());
    }
    ProductVersion v = versions.record(new ProductVersion(p.definition().product(), 0, ProductVersion.DRAFT,
        run.productTable.toString(), snapshotId, p.definition().name(), p.definition().sha256(),
        p.definition().scenario(), p.definition().owner(), SpringBatchExecutor.ENGINE, run.runKey, inputs(p), policies,
        privacy == null ? null : RunState.JSON.convertValue(privacy, Map.class), LeakCheckTasklet.summary(leak), rowsIn,
        written.getLong(ProductFileWriter.WRITTEN), suppressed,
        ProductFileWriter.unfit(written.getString(ProductFileWriter.UNFIT, "{}")),
        OffsetDateTime.now(ZoneOffset.UTC).toString()));
    chunkContext.getStepContext().getStepExecution().getExecutionContext().putInt("version", v.version());
    return RepeatStatus.FINISHED;
  }

  /** The snapshot this run committed, or -1. */
  private long committed(Table table) {
    for (Snapshot s : table.snapshots()) {
      if (run.runKey.equals(s.summary().get(SUMMARY_RUN_KEY))) {
        return s.snapshotId();
      }
    }
    return -1;
  }

  static Map<String, Long> inputs(BoundPipeline p) {
    Map<String, Long> out = new LinkedHashMap<>();
    p.inputs().forEach(in -> out.put(in.table().toString(), in.snapshotId()));
    return out;
  }
}
