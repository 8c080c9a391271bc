package io.dataops.jobs.batch;

import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.definition.BoundPipeline.BoundColumn;
import io.dataops.pipelines.privacy.LeakCheck;
import io.dataops.pipelines.privacy.PrivacyReport;
import io.dataops.pipelines.run.ProductVersion;
import io.dataops.pipelines.run.ProductVersionStore;
import io.dataops.pipelines.run.QualityGate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * Makes the version visible in one step (write, audit, publish): stages a snapshot holding the table's schema change
 * (if any) and an overwrite that replaces the previous version's rows with this run's files, tagged with the run key;
 * lets the quality gate validate that staged snapshot when the pipeline names a suite; then makes it current by a
 * fast-forward. Readers see the old version or the new one, never a half or an unchecked product. Then records the
 * draft version with its lineage. Idempotent: a restart finds the staged or published snapshot by its run key, and the
 * store returns the version already recorded for it.
 */
final class PublishTasklet implements Tasklet {
  static final String SUMMARY_RUN_KEY = "dataops.run-key";
  private final RunState run;
  private final ProductVersionStore versions;
  private final QualityGate gate;

  PublishTasklet(RunState run, ProductVersionStore versions, QualityGate gate) {
    this.run = run;
    this.versions = versions;
    this.gate = gate;
  }

  @Override
  public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
    JobInstance instance = chunkContext.getStepContext().getStepExecution().getJobExecution().getJobInstance();
    ExecutionContext written = run.lastStep(instance, RunState.STEP_WRITE).getExecutionContext();
    String saved = written.getString(ProductFileWriter.FILES, "");
    List<String> files = saved.isEmpty() ? List.of() : List.of(saved.split("\n"));
    BoundPipeline p = run.pipeline;
    Table table = run.lakehouse.load(run.productTable);
    long snapshotId;
    QualityGate.Verdict verdict = null;
    Snapshot mine = find(table);
    if (mine != null && isPublished(table, mine.snapshotId())) {
      snapshotId = mine.snapshotId(); // published by an earlier attempt of this run
    } else {
      // Write, audit, publish: stage the snapshot (not current), check it, then make it current in one step.
      if (mine == null || !Objects.equals(mine.parentId(), currentId(table))) {
        stage(table, files, p);
        table = run.lakehouse.load(run.productTable);
        mine = find(table);
      }
      if (p.qualitySuite() != null) {
        verdict = gate.check(run.productTable, mine.snapshotId(), p.qualitySuite());
        chunkContext.getStepContext().getStepExecution().getExecutionContext()
            .putString("quality.verdict", RunState.JSON.writeValueAsString(verdict));
        if (!verdict.passed()) {
          throw new QualityGateFailed(verdict);
        }
      }
      table.manageSnapshots().cherrypick(mine.snapshotId()).commit(); // a fast-forward: its parent is current
      snapshotId = mine.snapshotId();
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
        p.definition().scenario(), p.definition().owner(), SpringBatchExecutor.ENGINE, run.runKey, p.inputSnapshots(), policies,
        privacyRecord(privacy), LeakCheckTasklet.summary(leak),
        quality(chunkContext, verdict), rowsIn,
        written.getLong(ProductFileWriter.WRITTEN), suppressed,
        ProductFileWriter.unfit(written.getString(ProductFileWriter.UNFIT, "{}")),
        OffsetDateTime.now(ZoneOffset.UTC).toString()));
    chunkContext.getStepContext().getStepExecution().getExecutionContext().putInt("version", v.version());
    return RepeatStatus.FINISHED;
  }

  /** The privacy report as the version keeps it, with the quasi-identifiers the operator exempted and why. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> privacyRecord(PrivacyReport privacy) {
    if (privacy == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>(RunState.JSON.convertValue(privacy, Map.class));
    m.put("exempted", run.pipeline.privacy().exempted());
    return m;
  }

  /** Commits the run's files as a staged overwrite of the whole product (with any schema change), not yet current. */
  private void stage(Table table, List<String> files, BoundPipeline p) {
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
        .set("dataops.inputs", p.inputSnapshots().toString()).stageOnly();
    overwrite.commit();
    tx.commitTransaction();
  }

  /** The newest snapshot this run committed or staged, or null. */
  private Snapshot find(Table table) {
    Snapshot found = null;
    for (Snapshot s : table.snapshots()) {
      if (run.runKey.equals(s.summary().get(SUMMARY_RUN_KEY))
          && (found == null || s.sequenceNumber() > found.sequenceNumber())) {
        found = s;
      }
    }
    return found;
  }

  private static Long currentId(Table table) {
    return table.currentSnapshot() == null ? null : table.currentSnapshot().snapshotId();
  }

  private static boolean isPublished(Table table, long snapshotId) {
    for (Snapshot s = table.currentSnapshot(); s != null; s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
      if (s.snapshotId() == snapshotId) {
        return true;
      }
    }
    return false;
  }

  /** The gate's verdict of this attempt, or of the attempt that published (a restart after the commit). */
  @SuppressWarnings("unchecked")
  private Map<String, Object> quality(ChunkContext ctx, QualityGate.Verdict verdict) throws java.io.IOException {
    if (run.pipeline.qualitySuite() == null) {
      return null;
    }
    if (verdict != null) {
      return RunState.JSON.convertValue(verdict, Map.class);
    }
    String saved = ctx.getStepContext().getStepExecution().getExecutionContext().getString("quality.verdict", null);
    return saved == null ? Map.of("suite", run.pipeline.qualitySuite().getFileName().toString(),
        "note", "checked by the attempt that published") : RunState.JSON.readValue(saved, Map.class);
  }

  /** A failing error rule stops the version: nothing is published (the staged snapshot stays unreferenced). */
  static final class QualityGateFailed extends io.dataops.core.BadInputException {
    final transient QualityGate.Verdict verdict;

    QualityGateFailed(QualityGate.Verdict v) {
      super("quality gate failed, nothing was published: suite " + v.suite() + ": " + v.errors().size()
          + " of " + v.evaluated() + " rules of severity error failed: " + String.join("; ", v.errors())
          + (v.runId() == null ? "" : " (row-level failures: quality run " + v.runId() + ")"));
      this.verdict = v;
    }
  }

}
