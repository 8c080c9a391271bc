package io.dataops.jobs.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.lakehouse.contract.FeedFormat;
import io.dataops.lakehouse.landing.Landing;
import io.dataops.lakehouse.landing.LandingRequest;
import io.dataops.lakehouse.landing.LandingResult;
import io.dataops.lakehouse.sample.GenerateRequest;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.lakehouse.sample.SampleGenerator;
import io.dataops.pipelines.testing.PipelineFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The libraries Flink brings must not break the platform's own (the launcher will carry both). */
class FlinkClassPathTest extends PipelineFixture {
  @Test
  void anExcelFeedIsWrittenAndLandedWithFlinkOnTheClassPath() throws Exception {
    Path file = dir.resolve("enterprises.xlsx");
    SampleGenerator.generate(new GenerateRequest(SampleDataset.ENTERPRISES, 200, file, FeedFormat.XLSX,
        StandardCharsets.UTF_8, 0, 1, 0, 200, 20, false));
    LandingResult r = new Landing(lakehouse).land(new LandingRequest(SampleDataset.ENTERPRISES.department(),
        SampleDataset.ENTERPRISES.dataset(), file, SampleDataset.ENTERPRISES.contract(FeedFormat.XLSX,
            StandardCharsets.UTF_8), null));
    assertThat(r.rowsLanded()).isEqualTo(200);
  }
}
