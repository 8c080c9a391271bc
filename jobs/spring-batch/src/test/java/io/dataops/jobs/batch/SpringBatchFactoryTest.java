package io.dataops.jobs.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.pipelines.plan.Executors;
import org.junit.jupiter.api.Test;

class SpringBatchFactoryTest {
  @Test
  void theEngineIsFoundThroughTheServiceAndIsTheDefault() {
    assertThat(Executors.engines()).contains("spring-batch");
    assertThat(Executors.defaultEngine()).isEqualTo("spring-batch");
    assertThat(Executors.factory("spring-batch")).isInstanceOf(SpringBatchExecutorFactory.class);
  }
}
