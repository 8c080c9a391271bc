package io.dataops.jobs.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The privacy classes and the leak filter, which run at once, each give DuckDB half the run's memory limit. */
class RunStateTest {
  @Test
  void halfOfAMemoryLimitInDuckDbsUnits() {
    assertThat(RunState.half("256MB")).isEqualTo("128000KB");
    assertThat(RunState.half(RunSettings.duckMemoryFor(512L << 20))).as("the floor beside -Xmx512m").isEqualTo("64000KB");
    assertThat(RunState.half("1GiB")).isEqualTo("536870KB");
    assertThat(RunState.half(" 1.5 gb")).isEqualTo("750000KB");
    assertThat(RunState.half("4096")).as("bytes").isEqualTo("2KB");
  }

  @Test
  void somethingElseIsRefusedRatherThanLeftWhole() {
    assertThatThrownBy(() -> RunState.half("80%")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a DuckDB memory limit: 80%");
  }
}
