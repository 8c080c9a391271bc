package io.dataops.jobs.flink.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.pipelines.testing.PipelineFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.apache.flink.api.common.TaskInfoImpl;
import org.junit.jupiter.api.Test;

/** The run's states between tasks and client: in the warehouse through FileIO, removed with the run. */
class RunScratchTest extends PipelineFixture {
  @Test
  void smallResultsTravelInTheAccumulatorLargeOnesAsAFileAndTheFolderIsRemoved() throws Exception {
    RunScratch scratch = new RunScratch(lakehouse.io(), lakehouse.config().warehouse() + "/.dataops-runs/abc/1");
    TaskInfoImpl task = new TaskInfoImpl("write", 2, 1, 2, 0);
    byte[] small = {1, 2, 3};
    byte[] large = new byte[RunScratch.ACCUMULATOR_BYTES + 1];
    Arrays.fill(large, (byte) 7);
    byte[] carriedSmall = RunScratch.small(scratch, "findings", task, small);
    byte[] carriedLarge = RunScratch.small(scratch, "findings", task, large);
    assertThat(carriedLarge.length).as("a location, not the bytes").isLessThan(1000);
    assertThat(scratch.large(carriedSmall)).isEqualTo(small);
    assertThat(scratch.large(carriedLarge)).isEqualTo(large);
    Path runs = dir.resolve("home/warehouse/.dataops-runs");
    assertThat(files(runs)).hasSize(1);
    scratch.clear();
    assertThat(files(runs)).isEmpty();
  }

  private static java.util.List<Path> files(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return java.util.List.of();
    }
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile).toList();
    }
  }
}
