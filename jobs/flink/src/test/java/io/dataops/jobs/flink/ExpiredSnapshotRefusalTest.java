package io.dataops.jobs.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.audit.Actor;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.plan.PipelineExecutor;
import io.dataops.pipelines.plan.RunControl;
import io.dataops.pipelines.plan.RunPlan;
import io.dataops.products.publish.ProductTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run whose pinned input snapshot expired between its plan and its first step is refused on either engine, and
 * leaves no scratch folder: before, the Spring Batch engine's refusal left the run's folder (where its leak filter
 * keeps hashes of raw values) and its job for good, though nothing could resume it (the snapshot stays gone; the next
 * run pins the current one and is a run of its own).
 */
class ExpiredSnapshotRefusalTest extends EnginesFixture {

  @ParameterizedTest
  @ValueSource(strings = {"spring-batch", "flink"})
  void aRunWhoseSnapshotExpiredIsRefusedAndLeavesNoScratchFolder(String engine) throws Exception {
    landSample(SampleDataset.CITIZENS, 300, 300, 1);
    BoundPipeline p = bind(ID_REGIONS);
    PipelineExecutor executor = executor(engine, Map.of());
    RunPlan plan = RunPlan.of(p, keys, executor.engine(), lakehouse);
    long pinned = p.inputs().get(0).snapshotId();
    landSample(SampleDataset.CITIZENS, 100, 100, 2);
    Table citizens = lakehouse.load(p.inputs().get(0).table());
    citizens.expireSnapshots().expireSnapshotId(pinned).commit();
    assertThat(lakehouse.load(p.inputs().get(0).table()).snapshot(pinned)).as("expired").isNull();

    for (int attempt = 1; attempt <= 2; attempt++) {
      assertThatThrownBy(() -> executor.run(plan, RunControl.of(Actor.SYSTEM))).as("attempt %d", attempt)
          .isInstanceOf(io.dataops.core.BadInputException.class)
          .hasMessage("snapshot " + pinned + " of ods.public_security__citizens no longer exists (expired); run the "
              + "pipeline again to pin the current one");
      assertThat(scratchFolders()).as("attempt %d: nothing resumes a refusal; its folder is removed", attempt)
          .isEmpty();
    }
    assertThat(lakehouse.exists(ProductTables.id("id-regions"))).as("nothing made").isFalse();

    assertThat(run(engine, bind(ID_REGIONS), Map.of()).version()).as("the next run pins the current snapshot")
        .isEqualTo(1);
  }

  /** The runs' folders left in the executors' work folder: Spring Batch's pipeline-*, Flink's flink-*-<pid>. */
  private List<String> scratchFolders() throws java.io.IOException {
    Path work = dir.resolve("work");
    if (!Files.isDirectory(work)) {
      return List.of();
    }
    try (var list = Files.list(work)) {
      return list.filter(Files::isDirectory).map(f -> f.getFileName().toString())
          .filter(n -> n.startsWith("pipeline-") || n.startsWith("flink-")).toList();
    }
  }
}
