package io.dataops.lakehouse.landing;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.contract.ContractParser;
import io.dataops.lakehouse.contract.FeedFormat;
import io.dataops.lakehouse.sample.GenerateRequest;
import io.dataops.lakehouse.sample.GenerateResult;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.lakehouse.sample.SampleGenerator;
import java.nio.charset.Charset;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LandingSmokeTest {
  @TempDir Path home;

  @Test
  void landsGeneratedGbkCsv() {
    Path feed = home.resolve("feeds/citizens.csv");
    GenerateResult g = SampleGenerator.generate(new GenerateRequest(SampleDataset.CITIZENS, 20_000, feed,
        FeedFormat.CSV, Charset.forName("GBK"), 0.05, 7, 0, 20_000, 1000, false));
    try (Lakehouse lh = Lakehouse.open(LakehouseConfig.embedded(home))) {
      LandingResult r = new Landing(lh).land(new LandingRequest("public-security", "citizens", feed,
          ContractParser.parse(SampleGenerator.contractPathFor(feed)), null));
      System.out.println(g);
      System.out.println(r);
      assertThat(r.rowsRead()).isEqualTo(20_000);
      assertThat(r.rowsQuarantined()).isEqualTo(g.expectedQuarantined());
    }
  }
}
