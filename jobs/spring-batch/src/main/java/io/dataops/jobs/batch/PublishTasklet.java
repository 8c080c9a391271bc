package io.dataops.jobs.batch;

import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.privacy.LeakCheck;
import io.dataops.pipelines.privacy.PrivacyReport;
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
    Lineage lineage = PipelineVersions.lineage(p, SpringBatchExecutor.ENGINE, run.runKey, privacy, leak,
        written.getLong(ProductFileWriter.ROWS_DONE), written.getLong(ProductFileWriter.WRITTEN),
        written.getLong(ProductFileWriter.SUPPRESSED),
        ProductFileWriter.unfit(written.getString(ProductFileWriter.UNFIT, "{}")));
    String earlier = mine.getString(VERDICT, null);
    PublishVersion publish = PipelineVersions.publish(publisher, p, SpringBatchExecutor.ENGINE, run.runKey, files,
        lineage, run.actor, earlier == null ? null : RunState.JSON.readValue(earlier, Map.class));
    ProductVersion v;
    try {
      v = publish.commit();
    } finally {
      if (publish.verdict() != null) {
        mine.putString(VERDICT, RunState.JSON.writeValueAsString(publish.verdict()));
      }
    }
    mine.putInt("version", v.version());
    return RepeatStatus.FINISHED;
  }
}
