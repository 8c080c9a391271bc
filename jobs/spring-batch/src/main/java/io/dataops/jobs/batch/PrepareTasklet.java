package io.dataops.jobs.batch;

import io.dataops.core.BadInputException;
import io.dataops.core.files.OwnerOnly;
import io.dataops.products.publish.ProductTables;
import java.nio.file.Files;
import org.apache.iceberg.Table;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Checks that every pinned snapshot still exists (snapshot expiry could have removed it since validation), creates the
 * run's folder and the product's table (empty) if it is new.
 */
final class PrepareTasklet implements Tasklet {
  private final RunState run;

  PrepareTasklet(RunState run) {
    this.run = run;
  }

  @Override
  public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
    try {
      for (var in : run.pipeline.inputs()) {
        Table t = run.lakehouse.load(in.table());
        if (t.snapshot(in.snapshotId()) == null) {
          throw new BadInputException("snapshot " + in.snapshotId() + " of " + in.table()
              + " no longer exists (expired); run the pipeline again to pin the current one");
        }
      }
      OwnerOnly.directories(run.workDir);
      ProductTables.createOrLoad(run.lakehouse, run.pipeline);
    } catch (BadInputException refused) {
      // Found by a probe: a run refused here (an expired snapshot, a product of another pipeline) left its folder,
      // which a run's leak filter fills with hashes of raw values, for good: nothing resumes it (an expired snapshot
      // stays gone; the next run pins the current one, a run of its own). The executor forgets the run and removes it.
      run.discarded = true;
      throw refused;
    }
    return RepeatStatus.FINISHED;
  }
}
