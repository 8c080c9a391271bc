package io.dataops.jobs.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.jobs.flink.testing.FlinkCluster;
import io.dataops.products.registry.ProductVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarOutputStream;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The copy job on a real standalone session cluster (separate JobManager and TaskManager JVMs). */
class ClusterCopyTest extends CopyFixture {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterCopyTest.class);

  @Test
  void theJobSubmittedWithTheJobJarWritesTheSameRowsAsInProcessAndIsPublished() {
    FlinkCluster cluster = FlinkCluster.shared();
    Path jar = JobJar.write(dir.resolve("job.jar"));
    assertThat(JobJar.entries(jar)).as("only the job's classes").allMatch(e -> e.startsWith(JobJar.PACKAGE)
        || e.startsWith("META-INF/")).contains(JobJar.PACKAGE + "UncommittedWriter.class");
    Table product = productTable();
    SnapshotCopy onCluster = new SnapshotCopy(FlinkEngine.remote(cluster.host(), cluster.restPort(), jar), lakehouse);

    long t0 = System.nanoTime();
    SnapshotCopy.Result first = onCluster.run(read(this.first), product, product.schema(), 1);
    long firstMillis = (System.nanoTime() - t0) / 1_000_000;
    t0 = System.nanoTime();
    SnapshotCopy.Result remote = onCluster.run(read(second), product, product.schema(), 2);
    long secondMillis = (System.nanoTime() - t0) / 1_000_000;
    LOG.info("cluster start {} ms; job round trips (plan, submit, run, result) {} ms at parallelism 1, {} ms at 2",
        cluster.startMillis(), firstMillis, secondMillis);

    Map<List<Object>, Integer> atSecond = snapshotRows(second);
    assertThat(fileRows(product, first.locations())).isEqualTo(snapshotRows(this.first));
    assertThat(remote.rows()).isEqualTo(FIRST_ROWS + SECOND_ROWS);
    assertThat(fileRows(product, remote.locations())).isEqualTo(atSecond);
    SnapshotCopy.Result local = new SnapshotCopy(FlinkEngine.local(), lakehouse).run(read(second), product,
        product.schema(), 2);
    assertThat(fileRows(product, local.locations())).as("the same rows in process").isEqualTo(atSecond);

    ProductVersion v = publish(remote, second, "cluster-copy");
    assertThat(versionRows(v)).isEqualTo(atSecond);
  }

  @Test
  void theClusterHasNoJobClassesOfItsOwn() throws Exception {
    FlinkCluster cluster = FlinkCluster.shared();
    Path empty = dir.resolve("empty.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(empty))) {
      out.finish();
    }
    Table product = productTable();
    SnapshotCopy withoutJar = new SnapshotCopy(FlinkEngine.remote(cluster.host(), cluster.restPort(), empty),
        lakehouse);
    assertThatThrownBy(() -> withoutJar.run(read(first), product, product.schema(), 1))
        .satisfies(e -> assertThat(causes(e)).contains("ClassNotFoundException: io.dataops.jobs.flink."));
    product.refresh();
    assertThat(product.currentSnapshot()).isNull();
  }

  private static String causes(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable c = e; c != null; c = c.getCause()) {
      all.append(c).append('\n');
    }
    return all.toString();
  }
}
