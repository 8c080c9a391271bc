package io.dataops.jobs.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.jobs.flink.run.FaultHook;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.run.PipelineRunResult;
import io.dataops.products.publish.ProductTables;
import java.util.Map;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;

/** Faults inside a Flink run: a task that fails mid-job is restarted by Flink and the product is the reference's. */
class FlinkFaultsTest extends EnginesFixture {
  /** Classes of gender and district: most rows pass, so each write task has rows to fail among. */
  static final String PIPELINE = """
      name: citizens-by-district
      scenario: 社区服务人口结构分析
      owner: futian-operator
      inputs:
        - table: ods.public_security__citizens
          as: citizens
          columns: [id_card, gender, district_code, monthly_income]
      transform: |
        SELECT id_card AS person_key, gender, district_code, monthly_income FROM citizens
      policy:
        person_key: {pseudonymize: hmac-sha256, key: default, length: 20}
        monthly_income: {generalize: buckets, boundaries: [0, 3000, 6000, 10000, 20000]}
      privacy:
        quasiIdentifiers: [gender, district_code]
        k: 3
        exempt: {monthly_income: "the income band is what the product publishes, not what an outsider knows"}
      product: citizens-by-district
      """;

  @Test
  void aTaskFailingMidJobIsRestartedByFlinkAndTheProductEqualsTheReference() throws Exception {
    landSample(SampleDataset.CITIZENS, 3000, 3000, 1);
    BoundPipeline p = bind(PIPELINE);
    PipelineRunResult reference = onSpringBatch(p);
    Table product = lakehouse.load(ProductTables.id("citizens-by-district"));
    long snapshots = java.util.stream.StreamSupport.stream(product.snapshots().spliterator(), false).count();
    int versions = registry().list("citizens-by-district").size();
    int forced = FaultHook.forced();

    PipelineRunResult flink = run("flink", p, Map.of("flink.parallelism", "2",
        FlinkSettings.FAIL_AFTER_ROWS, "500"));

    assertThat(FaultHook.forced()).as("a write task failed after 500 rows").isGreaterThan(forced);
    assertThat(flink.recognized()).isFalse();
    assertSameOutcome(reference, flink);
    assertThat(registry().list("citizens-by-district")).as("exactly one new version").hasSize(versions + 1);
    product.refresh();
    assertThat(product.snapshots()).as("one visible change").hasSize((int) snapshots + 1);
  }

  @Test
  void aTaskFailingWhileItsLeakCheckHeldSpilledCandidatesIsRestartedWithTheSameVerdict() throws Exception {
    // A crowded filter and 64 candidates in memory: the failed attempt had spilled runs of candidates; the restarted
    // one tests its rows anew, and only its findings count (the same counts as Spring Batch's run).
    landSample(SampleDataset.CITIZENS, 3000, 3000, 1);
    BoundPipeline p = bind(PIPELINE);
    PipelineRunResult reference = withProperties(CROWDED_LEAK_CHECK, () -> onSpringBatch(p));
    int forced = FaultHook.forced();
    PipelineRunResult flink = withProperties(CROWDED_LEAK_CHECK, () -> run("flink", p, Map.of("flink.parallelism", "2",
        FlinkSettings.FAIL_AFTER_ROWS, "500")));
    assertThat(FaultHook.forced()).as("a write task failed after 500 rows").isGreaterThan(forced);
    assertSameOutcome(reference, flink);
    assertThat(((Number) version(flink).lineage().leakCheck().get("candidatesConfirmed")).longValue())
        .isGreaterThan(1000);
  }
}
