package io.dataops.jobs.batch;

import io.dataops.pipelines.privacy.AnonymityCheck;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Applies the policies; a row whose equivalence class is too small is suppressed (filtered out) and counted (in a full
 * run: an incremental run's rows of small classes are held back at the publish instead).
 */
final class ProductProcessor implements ItemProcessor<Object[], Object[]> {
  private final RunState run;
  private final WriteProgress progress;
  private final JobInstance instance;
  private AnonymityCheck.Verdict verdict;
  private boolean loaded;

  ProductProcessor(RunState run, WriteProgress progress, JobInstance instance) {
    this.run = run;
    this.progress = progress;
    this.instance = instance;
  }

  @Override
  public Object[] process(Object[] row) {
    if (!loaded) {
      // An incremental run writes every row: the held-back rule splits its files at the publish (HeldRows).
      verdict = run.plan.incremental() ? null : run.verdict(instance);
      loaded = true;
    }
    Object[] product = run.policies.apply(row);
    if (verdict != null) {
      product = verdict.publish(run.policies, product); // the chosen generalization (if any), then suppression
      if (product == null) {
        progress.suppressed++;
      }
    }
    return product;
  }
}
