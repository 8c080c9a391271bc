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
import io.dataops.pipelines.desensitize.TestKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** An embedded lakehouse with the sample departments' data landed, and keys for the policies. */
public abstract class PipelineFixture {
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
}
