package io.dataops.jobs.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.jobs.flink.testing.FlinkCluster;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.lakehouse.testing.TestStorage;
import io.dataops.pipelines.run.PipelineRunResult;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A pipeline on a real session cluster with the warehouse in a bucket: the job brings no S3 secret (nor catalog
 * password: {@link ShippedSecretsTest}); the cluster's JVMs read theirs from their own environment
 * ({@code AWS_SECRET_ACCESS_KEY}, which {@link FlinkCluster} gives them), and the product is the in-process one.
 */
class ClusterOnS3Test extends EnginesFixture {
  @Override
  protected LakehouseConfig lakehouseConfig(Path home) {
    return TestStorage.onS3(home);
  }

  @Test
  void theClusterReadsTheSecretFromItsOwnEnvironment() throws Exception {
    landSample(SampleDataset.CITIZENS, 3000, 3000, 1);
    FlinkCluster cluster = FlinkCluster.shared();
    PipelineRunResult onCluster = run("flink", bind(PROFILE), Map.of("flink.cluster",
        cluster.host() + ":" + cluster.restPort(), "flink.parallelism", "2"));
    assertThat(onCluster.rowsIn()).isEqualTo(3000);
    assertThat(onCluster.rowsOut() + onCluster.rowsSuppressed()).isEqualTo(3000);

    PipelineRunResult inProcess = onFlink(bind(PROFILE + "# in process\n"), 2);
    assertThat(rows(onCluster)).isEqualTo(rows(inProcess));
    assertThat(onCluster.privacy()).isEqualTo(inProcess.privacy());
  }
}
