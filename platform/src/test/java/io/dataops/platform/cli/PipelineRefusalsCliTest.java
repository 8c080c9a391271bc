package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.platform.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pipelines the platform refuses, as an operator meets them on the command line: exit 2 and one line saying why. */
class PipelineRefusalsCliTest {
  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  /** Who the commands act as: the operator that owns the pipelines (its department lands the feed first). */
  String as = TestCast.OPERATOR;

  Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--home");
    all.add(dir.resolve("home").toString());
    all.addAll(List.of("--as", as));
    int exit = Main.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @BeforeEach
  void landCitizens() {
    TestCast.enroll(dir.resolve("home"));
    as = TestCast.PUBLIC_SECURITY;
    Path feed = dir.resolve("citizens.csv");
    assertThat(run("generate", "--dataset", "citizens", "--rows", "1000", "--out", feed.toString()).exit()).isZero();
    assertThat(run("land", "--department", "public-security", "--dataset", "citizens", "--file", feed.toString())
        .exit()).isZero();
    as = TestCast.OPERATOR;
    TestCast.grant(dir.resolve("home"), "test", "id-numbers", "id-display");
  }

  @Test
  void aTransformThatFailsOnTheDataIsBadInputEveryTimeUntilThePipelineChanges() throws Exception {
    Path file = dir.resolve("ids.yaml");
    String pipeline = """
        name: id-numbers
        scenario: test
        owner: op
        inputs:
          - {table: ods.public_security__citizens, as: citizens, columns: [id_card, gender]}
        transform: SELECT CAST(id_card AS BIGINT) AS n, gender FROM citizens
        policy: {n: suppress}
        privacy: {quasiIdentifiers: [gender], k: 2}
        product: id-numbers
        """;
    Files.writeString(file, pipeline);
    assertThat(run("pipeline", "validate", file.toString()).exit()).isZero();
    String reason = "dataops: pipeline id-numbers failed on its input data, nothing was published: Conversion Error: "
        + "Could not convert string '…' to INT64 when casting from source column id_card (change the transform or "
        + "the data: this run will not be resumed)\n";
    for (int attempt = 0; attempt < 2; attempt++) {
      Run r = run("pipeline", "run", file.toString());
      assertThat(r.exit()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).isEqualTo(reason);
    }
    assertThat(run("product", "list").out()).doesNotContain("id-numbers");

    Files.writeString(file, pipeline.replace("CAST(id_card AS BIGINT)", "char_length(id_card)"));
    Run fixed = run("pipeline", "run", file.toString());
    assertThat(fixed.exit()).as(fixed.err()).isZero();
    assertThat(fixed.out()).startsWith("product id-numbers version 1 (draft)");
  }

  /**
   * A run whose version was made but whose {@code pipeline.run} event was not (a kill, or a full platform database,
   * in between): the same command, recognized, records that run's event late, with its reads, before its own.
   */
  @Test
  void aRunWhoseEventWasLostIsRecordedLateWhenTheSameCommandIsRecognized() throws Exception {
    Path file = dir.resolve("lengths.yaml");
    Files.writeString(file, """
        name: id-numbers
        scenario: test
        owner: op
        inputs:
          - {table: ods.public_security__citizens, as: citizens, columns: [id_card, gender]}
        transform: SELECT char_length(id_card) AS n, gender FROM citizens
        privacy: {quasiIdentifiers: [n, gender], k: 2}
        product: id-numbers
        """);
    io.dataops.platform.config.PlatformConfig config = io.dataops.platform.config.PlatformConfig.load(
        dir.resolve("home"), Map.of());
    // The platform database full when the run's event is recorded: every other event goes nowhere.
    io.dataops.core.audit.AuditSink full = event -> {
      if (event.action().equals("pipeline.run")) {
        throw new IllegalStateException("cannot record audit event pipeline.run in the platform database: "
            + "[SQLITE_FULL] Insertion failed because database is full (database or disk is full)");
      }
    };
    try (io.dataops.lakehouse.catalog.Lakehouse lh = io.dataops.lakehouse.catalog.Lakehouse.open(config.lakehouse())) {
      io.dataops.platform.pipeline.PipelineRuns runs = new io.dataops.platform.pipeline.PipelineRuns(config, lh, 2)
          .as(new io.dataops.core.audit.Actor(TestCast.OPERATOR, TestCast.OPERATOR_ORG, java.util.Set.of("operator")),
              full);
      var bound = runs.validate(file);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> runs.run(bound, "spring-batch", rows -> { }))
          .hasMessageContaining("SQLITE_FULL");
    }

    Run again = run("pipeline", "run", file.toString());
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.out()).contains("this run was done before");
    as = TestCast.AUDITOR;
    com.fasterxml.jackson.databind.JsonNode events = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        run("audit", "list", "--action", "pipeline.run", "--oldest-first", "--json").out()).get("events");
    assertThat(events).hasSize(2);
    com.fasterxml.jackson.databind.JsonNode late = events.get(0).get("details");
    com.fasterxml.jackson.databind.JsonNode recognized = events.get(1).get("details");
    assertThat(late.get("recordedLate").asBoolean()).isTrue();
    assertThat(late.get("recognized").asBoolean()).isFalse();
    assertThat(late.get("reads")).as("what the run read, for metering").isNotEmpty();
    assertThat(late.get("runKey")).isEqualTo(recognized.get("runKey"));
    assertThat(late.get("version").asInt()).isEqualTo(1);
    assertThat(recognized.get("recognized").asBoolean()).isTrue();
    assertThat(recognized.get("reads")).isEmpty();
    assertThat(recognized.has("recordedLate")).isFalse();

    as = TestCast.OPERATOR;
    assertThat(run("pipeline", "run", file.toString()).exit()).isZero();
    as = TestCast.AUDITOR;
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(run("audit", "list", "--action",
        "pipeline.run", "--json").out()).get("events")).as("recorded late once").hasSize(3);
  }

  /**
   * A row-level product of masked identifiers with no privacy section (found by a probe: published each person's
   * values with a warning only): validate and run refuse it at the product's line, naming the columns, and make
   * nothing.
   */
  @Test
  void aProductOfPersonalValuesWithoutPrivacyIsRefusedAtItsLineAndNothingIsMade() throws Exception {
    Path file = dir.resolve("ids.yaml");
    String pipeline = """
        name: id-display
        scenario: test
        owner: op
        inputs:
          - {table: ods.public_security__citizens, as: citizens, columns: [id_card, phone, gender]}
        policy:
          id_card: {mask: id_card}
          phone: {mask: mobile}
        product: id-display
        """;
    Files.writeString(file, pipeline);
    for (String command : List.of("validate", "run")) {
      Run r = run("pipeline", command, file.toString());
      assertThat(r.exit()).as(command + ": " + r.err()).isEqualTo(2);
      assertThat(r.err()).as(command).startsWith("dataops: ids.yaml:9: the product holds values derived from "
          + "personal data (id_card, phone) but declares no privacy: declare privacy: with k and the "
          + "quasi-identifiers").endsWith(")\n");
      assertThat(r.err().lines()).as(command).hasSize(1);
    }
    assertThat(run("table", "list").out()).doesNotContain("id_display");
    assertThat(run("product", "list").out()).doesNotContain("id-display");

    Files.writeString(file, pipeline.replace("product:", "privacy: {quasiIdentifiers: [gender], k: 2}\nproduct:"));
    Run declared = run("pipeline", "validate", file.toString());
    assertThat(declared.exit()).as("the same product declaring privacy: " + declared.err()).isZero();
  }

  @Test
  void aMaskKeepingMoreThanTheLimitIsRefusedExemptionOrNotAndTheAuthorityMayTightenIt() throws Exception {
    Path file = dir.resolve("ids.yaml");
    String pipeline = """
        name: id-display
        scenario: test
        owner: op
        inputs:
          - {table: ods.public_security__citizens, as: citizens, columns: [id_card, gender, district_code]}
        policy:
          id_card: {mask: custom, keepFirst: 17}
        privacy:
          quasiIdentifiers: [gender, district_code]
          k: 2
          exempt: {id_card: "only the check character is hidden, which identifies no one"}
        product: id-display
        """;
    Files.writeString(file, pipeline);
    String refusal = "dataops: ids.yaml:7: column 'id_card': mask custom (keep first 17, last 0) shows more of id_card "
        + "values than the limit for id_card: the first 6 and the last 4 characters at most\n";
    for (String command : List.of("validate", "run")) {
      Run r = run("pipeline", command, file.toString());
      assertThat(r.exit()).as(r.out()).isEqualTo(2);
      assertThat(r.err()).isEqualTo(refusal);
    }
    assertThat(run("table", "list").out()).doesNotContain("id_display");
    assertThat(run("product", "list").out()).doesNotContain("id-display");

    Files.writeString(file, pipeline.replace("{mask: custom, keepFirst: 17}", "{mask: id_card}"));
    assertThat(run("pipeline", "validate", file.toString()).exit()).isZero();
    Files.writeString(dir.resolve("home/dataops.properties"), "mask.limit.id_card = 4+4\n");
    Run stricter = run("pipeline", "validate", file.toString());
    assertThat(stricter.exit()).isEqualTo(2);
    assertThat(stricter.err()).isEqualTo("dataops: ids.yaml:7: column 'id_card': mask id_card (keep first 6, last 4) "
        + "shows more of id_card values than the limit for id_card: the first 4 and the last 4 characters at most\n");
  }
}
