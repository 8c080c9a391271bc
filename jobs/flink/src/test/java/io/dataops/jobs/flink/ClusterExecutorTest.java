package io.dataops.jobs.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.jobs.flink.testing.FlinkCluster;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.run.PipelineRunResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A pipeline on a real standalone session cluster (JobManager and TaskManager JVMs): submitted with the job jar, its
 * tasks reading their keys from the keys file, it gives the product the in-process mini-cluster gives.
 */
class ClusterExecutorTest extends EnginesFixture {
  @Test
  void aPipelineOnTheClusterGivesTheProductItGivesInProcess() throws Exception {
    landSample(SampleDataset.CITIZENS, 3000, 3000, 1);
    FlinkCluster cluster = FlinkCluster.shared();
    BoundPipeline p = bind(PROFILE);
    PipelineRunResult onCluster = run("flink", p, Map.of("flink.cluster", cluster.host() + ":" + cluster.restPort(),
        "flink.parallelism", "2"));
    assertThat(onCluster.engine()).isEqualTo("flink");
    assertThat(onCluster.rowsSuppressed()).isPositive();

    BoundPipeline again = bind(PROFILE + "# in process\n");
    PipelineRunResult inProcess = onFlink(again, 2);
    assertThat(rows(onCluster)).isEqualTo(rows(inProcess));
    assertThat(onCluster.privacy()).isEqualTo(inProcess.privacy());
    assertThat(version(onCluster).lineage().leakCheck()).isEqualTo(version(inProcess).lineage().leakCheck());
    assertThat(dir.resolve("work/flink-job.jar")).as("the job jar the jobs were submitted with").exists();
  }
}
