package io.dataops.pipelines.testing;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.contract.ContractParser;
import io.dataops.lakehouse.contract.FeedFormat;
import io.dataops.lakehouse.landing.Landing;
import io.dataops.lakehouse.landing.LandingRequest;
import io.dataops.lakehouse.landing.LandingResult;
import io.dataops.lakehouse.sample.GenerateRequest;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.lakehouse.sample.SampleGenerator;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.definition.KeepLimits;
import io.dataops.pipelines.definition.PipelineParser;
import io.dataops.pipelines.definition.PipelineValidator;
import io.dataops.pipelines.desensitize.TestKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** An embedded lakehouse with the sample departments' data landed, and keys for the policies. */
public abstract class PipelineFixture {
  /**
   * An ID number kept but for its check character, exempted from k: the platform's limits refuse it at validation,
   * and bound without them ({@link #bindWithoutLimits}) every row's ID rebuilds through its check character, which
   * the run's leak check must catch. Over the citizens sample; the product is named {@code id-display}.
   */
  public static final String ID_DISPLAY = """
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

  /**
   * The citizens' profile both engines' tests run: a pseudonym, a removed name, a masked mobile, birth years, street
   * addresses and income buckets, k=3 on (birth year, sex, sub-district). Over the citizens sample; the product is
   * named {@code citizens-profile}.
   */
  public static final String PROFILE = """
      name: citizens-profile
      scenario: 社区服务人口结构分析
      owner: futian-operator
      inputs:
        - table: ods.public_security__citizens
          as: citizens
          columns: [id_card, name, phone, gender, birth_date, address, district_code, monthly_income]
      transform: |
        SELECT id_card AS person_key, name, phone, gender, birth_date, address, district_code, monthly_income
        FROM citizens
      policy:
        person_key: {pseudonymize: hmac-sha256, key: default, length: 20}
        name: remove
        phone: {mask: mobile, keepFirst: 3, keepLast: 0}
        birth_date: {generalize: year}
        address: {generalize: address, level: street}
        monthly_income: {generalize: buckets, boundaries: [0, 3000, 6000, 10000, 20000]}
      privacy: {quasiIdentifiers: [birth_date, gender, district_code], k: 3}
      product: citizens-profile
      """;

  /**
   * Every row's ID number masked but for its region: nothing leaks, and over the citizens sample a crowded leak
   * filter makes thousands of chance hits for the check to clear. The product is named {@code id-regions}.
   */
  public static final String ID_REGIONS = """
      name: id-regions
      scenario: test
      owner: op
      inputs:
        - {table: ods.public_security__citizens, as: citizens, columns: [id_card, gender, district_code]}
      policy:
        id_card: {mask: custom, keepFirst: 6}
      privacy: {quasiIdentifiers: [gender, district_code], k: 2}
      product: id-regions
      """;

  @TempDir protected Path dir;
  protected Lakehouse lakehouse;
  protected final TestKeys keys = new TestKeys().with("default", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
      .with("fpe", "2B7E151628AED2A6ABF7158809CF4F3C");

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

  /** Lands {@code rows} generated rows of a sample dataset (a population of {@code population} people). */
  protected LandingResult landSample(SampleDataset dataset, long rows, long population, long seed) throws Exception {
    Path file = dir.resolve(dataset.dataset() + "-" + seed + ".csv");
    SampleGenerator.generate(new GenerateRequest(dataset, rows, file, FeedFormat.CSV, StandardCharsets.UTF_8, 0,
        seed, 0, population, Math.max(1, population / 10), false));
    return new Landing(lakehouse).land(new LandingRequest(dataset.department(), dataset.dataset(), file,
        dataset.contract(FeedFormat.CSV, StandardCharsets.UTF_8), null));
  }

  protected LandingResult land(String department, String dataset, String contract, String csv) throws Exception {
    Path file = dir.resolve(dataset + "-" + System.nanoTime() + ".csv");
    Files.writeString(file, csv, StandardCharsets.UTF_8);
    return new Landing(lakehouse).land(new LandingRequest(department, dataset, file,
        ContractParser.parse(contract, "contract.yaml"), null));
  }

  protected Path write(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  /** A pipeline bound without the platform's keep limits: how a test reaches the run's own checks. */
  protected BoundPipeline bindWithoutLimits(String yaml) {
    return new PipelineValidator(lakehouse, keys, new KeepLimits(Map.of())).bind(PipelineParser.parse(yaml, "p.yaml"),
        dir);
  }

  /**
   * Runs {@code body} with the given system properties set (the engines' in-process test knobs), then restores each
   * property as it was.
   */
  public static <T> T withProperties(Map<String, String> properties, Callable<T> body) throws Exception {
    Map<String, String> before = new HashMap<>();
    properties.forEach((k, v) -> before.put(k, System.setProperty(k, v)));
    try {
      return body.call();
    } finally {
      before.forEach((k, v) -> {
        if (v == null) {
          System.clearProperty(k);
        } else {
          System.setProperty(k, v);
        }
      });
    }
  }
}
