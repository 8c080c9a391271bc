package io.dataops.platform.cli;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.contract.ContractParser;
import io.dataops.lakehouse.contract.FeedFormat;
import io.dataops.lakehouse.landing.Landing;
import io.dataops.lakehouse.landing.LandingRequest;
import io.dataops.lakehouse.sample.GenerateRequest;
import io.dataops.lakehouse.sample.GenerateResult;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.lakehouse.sample.SampleGenerator;
import io.dataops.lakehouse.table.TableBrowser;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * Exercises every code path a command loads (each feed format, the catalog, browsing) on a few rows in a
 * temporary folder. The build runs it once to record a class-data-sharing archive, which makes every later
 * command start about a second and a half sooner.
 */
@Command(name = "warmup", hidden = true, description = "Load the platform's classes (used by the build).")
final class WarmupCommand implements Callable<Integer> {
  private final Cli cli;

  WarmupCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws IOException {
    Path tmp = Files.createTempDirectory("dataops-warmup");
    try (Lakehouse lh = Lakehouse.open(LakehouseConfig.embedded(tmp.resolve("home")))) {
      for (FeedFormat format : FeedFormat.values()) {
        for (SampleDataset ds : SampleDataset.values()) {
          Path out = tmp.resolve(ds.dataset() + "." + format.spelling());
          GenerateResult g = SampleGenerator.generate(new GenerateRequest(ds, 200, out, format,
              Charset.forName(format == FeedFormat.CSV ? "GBK" : "UTF-8"), 0.05, 1, 0, 200, 20, false));
          new Landing(lh).land(new LandingRequest(ds.department(), ds.dataset() + "-" + format.spelling(), out,
              withoutNames(ContractParser.parse(Path.of(g.contractFile()))), null));
        }
      }
      TableBrowser browser = new TableBrowser(lh);
      browser.list();
      browser.show(TableNames.ods("public-security", "citizens-csv"), null, 5);
      browser.history(TableNames.ods("public-security", "citizens-csv"));
    } finally {
      try (Stream<Path> files = Files.walk(tmp)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    cli.out.println("warmed up");
    return 0;
  }

  private static io.dataops.lakehouse.contract.FeedContract withoutNames(io.dataops.lakehouse.contract.FeedContract c) {
    return new io.dataops.lakehouse.contract.FeedContract(null, null, c.description(), c.format(), c.encoding(),
        c.header(), c.delimiter(), c.quote(), c.nullValues(), c.dateFormat(), c.timestampFormat(), c.primaryKey(),
        c.sheet(), c.maxRecordBytes(), c.columns(), c.schedule());
  }
}
