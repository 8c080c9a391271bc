package io.dataops.jobs.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.run.PipelineRunResult;
import io.dataops.products.registry.ProductVersion;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import io.dataops.products.publish.ProductTables;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

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

  /**
   * kill -9 at each commit point of an incremental run, with new rows landed before the next run: the next runs lose
   * no input row and double none (their product equals the full run's over the same snapshot).
   */
  @ParameterizedTest
  @CsvSource({"spring-batch,staged", "spring-batch,published", "flink,staged", "flink,published"})
  void aRunKilledAtACommitPointLosesAndDoublesNoRow(String engine, String point) throws Exception {
    land(300, 1);
    Path file = write("inc.yaml", pipeline("citizens-inc", "incremental"));
    PipelineRunResult v1 = run(engine, bind(pipeline("citizens-inc", "incremental")));
    long s2 = land(200, 2);
    Path marker = dir.resolve("paused");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("--add-")).forEach(
        command::add);
    command.addAll(List.of("-Xmx768m", "-Ddataops.test.pause-at=" + point, "-Ddataops.test.pause-marker=" + marker,
        "-cp", System.getProperty("java.class.path"), IncrementalChild.class.getName(), dir.resolve("home").toString(),
        file.toString(), dir.resolve("child-work").toString(), keysFile.toString(), engine));
    Process child = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("child.log").toFile()).start();
    long deadline = System.nanoTime() + 180_000_000_000L;
    while (!Files.exists(marker) && child.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(Files.exists(marker)).as(Files.readString(dir.resolve("child.log"))).isTrue();
    child.destroyForcibly(); // SIGKILL at the commit point
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(registry().list("citizens-inc")).as("the killed run recorded nothing").hasSize(1);
    long current = lakehouse.load(ProductTables.id("citizens-inc")).currentSnapshot().snapshotId();
    assertThat(current == v1.snapshotId()).as("made current by the killed run").isEqualTo(point.equals("staged"));

    long s3 = land(150, 3);
    PipelineRunResult next = run(engine, bind(pipeline("citizens-inc", "incremental")));
    PipelineRunResult last = run(engine, bind(pipeline("citizens-inc", "incremental")));
    if (point.equals("published")) {
      // the killed run's commit is finished (recorded as it was: up to s2), then the next run reads s2..s3
      assertThat(version(next).lineage().inputs()).isEqualTo(Map.of(TABLE, s2));
      assertThat(next.rowsIn()).isEqualTo(200);
      assertThat(version(last).lineage().inputsFrom()).isEqualTo(Map.of(TABLE, s2));
      assertThat(last.rowsIn()).isEqualTo(150);
    } else {
      // the staged snapshot never became current: the next run reads everything after v1
      assertThat(next.rowsIn()).isEqualTo(350);
      assertThat(last.recognized()).isTrue();
    }
    assertThat(version(last).lineage().inputs()).isEqualTo(Map.of(TABLE, s3));
    PipelineRunResult full = run(engine, bind(pipeline("citizens-full", "full")));
    assertThat(rows(last)).as("no row lost, none doubled").isEqualTo(rows(full));
    assertThat(full.rowsIn()).isEqualTo(650);
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
