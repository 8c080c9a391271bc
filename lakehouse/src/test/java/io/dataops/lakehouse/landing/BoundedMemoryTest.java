package io.dataops.lakehouse.landing;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.core.testing.ChildJvm;
import io.dataops.lakehouse.contract.FeedFormat;
import io.dataops.lakehouse.sample.GenerateRequest;
import io.dataops.lakehouse.sample.GenerateResult;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.lakehouse.sample.SampleGenerator;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Landing streams: a feed whose rows as Java objects would need several times the heap lands in a 128 MB heap.
 * (The benchmark lands 10 million rows under -Xmx512m; this keeps the default test run short.)
 */
class BoundedMemoryTest {
  @TempDir Path dir;

  @Test
  void aLargeFeedLandsInASmallHeap() throws Exception {
    long rows = 600_000;
    GenerateResult g = SampleGenerator.generate(new GenerateRequest(SampleDataset.CITIZENS, rows,
        dir.resolve("big.csv"), FeedFormat.CSV, Charset.forName("GBK"), 0.001, 1, 0, rows, 100, false));
    assertThat(g.bytes()).as("the feed alone is most of the heap").isGreaterThan(85L << 20);
    Path log = dir.resolve("child.log");
    Process child = new ProcessBuilder(ChildJvm.command(LandingChild.class, List.of("-Xmx128m", "-XX:+UseParallelGC"),
        List.of(dir.resolve("home").toString(), g.file(), g.contractFile(), dir.resolve("marker").toString(),
        String.valueOf(Long.MAX_VALUE), "public-security", "citizens")))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(child.waitFor(180, TimeUnit.SECONDS)).isTrue();
    String output = Files.readString(log);
    assertThat(child.exitValue()).as(output).isZero();
    assertThat(output).contains("landed " + (rows - g.expectedQuarantined()));
  }
}
