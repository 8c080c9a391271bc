package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.core.testing.ChildJvm;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.products.publish.ProductTables;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types.NestedField;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of a {@code dataops pipeline run --engine flink} process while its write job runs: nothing half-written is
 * visible, and the next run makes exactly one version, equal to Spring Batch's, and removes what the killed one left.
 */
class FlinkKillTest extends HomeCliTest {
  static final String PIPELINE = """
      name: citizens-by-district
      scenario: test
      owner: op
      inputs:
        - table: ods.public_security__citizens
          as: citizens
          columns: [id_card, gender, district_code, monthly_income]
      transform: |
        SELECT id_card AS person, gender, district_code, monthly_income FROM citizens
      policy:
        person: {pseudonymize: hmac-sha256, key: default, length: 20}
        monthly_income: {generalize: buckets, width: 5000}
      privacy:
        quasiIdentifiers: [gender, district_code]
        k: 3
        exempt: {monthly_income: "the income band is what the product publishes, not what an outsider knows"}
      product: citizens-by-district
      """;

  Path home;

  @BeforeEach
  void enrollTheCast() {
    home = dir.resolve("home");
    TestCast.enroll(home);
  }

  @Override
  Path home() {
    return home;
  }

  @Test
  void aRunKilledMidJobLeavesNothingVisibleAndTheNextRunMakesOneVersionEqualToTheReference() throws Exception {
    Path feed = dir.resolve("feeds/citizens.csv");
    assertThat(run(TestCast.PUBLIC_SECURITY, "generate", "--dataset", "citizens", "--rows", "60000", "--out",
        feed.toString()).exit()).isZero();
    assertThat(run(TestCast.PUBLIC_SECURITY, "land", "--department", "public-security", "--dataset", "citizens",
        "--file", feed.toString()).exit()).isZero();
    TestCast.grant(home, "test", "citizens-by-district", "citizens-by-district-reference");
    Path pipelines = Files.createDirectories(dir.resolve("pipelines"));
    Path file = Files.writeString(pipelines.resolve("p.yaml"), PIPELINE);
    // the reference names the product's context: pseudonyms as the product's own, to compare rows with
    Path reference = Files.writeString(pipelines.resolve("reference.yaml"), PIPELINE.replace(
        "product: citizens-by-district", "product: citizens-by-district-reference").replace("length: 20}",
        "length: 20, context: citizens-by-district}"));
    Path data = home.resolve("warehouse/product/citizens_by_district/data");
    Path runs = home.resolve("warehouse/.dataops-runs");

    // The child: `dataops pipeline run --engine flink`, killed as soon as its write job has files.
    List<String> cmd = ChildJvm.command(ChildCli.class, List.of(), List.of("pipeline", "run", file.toString(),
        "--engine", "flink", "--parallelism", "2", "--home", home.toString(), "--as", TestCast.OPERATOR,
        ChildCli.THEN));
    Path log = dir.resolve("child.log");
    Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (files(data).isEmpty() && child.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    child.destroyForcibly(); // SIGKILL while the write job runs
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(files(data)).as("killed while writing: " + Files.readString(log)).isNotEmpty();
    assertThat(files(runs)).as("the killed run's scratch states").isNotEmpty();

    // Nothing half-written is visible: no snapshot of the product, no version in the registry.
    try (Lakehouse lh = Lakehouse.open(LakehouseConfig.embedded(home))) {
      assertThat(lh.load(ProductTables.id("citizens-by-district")).snapshots()).isEmpty();
    }
    CliTest.Run listed = run(TestCast.OPERATOR, "product", "list", "--json");
    assertThat(listed.exit()).as(listed.err()).isZero();
    assertThat(listed.out()).doesNotContain("\"citizens-by-district\"");

    CliTest.Run again = run(TestCast.OPERATOR, "pipeline", "run", file.toString(), "--engine", "flink", "--json");
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.json().get("version").asInt()).isEqualTo(1);
    assertThat(again.json().get("recognized").asBoolean()).isFalse();
    CliTest.Run springBatch = run(TestCast.OPERATOR, "pipeline", "run", reference.toString(), "--json");
    assertThat(springBatch.exit()).as(springBatch.err()).isZero();
    for (String field : List.of("rowsIn", "rowsOut", "rowsSuppressed", "privacy", "leakCheck")) {
      assertThat(again.json().get(field)).as(field).isEqualTo(springBatch.json().get(field));
    }

    try (Lakehouse lh = Lakehouse.open(LakehouseConfig.embedded(home))) {
      Table product = lh.load(ProductTables.id("citizens-by-district"));
      assertThat(product.snapshots()).as("exactly one visible change").hasSize(1);
      assertThat(rows(product)).as("the product's rows")
          .isEqualTo(rows(lh.load(ProductTables.id("citizens-by-district-reference"))));
      Set<Path> published = new HashSet<>();
      for (Snapshot s : product.snapshots()) {
        s.addedDataFiles(product.io()).forEach(f -> published.add(Path.of(java.net.URI.create(
            f.location().replaceFirst("^file:/(?!/)", "file:///")))));
      }
      assertThat(Set.copyOf(files(data))).as("the killed run's uncommitted files are removed").isEqualTo(published);
    }
    assertThat(files(runs)).as("the killed run's scratch folder is removed").isEmpty();
    assertThat(run(TestCast.OPERATOR, "product", "list", "--json").json().toString()
        .split("\"citizens-by-district\"", -1)).as("one version").hasSize(2);
    try (Stream<Path> work = Files.list(home.resolve("tmp"))) {
      assertThat(work.filter(p -> p.getFileName().toString().startsWith("flink-") && Files.isDirectory(p)))
          .as("the killed client's spill folder").isEmpty();
    }
  }

  private static List<Path> files(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return List.of();
    }
    try (Stream<Path> all = Files.walk(folder)) {
      return all.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).toList();
    } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException racing) {
      return List.of(); // a file removed while walking
    }
  }

  /** The current snapshot's rows as a multiset of value lists. */
  private static Map<List<Object>, Integer> rows(Table table) throws IOException {
    List<String> columns = table.schema().columns().stream().map(NestedField::name).toList();
    Map<List<Object>, Integer> out = new HashMap<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      for (Record r : records) {
        List<Object> values = new ArrayList<>();
        for (String c : columns) {
          Object v = r.getField(c);
          values.add(v instanceof BigDecimal d ? d.toPlainString() : v);
        }
        out.merge(values, 1, Integer::sum);
      }
    }
    return out;
  }
}
