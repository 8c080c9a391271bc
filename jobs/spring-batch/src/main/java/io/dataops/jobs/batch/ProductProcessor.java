package io.dataops.jobs.batch;

import io.dataops.pipelines.privacy.AnonymityCheck;
import java.util.ArrayList;
import java.util.List;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Applies the policies to a chunk's rows (one item: {@link TransformReader}); a row whose equivalence class is too
 * small is suppressed (left out) and counted (in a full run: an incremental run's rows of small classes are held back
 * at the publish instead). A full run that keeps its state hands its suppressed rows to the writer as held rows.
 */
final class ProductProcessor implements ItemProcessor<List<Object[]>, List<Object[]>> {
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
  public List<Object[]> process(List<Object[]> rows) {
    if (!loaded) {
      // An incremental run writes every row: the held-back rule splits its files at the publish (HeldRows).
      verdict = run.plan.incremental() ? null : run.verdict(instance);
      loaded = true;
    }
    List<Object[]> kept = new ArrayList<>(rows.size());
    for (Object[] row : rows) {
      Object[] product = run.policies.apply(row);
      if (verdict != null) {
        // the chosen generalization (if any), then suppression
        Object[] published = verdict.publish(run.policies, product);
        if (published == null) {
          progress.suppressed++;
          if (run.keepsSuppressed) {
            progress.held.add(product); // no generalization here: a run that keeps its state has no search
          }
          continue;
        }
        product = published;
      }
      kept.add(product);
    }
    return kept;
  }
}
