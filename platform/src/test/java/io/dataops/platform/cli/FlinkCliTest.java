package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.platform.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code dataops pipeline run FILE --engine flink}: the same product and report as Spring Batch, its JSON, errors. */
class FlinkCliTest {
  @org.junit.jupiter.api.io.TempDir Path dir;
  /** Who the next commands act as. */
  String as;

  @org.junit.jupiter.api.BeforeEach
  void enrollTheCast() {
    TestCast.enroll(dir.resolve("home"));
  }

  CliTest.Run run(String... args) {
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.addAll(List.of("--home", dir.resolve("home").toString(), "--as", as));
    return CliTest.exactly(all.toArray(String[]::new));
  }
  @Test
  void aPipelineRunsOnFlinkThroughTheCommandLineAsOnSpringBatch() throws Exception {
    as = TestCast.PUBLIC_SECURITY;
    Path feed = dir.resolve("feeds/citizens.csv");
    assertThat(run("generate", "--dataset", "citizens", "--rows", "1500", "--out", feed.toString()).exit()).isZero();
    assertThat(run("land", "--department", "public-security", "--dataset", "citizens", "--file", feed.toString())
        .exit()).isZero();
    as = TestCast.OPERATOR;
    TestCast.grant(dir.resolve("home"), "test", "income-by-street");
    Path pipelines = Files.createDirectories(dir.resolve("pipelines"));
    Path file = pipelines.resolve("income.yaml");
    Files.writeString(file, CliTest.PIPELINE);
    Files.writeString(pipelines.resolve("gate.yaml"), """
        name: gate
        expectations:
          - type: expect_table_row_count_to_be_between
            kwargs: {min_value: 1}
          - type: expect_column_value_lengths_to_be_between
            kwargs: {column: person, min_value: 24, max_value: 24}
        """);
    CliTest.Run valid = run("pipeline", "validate", file.toString(), "--engine", "flink", "--json");
    assertThat(valid.exit()).as(valid.err()).isZero();
    assertThat(valid.json().get("engine").asText()).isEqualTo("flink");

    CliTest.Run flink = run("pipeline", "run", file.toString(), "--engine", "flink", "--parallelism", "2", "--json");
    assertThat(flink.exit()).as(flink.err()).isZero();
    JsonNode f = flink.json();
    for (String field : List.of("product", "version", "engine", "snapshotId", "inputs", "rowsIn", "rowsOut",
        "rowsSuppressed", "privacy", "leakCheck")) {
      assertThat(f.has(field)).as(field).isTrue();
    }
    assertThat(f.get("engine").asText()).isEqualTo("flink");
    assertThat(f.get("version").asInt()).isEqualTo(1);
    assertThat(f.get("rowsIn").asLong()).isEqualTo(1500);
    assertThat(f.get("leakCheck").asText()).isEqualTo("passed");
    assertThat(f.at("/quality/passed").asBoolean()).isTrue();
    assertThat(f.get("recognized").asBoolean()).isFalse();

    CliTest.Run again = run("pipeline", "run", file.toString(), "--engine", "flink", "--json");
    assertThat(again.json().get("recognized").asBoolean()).as("the same run is recognized").isTrue();
    assertThat(again.json().get("snapshotId").asLong()).isEqualTo(f.get("snapshotId").asLong());

    CliTest.Run batch = run("pipeline", "run", file.toString(), "--json");
    JsonNode b = batch.json();
    assertThat(b.get("engine").asText()).isEqualTo("spring-batch");
    assertThat(b.get("version").asInt()).as("another engine is another run").isEqualTo(2);
    for (String field : List.of("rowsIn", "rowsOut", "rowsSuppressed", "privacy", "leakCheck", "unfitValues")) {
      assertThat(f.get(field)).as(field).isEqualTo(b.get(field));
    }
    CliTest.Run shown = run("product", "show", "income-by-street", "1", "--json");
    assertThat(shown.json().at("/lineage/engine").asText()).isEqualTo("flink");

    // What Flink cannot run as DuckDB does is refused at its line, as bad input.
    Files.writeString(file, CliTest.PIPELINE.replace("SELECT id_card AS person,",
        "SELECT id_card AS person, CAST(CAST(monthly_income AS DOUBLE) AS VARCHAR) AS income_text,"));
    CliTest.Run refused = run("pipeline", "validate", file.toString(), "--engine", "flink");
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err()).startsWith("dataops: income.yaml:9: transform: a DOUBLE turned into text is written "
        + "differently by the engines").hasLineCount(1);
    assertThat(run("pipeline", "validate", file.toString()).exit()).as("Spring Batch runs it").isZero();
    JsonNode failed = CliTest.failure(run("pipeline", "run", file.toString(), "--engine", "flink", "--json"), 2);
    assertThat(failed.get("engine").asText()).isEqualTo("flink");
    assertThat(run("pipeline", "run", file.toString(), "--engine", "flink", "--parallelism", "0").err())
        .isEqualTo("dataops: --parallelism is a whole number from 1 to 256, not 0\n");
  }

  @Test
  void aBadClusterAddressIsRefusedNamingTheSetting() throws Exception {
    as = TestCast.PUBLIC_SECURITY;
    Path feed = dir.resolve("feeds/citizens.csv");
    assertThat(run("generate", "--dataset", "citizens", "--rows", "100", "--out", feed.toString()).exit()).isZero();
    assertThat(run("land", "--department", "public-security", "--dataset", "citizens", "--file", feed.toString())
        .exit()).isZero();
    TestCast.grant(dir.resolve("home"), "test", "income-by-street");
    Path file = Files.writeString(Files.createDirectories(dir.resolve("pipelines")).resolve("p.yaml"),
        CliTest.PIPELINE.replace("quality: {suite: gate.yaml}\n", ""));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = Main.run(new String[] {"pipeline", "run", file.toString(), "--engine", "flink", "--home",
        dir.resolve("home").toString(), "--as", TestCast.OPERATOR}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("DATAOPS_FLINK_CLUSTER", "jobmanager"));
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("dataops: flink.cluster is the JobManager's REST "
        + "address, HOST:PORT (e.g. flink-jm:8081), not 'jobmanager'\n");
  }
}
