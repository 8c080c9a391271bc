package io.dataops.quality;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.contract.ContractParser;
import io.dataops.lakehouse.landing.Landing;
import io.dataops.lakehouse.landing.LandingRequest;
import io.dataops.lakehouse.landing.LandingResult;
import io.dataops.quality.run.QualityReport;
import io.dataops.quality.run.QualityRunner;
import io.dataops.quality.suite.SuiteParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A lakehouse with crafted tables, and a way to run a suite written inline. */
public abstract class QualityFixture {
  protected static final ObjectMapper JSON = new ObjectMapper();
  @TempDir protected Path dir;
  protected Lakehouse lakehouse;

  @BeforeEach
  void openLakehouse() {
    lakehouse = Lakehouse.open(lakehouseConfig(dir.resolve("home")));
  }

  /** Where the fixture's lakehouse is: the test profile's storage (local, or S3 with -Ddataops.test.storage=s3). */
  protected LakehouseConfig lakehouseConfig(Path home) {
    return io.dataops.lakehouse.testing.TestStorage.embedded(home);
  }

  @AfterEach
  void closeLakehouse() {
    lakehouse.close();
  }

  protected LandingResult land(String dataset, String contract, String csv) throws Exception {
    Path file = dir.resolve(dataset + "-" + System.nanoTime() + ".csv");
    Files.writeString(file, csv, StandardCharsets.UTF_8);
    return new Landing(lakehouse).land(new LandingRequest("dept", dataset, file,
        ContractParser.parse(contract, "contract.yaml"), null));
  }

  protected TableIdentifier table(String dataset) {
    return TableNames.ods("dept", dataset);
  }

  protected QualityReport run(String dataset, String suite) {
    return run(dataset, suite, 2, 64L << 20);
  }

  protected QualityReport run(String dataset, String suite, int threads, long spillBudget) {
    return new QualityRunner(lakehouse, dir.resolve("work"), threads, spillBudget)
        .run(table(dataset), null, SuiteParser.parse(suite, "suite.yaml"));
  }

  protected static JsonNode json(Object value) {
    return JSON.valueToTree(value);
  }

  /** The result of one expectation of {@code type} with {@code kwargs} (a YAML mapping) run on {@code dataset}. */
  protected JsonNode result(String dataset, String type, String kwargs) {
    return json(run(dataset, "name: s\nexpectations:\n  - type: " + type + "\n    kwargs: " + kwargs + "\n")
        .validation().results().get(0));
  }

  /** A map expectation's verdict and counts. */
  protected static void counts(JsonNode r, boolean success, long missing, long unexpected) {
    org.assertj.core.api.Assertions.assertThat(r.get("success").asBoolean()).as(r.toString()).isEqualTo(success);
    org.assertj.core.api.Assertions.assertThat(r.at("/result/missing_count").asLong()).as(r.toString())
        .isEqualTo(missing);
    org.assertj.core.api.Assertions.assertThat(r.at("/result/unexpected_count").asLong()).as(r.toString())
        .isEqualTo(unexpected);
  }
}
