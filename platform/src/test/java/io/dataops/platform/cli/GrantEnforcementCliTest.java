package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.platform.cli.CliTest.Run;
import io.dataops.platform.config.PlatformConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code pipeline run} reads only under a live grant of the caller's organization, on either engine: the check comes
 * before the engine is picked, so a run without a grant, under an expired, revoked or another operator's grant, or
 * listing a column the grant does not give, is refused (exit 2, one line naming the reason) and reads nothing; a
 * granted run's readers apply the grant's row filter although the pipeline does not, and its audit event names the
 * grant.
 */
class GrantEnforcementCliTest extends HomeCliTest {
  static final String CITIZENS = "ods.public_security__citizens";
  static final List<String> ENGINES = List.of("spring-batch", "flink");
  static final String PLAIN = """
      name: plain
      scenario: test
      owner: op
      inputs:
        - {table: ods.public_security__citizens, as: citizens, columns: [gender, district_code]}
      transform: SELECT gender, district_code FROM citizens
      product: plain
      """;
  Path home;
  Path wide;
  Path plain;

  @Override
  Path home() {
    return home;
  }

  @BeforeEach
  void land() throws Exception {
    home = dir.resolve("home");
    TestCast.enroll(home);
    Path feed = dir.resolve("feeds/c.csv");
    assertThat(run(TestCast.PUBLIC_SECURITY, "generate", "--dataset", "citizens", "--rows", "300", "--out",
        feed.toString()).exit()).isZero();
    assertThat(run(TestCast.PUBLIC_SECURITY, "land", "--department", "public-security", "--dataset", "citizens",
        "--file", feed.toString()).exit()).isZero();
    Path pipelines = Files.createDirectories(dir.resolve("pipelines"));
    wide = Files.writeString(pipelines.resolve("income.yaml"), CliTest.PIPELINE);
    Files.writeString(pipelines.resolve("gate.yaml"), """
        name: gate
        expectations:
          - type: expect_table_row_count_to_be_between
            kwargs: {min_value: 1}
        """);
    plain = Files.writeString(pipelines.resolve("plain.yaml"), PLAIN);
  }

  /** Refused on each engine with {@code expected} in its one line, having read nothing and made no version. */
  void refusedOnBothEngines(Path file, String expected) {
    for (String engine : ENGINES) {
      JsonNode failed = CliTest.failure(run(TestCast.OPERATOR, "pipeline", "run", file.toString(), "--engine", engine,
          "--json"), 2);
      assertThat(failed.get("error").asText()).as(engine).startsWith("dataops: ").contains(expected);
    }
    assertThat(run(TestCast.OPERATOR, "product", "list", "--json").json()).as("no version was made").isEmpty();
    JsonNode runs = run(TestCast.AUDITOR, "audit", "list", "--action", "pipeline.run", "--json").json().get("events");
    runs.forEach(e -> assertThat(e.get("outcome").asText()).isEqualTo("refused"));
    assertThat(runs.toString()).doesNotContain("\"reads\"");
  }

  @Test
  void noGrantAnotherOperatorsAnExpiredAndARevokedGrantAreRefusedOnBothEngines() {
    refusedOnBothEngines(wide, "no grant for scenario 'test': the operator applies for one");

    TestCast.grant(home, TestCast.OTHER_OPERATOR, "other-op", Clock.systemUTC(), "test", List.of("income-by-street"),
        null, null);
    refusedOnBothEngines(wide, "scenario 'test' is granted to other-op, not to op (olivia is not the grantee)");

    long expired = TestCast.grant(home, TestCast.OPERATOR, TestCast.OPERATOR_ORG,
        Clock.offset(Clock.systemUTC(), Duration.ofDays(-60)), "test", List.of("income-by-street"), null, null);
    refusedOnBothEngines(wide, "grant " + expired + " (test) expired at ");

    long revoked = TestCast.grant(home, "test", "income-by-street");
    assertThat(run(TestCast.AUTHORITY, "grant", "revoke", String.valueOf(revoked), "--reason", "withdrawn").exit())
        .isZero();
    refusedOnBothEngines(wide, "grant " + revoked + " (test) was revoked at ");
    // validate says the same without running
    Run validate = run(TestCast.OPERATOR, "pipeline", "validate", wide.toString());
    assertThat(validate.exit()).isEqualTo(2);
    assertThat(validate.err()).contains("grant " + revoked + " (test) was revoked at ");
  }

  /**
   * Found by a probe: another operator, granted for the same scenario and product name, ran a copy of the pipeline
   * with its own organization as owner; its version went into the first operator's product table and its publish
   * superseded the first operator's published version.
   */
  @Test
  void aProductMadeByOneOperatorGetsNoVersionFromAnotherOperatorsPipeline() throws Exception {
    TestCast.grant(home, "test", "plain");
    assertThat(run(TestCast.OPERATOR, "pipeline", "run", plain.toString()).exit()).isZero();
    TestCast.grant(home, TestCast.OTHER_OPERATOR, "other-op", Clock.systemUTC(), "test", List.of("plain"), null, null);
    Path copy = Files.writeString(dir.resolve("pipelines/plain-of-other-op.yaml"),
        PLAIN.replace("owner: op", "owner: other-op"));
    String refusal = "product plain belongs to op, whose pipelines made its versions: a pipeline of other-op cannot "
        + "make a version of it (give the pipeline's product another name)";
    for (String command : List.of("validate", "run")) {
      Run refused = run(TestCast.OTHER_OPERATOR, "pipeline", command, copy.toString());
      assertThat(refused.exit()).as(refused.err()).isEqualTo(2);
      assertThat(refused.err()).isEqualTo("dataops: " + refusal + "\n");
    }
    JsonNode versions = run(TestCast.OPERATOR, "product", "list", "--json").json();
    assertThat(versions.size()).as(versions.toString()).isEqualTo(1);
    JsonNode refusals = run(TestCast.AUDITOR, "audit", "list", "--outcome", "refused", "--json").json().get("events");
    assertThat(refusals.findValuesAsText("command")).as("both refusals are audited")
        .containsExactlyInAnyOrder("pipeline validate", "pipeline run");
    assertThat(refusals.findValuesAsText("reason")).containsOnly(refusal);
    assertThat(refusals.findValuesAsText("actor")).containsOnly(TestCast.OTHER_OPERATOR);
  }

  /** Before, a grant's refusal of the product named neither the pipeline file nor its line, unlike the file's others. */
  @Test
  void aProductTheGrantDoesNotNameIsRefusedAtTheFilesProductLine() {
    long id = TestCast.grant(home, "test", "plain");
    refusedOnBothEngines(wide, "dataops: income.yaml:20: product income-by-street is not among the products grant "
        + id + " (test) was granted for (plain)");
    Run validate = run(TestCast.OPERATOR, "pipeline", "validate", wide.toString());
    assertThat(validate.exit()).isEqualTo(2);
    assertThat(validate.err()).startsWith("dataops: income.yaml:20: product income-by-street is not among");
    JsonNode runs = run(TestCast.AUDITOR, "audit", "list", "--action", "pipeline.run", "--json").json().get("events");
    assertThat(runs.findValues("refusedBy")).as("still a refused grant, which supervision counts").isEmpty();
  }

  @Test
  void aColumnOutsideTheGrantIsRefusedAndTheGrantsRowFilterHoldsOnBothEngines() throws Exception {
    long id = TestCast.grant(home, "test", List.of("income-by-street", "plain"), CITIZENS,
        new TestCast.GrantNarrowing(List.of("phone", "gender", "birth_date", "district_code", "monthly_income"),
            "gender = 'F'"));
    refusedOnBothEngines(wide, "dataops: income.yaml:7: column 'id_card' of " + CITIZENS + " is not granted by grant "
        + id + " (test)");

    long women = women();
    assertThat(women).isPositive().isLessThan(300);
    for (String engine : ENGINES) {
      Run r = run(TestCast.OPERATOR, "pipeline", "run", plain.toString(), "--engine", engine, "--json");
      assertThat(r.exit()).as(engine + ": " + r.err()).isZero();
      assertThat(r.json().get("rowsOut").asLong()).as(engine + ": only the granted rows").isEqualTo(women);
    }
    JsonNode runs = run(TestCast.AUDITOR, "audit", "list", "--action", "pipeline.run", "--json").json().get("events");
    List<Long> grants = new ArrayList<>();
    runs.forEach(e -> {
      if (e.get("outcome").asText().equals("ok")) {
        grants.add(e.at("/details/grant").asLong());
      }
    });
    assertThat(grants).as("each run's event names its grant, for metering").containsExactly(id, id);
  }

  @Test
  void validationReadsNoRowBeforeTheGrantAndOnlyTheGrantedRowsAfter() throws Exception {
    // Found by a probe: the validator's measure of undeclared quasi-identifiers ran the transform over the whole
    // input before any grant was asked, so an operator without a grant learnt from "the transform failed in DuckDB
    // (Conversion Error)" whether some row held some value, and a row filter did not bound what the measure read.
    Path probe = Files.writeString(dir.resolve("pipelines/probe.yaml"), """
        name: probe
        scenario: test
        owner: op
        inputs:
          - {table: ods.public_security__citizens, as: citizens, columns: [gender, district_code]}
        transform: |
          SELECT district_code, count(*) AS n,
                 CAST(max(CASE WHEN gender = 'F' THEN '1' ELSE 'x' END) AS INTEGER) AS boom
          FROM citizens GROUP BY district_code
        privacy: {quasiIdentifiers: [district_code], k: 2, countColumn: n}
        product: probe
        """);
    for (String command : new String[] {"validate", "run"}) {
      Run refused = run(TestCast.OPERATOR, "pipeline", command, probe.toString());
      assertThat(refused.exit()).isEqualTo(2);
      assertThat(refused.err()).as(command).contains("no grant for scenario 'test'").doesNotContain("DuckDB");
    }

    TestCast.grant(home, "test", List.of("probe"), CITIZENS,
        new TestCast.GrantNarrowing(List.of("gender", "district_code"), "gender = 'F'"));
    // Every row of the whole table would fail the cast ('x' for the men); the granted rows are women only.
    Run validated = run(TestCast.OPERATOR, "pipeline", "validate", probe.toString());
    assertThat(validated.exit()).as(validated.err()).isZero();
    Run ran = run(TestCast.OPERATOR, "pipeline", "run", probe.toString(), "--json");
    assertThat(ran.exit()).as(ran.err()).isZero();
    JsonNode checks = run(TestCast.AUDITOR, "audit", "list", "--action", "grant.check", "--json").json()
        .get("events");
    List<String> purposes = new ArrayList<>();
    checks.forEach(e -> purposes.add(e.at("/details/purpose").asText() + " " + e.get("outcome").asText()));
    assertThat(purposes).as("the measure asks before it reads").contains("pipeline measure refused",
        "pipeline measure ok");
  }

  @Test
  void theDetectorSamplesNoRowBeforeTheGrantAndOnlyTheGrantedRowsAfter() throws Exception {
    // Found by a probe: the detector of undeclared personal data sampled 500 rows of each undeclared text column
    // before any grant was asked, so an operator without a grant read from "carries personal data ... (detected: 93%
    // of 300 sampled values look like mobile)" what the rows held, rows the grant keeps from them included.
    // Here every record number but the first 20 rows' is a mobile number; the grant gives those 20 rows only.
    home = dir.resolve("home-of-numbers");
    TestCast.enroll(home);
    Path feed = dir.resolve("numbers/c.csv");
    assertThat(run(TestCast.PUBLIC_SECURITY, "generate", "--dataset", "citizens", "--rows", "300", "--defect-rate",
        "0", "--out", feed.toString()).exit()).isZero();
    List<String> lines = Files.readAllLines(feed, java.nio.charset.StandardCharsets.UTF_8);
    List<String> changed = new ArrayList<>(List.of(lines.get(0)));
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      changed.add(i <= 20 ? line : String.format("139%08d", i) + line.substring(line.indexOf(',')));
    }
    Files.write(feed, changed, java.nio.charset.StandardCharsets.UTF_8);
    Run landed = run(TestCast.PUBLIC_SECURITY, "land", "--department", "public-security", "--dataset", "citizens",
        "--file", feed.toString());
    assertThat(landed.exit()).as(landed.err()).isZero();
    Path keeps = Files.writeString(dir.resolve("pipelines/keeps.yaml"), """
        name: keeps
        scenario: test
        owner: op
        inputs:
          - {table: ods.public_security__citizens, as: citizens, columns: [record_id, gender]}
        transform: SELECT record_id, gender FROM citizens
        product: keeps
        """);
    Run refused = run(TestCast.OPERATOR, "pipeline", "validate", keeps.toString());
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err()).contains("no grant for scenario 'test'").doesNotContain("sampled");

    long some = TestCast.grant(home, "test", List.of("keeps"), CITIZENS,
        new TestCast.GrantNarrowing(List.of("record_id", "gender"), "record_id NOT LIKE '139%'"));
    Run validated = run(TestCast.OPERATOR, "pipeline", "validate", keeps.toString());
    assertThat(validated.exit()).as("the granted rows hold no mobile number: " + validated.err()).isZero();
    JsonNode checks = run(TestCast.AUDITOR, "audit", "list", "--action", "grant.check", "--json").json()
        .get("events");
    List<String> purposes = new ArrayList<>();
    checks.forEach(e -> purposes.add(e.at("/details/purpose").asText() + " " + e.get("outcome").asText()));
    assertThat(purposes).as("one check before the sample (and validate's own report of the grant)")
        .containsExactlyInAnyOrder("pipeline measure refused", "pipeline measure ok", "pipeline validate ok");

    // Under a grant of every row, the sample is of the whole table and finds the mobile numbers.
    assertThat(run(TestCast.AUTHORITY, "grant", "revoke", String.valueOf(some), "--reason", "widened").exit())
        .isZero();
    TestCast.grant(home, "test", List.of("keeps"), CITIZENS,
        new TestCast.GrantNarrowing(List.of("record_id", "gender"), null));
    Run whole = run(TestCast.OPERATOR, "pipeline", "validate", keeps.toString());
    assertThat(whole.exit()).isEqualTo(2);
    assertThat(whole.err()).contains("column 'record_id' carries personal data from citizens.record_id (mobile",
        "93% of 300 sampled values look like mobile)");
  }

  /** The ods rows the department's filter keeps, read from the table itself. */
  long women() throws Exception {
    try (Lakehouse lh = Lakehouse.open(PlatformConfig.load(home, Map.of()).lakehouse());
         CloseableIterable<Record> rows = IcebergGenerics.read(lh.load(TableIdentifier.parse(CITIZENS))).build()) {
      long n = 0;
      for (Record r : rows) {
        n += "F".equals(r.getField("gender")) ? 1 : 0;
      }
      return n;
    }
  }
}
