package io.dataops.pipelines.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.BadInputException;
import io.dataops.core.digest.Digests;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunIdentityTest {
  @Test
  void theRunKeyIsTheOneRunsHadBeforeThePlanExisted() {
    RunIdentity id = new RunIdentity("citizens-profile", "ab".repeat(32), "ods.public_security__citizens@42",
        Map.of("fpe", "f1", "default", "d1"), "spring-batch");
    // What the Spring Batch executor hashed before: the job name and its identifying parameters, sorted by name.
    String before = "pipeline.citizens-profile|{engine=spring-batch, inputs=ods.public_security__citizens@42, "
        + "keys={default=d1, fpe=f1}, pipeline.sha256=" + "ab".repeat(32) + "}";
    assertThat(id.runKey()).isEqualTo(Digests.sha256(before));
    assertThat(id.jobName()).isEqualTo("pipeline.citizens-profile");
    assertThat(id.asParameters()).containsKeys("pipeline.sha256", "inputs", "keys", "engine");
  }

  @Test
  void anyPartOfTheIdentityMakesAnotherRun() {
    RunIdentity a = new RunIdentity("p", "00", "t@1", Map.of(), "spring-batch");
    assertThat(a.runKey()).isNotEqualTo(new RunIdentity("p", "00", "t@2", Map.of(), "spring-batch").runKey())
        .isNotEqualTo(new RunIdentity("p", "01", "t@1", Map.of(), "spring-batch").runKey())
        .isNotEqualTo(new RunIdentity("p", "00", "t@1", Map.of("k", "x"), "spring-batch").runKey())
        .isNotEqualTo(new RunIdentity("p", "00", "t@1", Map.of(), "flink").runKey());
  }

  @Test
  void anEngineThisBuildDoesNotHaveIsRefusedNamingThoseItHas() {
    // The pipelines module has no engine of its own: none is on its class path.
    assertThat(Executors.engines()).isEmpty();
    assertThatThrownBy(() -> Executors.factory("flink")).isInstanceOf(BadInputException.class)
        .hasMessage("engine 'flink' is not in this build (engines: )");
  }
}
