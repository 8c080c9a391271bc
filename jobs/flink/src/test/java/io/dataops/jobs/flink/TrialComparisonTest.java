package io.dataops.jobs.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.core.audit.Actor;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.plan.PipelineExecutor;
import io.dataops.pipelines.plan.RunControl;
import io.dataops.pipelines.plan.RunPlan;
import io.dataops.pipelines.plan.TrialRun;
import io.dataops.pipelines.run.PipelineRunResult;
import io.dataops.products.publish.EngineComparison;
import io.dataops.products.publish.ProductTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;

/**
 * A trial on Flink (nothing published) compared with the version Spring Batch made from the same snapshots: the demo's
 * population pipeline matches; a pipeline that keeps other rows does not, and says so by counts only; either way the
 * product table, the versions and the warehouse are as before the trial.
 */
class TrialComparisonTest extends EnginesFixture {

  @Test
  void aTrialMatchesTheVersionAndLeavesNothingBehind() throws Exception {
    landSample(SampleDataset.CITIZENS, 3000, 3000, 20261128L);
    BoundPipeline p = bind(EquivalenceTest.demo("population-by-street"));
    PipelineRunResult reference = onSpringBatch(p);
    Table product = lakehouse.load(ProductTables.id(reference.product()));
    int snapshots = snapshots(product);

    EngineComparison.Outcome same = compare(p, reference);
    assertThat(same.matched()).as(same.describe()).isTrue();
    assertThat(same.differences()).isEmpty();
    assertThat(same.rows()).isEqualTo(reference.rowsOut()).isPositive();
    assertThat(same.k()).isEqualTo(5);
    assertThat(same.describe()).isEqualTo(String.format("flink (parallelism 2): %,d rows, k=5, same product as "
        + "spring-batch's population-by-street v1", reference.rowsOut()));

    // A different product from the same snapshots: other rows (women only), other counts, another privacy report.
    BoundPipeline other = bind(EquivalenceTest.demo("population-by-street").replace(
        "WHERE birth_date IS NOT NULL", "WHERE birth_date IS NOT NULL AND gender = 'F'"));
    EngineComparison.Outcome differs = compare(other, reference);
    assertThat(differs.matched()).isFalse();
    assertThat(differs.differences()).contains("rows in differ", "privacy report differ")
        .anyMatch(d -> d.startsWith("product rows differ (" + reference.rowsOut() + " published, "));
    assertThat(differs.describe()).contains("NOT the product spring-batch made (population-by-street v1)");

    product.refresh();
    assertThat(snapshots(product)).as("a trial commits nothing").isEqualTo(snapshots);
    assertThat(registry().list(reference.product())).hasSize(1);
    try (Stream<Path> left = Files.walk(dir.resolve("home/warehouse"))) {
      assertThat(left.filter(Files::isRegularFile).map(Path::toString))
          .as("the trials' files and states are gone").noneMatch(f -> f.contains(".dataops-runs"))
          .noneMatch(f -> f.contains("/data/flink-"));
    }
  }

  private EngineComparison.Outcome compare(BoundPipeline p, PipelineRunResult reference) {
    PipelineExecutor flink = executor("flink", Map.of("flink.parallelism", "2"));
    try (TrialRun trial = flink.trial(RunPlan.of(p, keys, flink.engine(), lakehouse), RunControl.of(Actor.SYSTEM))) {
      assertThat(trial.files()).isNotEmpty().allMatch(f -> f.contains(".dataops-runs"));
      return EngineComparison.compare(lakehouse, p, registry().find(reference.product(), reference.version())
          .orElseThrow(), trial);
    }
  }

  private static int snapshots(Table t) {
    int n = 0;
    for (var s : t.snapshots()) {
      n++;
    }
    return n;
  }
}
