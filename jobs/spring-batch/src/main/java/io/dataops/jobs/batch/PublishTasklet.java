package io.dataops.jobs.batch;

import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.privacy.LeakCheck;
import io.dataops.pipelines.privacy.PrivacyReport;
import io.dataops.pipelines.plan.ProductClasses;
import io.dataops.products.publish.HeldRows;
import io.dataops.products.publish.ProductPublisher;
import io.dataops.products.publish.PipelineVersions;
import io.dataops.products.publish.PublishVersion;
import io.dataops.products.registry.ProductVersion;
import io.dataops.products.registry.ProductVersion.Lineage;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Publishes the version through the products module (write, audit, publish: staged snapshot, quality gate,
 * fast-forward, draft version with its lineage, tag). Idempotent: a restart finds what an earlier attempt did by the
 * run key. The gate's verdict is kept in the step's context, so an attempt that finds the version already published
 * still records the verdict that allowed it.
 */
final class PublishTasklet implements Tasklet {
  private static final String VERDICT = "quality.verdict";
  private final RunState run;
  private final ProductPublisher publisher;

  PublishTasklet(RunState run, ProductPublisher publisher) {
    this.run = run;
    this.publisher = publisher;
  }

  @Override
  @SuppressWarnings("unchecked")
  public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
    JobInstance instance = chunkContext.getStepContext().getStepExecution().getJobExecution().getJobInstance();
    ExecutionContext written = run.lastStep(instance, RunState.STEP_WRITE).getExecutionContext();
    ExecutionContext mine = chunkContext.getStepContext().getStepExecution().getExecutionContext();
    String saved = written.getString(ProductFileWriter.FILES, "");
    List<String> files = saved.isEmpty() ? List.of() : List.of(saved.split("\n"));
    BoundPipeline p = run.pipeline;

    PrivacyReport privacy = run.privacyReport(instance);
    LeakCheck.Result leak = RunState.JSON.readValue(run.lastStep(instance, RunState.STEP_LEAKS).getExecutionContext()
        .getString("leak.result"), LeakCheck.Result.class);
    Map<String, Long> unfit = ProductFileWriter.unfit(written.getString(ProductFileWriter.UNFIT, "{}"));
    long rowsIn = written.getLong(ProductFileWriter.ROWS_DONE);
    ProductClasses.Judged judged = null;
    HeldRows.Split split = null;
    Lineage lineage;
    List<String> heldParts = ProductFileWriter.listed(written, ProductFileWriter.HELD);
    String classes = p.privacy() == null ? null : run.lastStep(instance, RunState.STEP_CLASSES).getExecutionContext()
        .getString(PrivacyClassesTasklet.CLASSES, null);
    if (run.keepsSuppressed && classes != null) {
      // the class counts the classes step saved and the suppressed rows, as the state an incremental run continues from
      judged = new ProductClasses.Judged(run.verdict(instance), classes);
      split = HeldRows.suppressed(run.lakehouse, run.plan, files, heldParts);
      lineage = PipelineVersions.lineage(run.plan, SpringBatchExecutor.ENGINE, privacy, leak, rowsIn,
          written.getLong(ProductFileWriter.WRITTEN), written.getLong(ProductFileWriter.SUPPRESSED), unfit);
    } else if (run.plan.incremental() && p.privacy() != null) {
      judged = ProductClasses.judged(run.plan, run.lakehouse, run.lastStep(instance, RunState.STEP_CLASSES)
          .getExecutionContext().getString(PrivacyClassesTasklet.CLASSES), run.workDir.resolve("classes-total"),
          run.settings.privacyMemory());
      try {
        split = HeldRows.split(run.lakehouse, run.plan, judged.verdict(), files);
      } catch (io.dataops.core.BadInputException refused) {
        // The held rows the current version names are gone: nothing resumes this run (its files would stay, the
        // product's rows, and its folder with the leak filter's hashes): they go, and the executor forgets it.
        run.removeProductFiles(files, "a run refused at its publish");
        run.discarded = true;
        throw refused;
      }
      lineage = PipelineVersions.lineage(run.plan, SpringBatchExecutor.ENGINE, privacy, leak, rowsIn,
          written.getLong(ProductFileWriter.WRITTEN), unfit, split);
    } else {
      lineage = PipelineVersions.lineage(run.plan, SpringBatchExecutor.ENGINE, privacy, leak, rowsIn,
          written.getLong(ProductFileWriter.WRITTEN), written.getLong(ProductFileWriter.SUPPRESSED), unfit);
    }
    String earlier = mine.getString(VERDICT, null);
    PublishVersion publish = PipelineVersions.publish(publisher, run.plan, SpringBatchExecutor.ENGINE, files,
        lineage, run.actor, earlier == null ? null : RunState.JSON.readValue(earlier, Map.class), judged, split);
    ProductVersion v;
    try {
      v = publish.commit();
    } finally {
      run.discarded = publish.discarded();
      if (run.discarded && judged != null && !run.plan.incremental()) {
        // the product's files went with the refused version; the rows kept for its state go with them
        List<String> state = new java.util.ArrayList<>(heldParts);
        state.addAll(split.stateOf(judged, files));
        run.removeProductFiles(state, "a run refused at its publish");
      }
      if (publish.verdict() != null) {
        mine.putString(VERDICT, RunState.JSON.writeValueAsString(publish.verdict()));
      }
    }
    if (split != null) {
      PipelineVersions.removeUnused(run.lakehouse, v, judged, split);
    }
    mine.putInt("version", v.version());
    return RepeatStatus.FINISHED;
  }
}
