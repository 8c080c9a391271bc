package io.dataops.jobs.batch;

import io.dataops.pipelines.plan.ProductClasses;
import io.dataops.pipelines.privacy.AnonymityCheck;
import io.dataops.pipelines.privacy.ClassCounts;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The privacy check's first pass: runs the transform, applies only the policies of the quasi-identifier, sensitive
 * and count columns, counts the equivalence classes (spilling beyond the memory setting) and saves which classes must
 * be suppressed. A restart of this step starts it over: its result is all or nothing.
 */
final class PrivacyClassesTasklet implements Tasklet {
  /**
   * Where the product's class counts after this run are saved (the step context's key): an incremental run's sum, a
   * full run's own ({@link RunState#keepsSuppressed}).
   */
  static final String CLASSES = "privacy.classes";
  private final RunState run;

  PrivacyClassesTasklet(RunState run) {
    this.run = run;
  }

  @Override
  public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
    Counted counted = count(run);
    counted.verdict().writeTo(run.verdictFile());
    var context = chunkContext.getStepContext().getStepExecution().getExecutionContext();
    if (counted.savedClasses() != null) {
      context.putString(CLASSES, counted.savedClasses());
    }
    context.putLong("rows", counted.rows());
    context.putString("privacy.report", RunState.JSON.writeValueAsString(counted.verdict().report()));
    return RepeatStatus.FINISHED;
  }

  /**
   * What the pass found: the decision, the rows it read and, for an incremental product, where the whole product's
   * class counts were saved for the next version.
   */
  record Counted(AnonymityCheck.Verdict verdict, long rows, String savedClasses) {}

  /**
   * The pass itself, also run again by a later step that finds the saved decision refused ({@link RunState#verdict}):
   * over the same pinned input it decides the same.
   */
  static Counted count(RunState run) throws Exception {
    try (DuckTransform transform = new DuckTransform(run.plan, run.workDir.resolve("duck-classes"),
        run.splitSettings.duckMemoryLimit(), run.splitSettings.duckThreads());
        AnonymityCheck check = run.plan.newAnonymityCheck(run.workDir.resolve("classes"),
            run.settings.privacyMemory())) {
      transform.openColumns(run.pipeline, run.policies.privacySqlColumns());
      long rows = 0;
      for (Object[] row = transform.next(); row != null; row = transform.next()) {
        Object[] product = run.policies.applyForPrivacy(row);
        check.add(run.policies.quasiIdentifiers(product), run.policies.sensitive(product), run.policies.weight(product),
            run.policies.person(product));
        rows++;
      }
      if (!run.plan.incremental() && !run.keepsSuppressed) {
        return new Counted(check.finish(), rows, null);
      }
      if (!run.plan.incremental()) {
        // a full run's counts are the whole product's: saved as they are, for an incremental run to continue from
        try (ClassCounts counted = check.counts()) {
          ProductClasses.Judged saved = ProductClasses.save(run.plan, run.lakehouse, counted,
              run.workDir.resolve("classes-total"), run.settings.privacyMemory());
          return new Counted(saved.verdict(), rows, saved.location());
        }
      }
      // over the whole product: the saved class counts plus this increment's, saved for the next version
      try (ClassCounts counted = check.counts()) {
        ProductClasses.Judged judged = ProductClasses.judge(run.plan, run.lakehouse, counted,
            run.workDir.resolve("classes-total"), run.settings.privacyMemory());
        return new Counted(judged.verdict(), rows, judged.location());
      } catch (io.dataops.core.BadInputException refused) {
        // Found by a probe: a refused run left its folder (the leak filter's hashes of raw values among others) for
        // good. Nothing resumes a refusal of the product's state: the executor forgets the run and removes it.
        run.discarded = true;
        throw refused;
      }
    }
  }
}
