package io.dataops.jobs.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.run.PipelineRunResult;
import io.dataops.products.registry.ProductVersion;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code mode: incremental} on both engines: appends with runs between, and nothing new. */
class IncrementalRunTest extends EnginesFixture {
  static final String TABLE = "ods.public_security__citizens";

  static String pipeline(String name, String mode) {
    return """
        name: %s
        scenario: 社区服务人口结构分析
        owner: futian-operator
        inputs:
          - table: ods.public_security__citizens
            as: citizens
            columns: [id_card, name, phone, gender, birth_date, district_code]
        transform: |
          SELECT id_card AS person_key, name, phone, gender, birth_date, district_code FROM citizens
        policy:
          person_key: {pseudonymize: hmac-sha256, key: default, length: 20}
          name: {mask: name}
          phone: {mask: mobile}
          birth_date: {generalize: year}
        product: %s
        mode: %s
        """.formatted(name, name, mode);
  }

  private long land(long rows, long seed) throws Exception {
    return landSample(SampleDataset.CITIZENS, rows, 5000, seed).snapshotId();
  }

  PipelineRunResult run(String engine, BoundPipeline p) {
    return engine.equals("flink") ? onFlink(p, 2) : onSpringBatch(p);
  }

  @ParameterizedTest
  @ValueSource(strings = {"spring-batch", "flink"})
  void threeAppendsWithRunsBetweenAddUpToTheFullRunsProduct(String engine) throws Exception {
    long s1 = land(400, 1);
    PipelineRunResult v1 = run(engine, bind(pipeline("citizens-inc", "incremental")));
    assertThat(v1.version()).isEqualTo(1);
    assertThat(v1.rowsIn()).isEqualTo(400);
    assertThat(version(v1).lineage().inputs()).isEqualTo(Map.of(TABLE, s1));
    assertThat(version(v1).lineage().inputsFrom()).as("the first run reads from the beginning").isEmpty();

    long s2 = land(250, 2);
    PipelineRunResult v2 = run(engine, bind(pipeline("citizens-inc", "incremental")));
    assertThat(v2.version()).isEqualTo(2);
    assertThat(v2.rowsIn()).as("only the appended rows are read").isEqualTo(250);
    assertThat(v2.rowsOut()).isEqualTo(250);
    assertThat(version(v2).lineage().inputsFrom()).isEqualTo(Map.of(TABLE, s1));
    assertThat(version(v2).lineage().inputs()).isEqualTo(Map.of(TABLE, s2));

    long s3 = land(300, 3);
    PipelineRunResult v3 = run(engine, bind(pipeline("citizens-inc", "incremental")));
    assertThat(v3.rowsIn()).isEqualTo(300);
    assertThat(version(v3).lineage().inputsFrom()).isEqualTo(Map.of(TABLE, s2));
    assertThat(version(v3).lineage().inputs()).isEqualTo(Map.of(TABLE, s3));
    assertThat(rows(v2).values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(650);

    PipelineRunResult full = run(engine, bind(pipeline("citizens-full", "full")));
    assertThat(full.rowsIn()).isEqualTo(950);
    assertThat(rows(v3)).as("the increments' product, as a multiset").isEqualTo(rows(full));

    PipelineRunResult again = run(engine, bind(pipeline("citizens-inc", "incremental")));
    assertThat(again.recognized()).isTrue();
    assertThat(again.version()).isEqualTo(3);
    assertThat(again.snapshotId()).isEqualTo(v3.snapshotId());
    List<ProductVersion> versions = registry().list("citizens-inc");
    assertThat(versions).as("nothing new makes no version").hasSize(3);
  }
}
