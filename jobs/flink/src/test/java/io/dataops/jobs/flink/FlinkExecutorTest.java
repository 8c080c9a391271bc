package io.dataops.jobs.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.run.PipelineRunResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FlinkExecutorTest extends EnginesFixture {
  static final String PROFILE = """
      name: citizens-profile
      scenario: 社区服务人口结构分析
      owner: futian-operator
      inputs:
        - table: ods.public_security__citizens
          as: citizens
          columns: [id_card, name, phone, gender, birth_date, address, district_code, monthly_income]
      transform: |
        SELECT id_card AS person_key, name, phone, gender, birth_date, address, district_code, monthly_income
        FROM citizens
      policy:
        person_key: {pseudonymize: hmac-sha256, key: default, length: 20}
        name: remove
        phone: {mask: mobile, keepFirst: 3, keepLast: 0}
        birth_date: {generalize: year}
        address: {generalize: address, level: street}
        monthly_income: {generalize: buckets, boundaries: [0, 3000, 6000, 10000, 20000]}
      privacy: {quasiIdentifiers: [birth_date, gender, district_code], k: 3}
      product: citizens-profile
      """;

  @BeforeEach
  void landData() throws Exception {
    landSample(SampleDataset.CITIZENS, 3000, 3000, 1);
  }

  @Test
  void aPipelineGivesTheSameProductOnFlinkAsOnSpringBatch() {
    BoundPipeline p = bind(PROFILE);
    PipelineRunResult reference = onSpringBatch(p);
    PipelineRunResult flink = onFlink(p, 2);
    assertThat(flink.rowsSuppressed()).isPositive();
    assertSameOutcome(reference, flink);
  }
}
