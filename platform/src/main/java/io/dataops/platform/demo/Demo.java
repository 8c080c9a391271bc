package io.dataops.platform.demo;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.contract.ContractRegistry;
import io.dataops.lakehouse.contract.FeedFormat;
import io.dataops.lakehouse.landing.Landing;
import io.dataops.lakehouse.landing.LandingRequest;
import io.dataops.lakehouse.landing.LandingResult;
import io.dataops.lakehouse.landing.ProgressListener;
import io.dataops.lakehouse.sample.GenerateRequest;
import io.dataops.lakehouse.sample.GenerateResult;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.lakehouse.sample.SampleGenerator;
import io.dataops.lakehouse.table.TableBrowser;
import io.dataops.platform.config.PlatformConfig;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole lifecycle on generated sample data, as far as the platform goes today: three departments' feeds in
 * three formats are generated into the landing zone, their contracts registered, the feeds landed; one feed is
 * sent again (recognised as a duplicate) and a later feed with defects shows the quarantine.
 */
public final class Demo {
  static final long SEED = 20261128L;
  static final long CITIZENS = 5_000;
  static final long ENTERPRISES = 600;
  static final long CONTRIBUTIONS = 8_000;

  private Demo() {}

  /** One step of the demo and what the landing reported. */
  public record Step(String step, String department, String dataset, String file, GenerateResult generated,
                     LandingResult landing) {}

  public record Report(String home, List<String> contracts, List<Step> steps, List<TableBrowser.TableSummary> tables) {}

  public static Report run(PlatformConfig config, int workers, ProgressListener progress) {
    Path zone = config.landingZone();
    ContractRegistry contracts = new ContractRegistry(config.contracts());
    List<Step> steps = new ArrayList<>();
    List<String> registered = new ArrayList<>();
    try (Lakehouse lakehouse = Lakehouse.open(config.lakehouse())) {
      Landing landing = new Landing(lakehouse, workers, progress);
      Feed citizens = new Feed(SampleDataset.CITIZENS, FeedFormat.CSV, Charset.forName("GBK"), "citizens-2026-10.csv",
          CITIZENS, 0, 0);
      Feed enterprises = new Feed(SampleDataset.ENTERPRISES, FeedFormat.XLSX, StandardCharsets.UTF_8,
          "enterprises-2026-10.xlsx", ENTERPRISES, 0, 0);
      Feed contributions = new Feed(SampleDataset.SOCIAL_INSURANCE, FeedFormat.JSONL, StandardCharsets.UTF_8,
          "social-insurance-2026-10.jsonl", CONTRIBUTIONS, 0, 0);
      for (Feed feed : List.of(citizens, enterprises, contributions)) {
        GenerateResult g = feed.generate(zone);
        var reg = contracts.register(feed.dataset.department(), feed.dataset.dataset(), Path.of(g.contractFile()));
        registered.add(reg.department() + "/" + reg.dataset());
        steps.add(land("land the first " + feed.dataset.dataset() + " feed (" + feed.format.spelling() + ")",
            landing, reg, g));
      }
      var citizenContract = contracts.find("public-security", "citizens").orElseThrow();
      steps.add(land("send the same citizens file again: recognised, nothing landed", landing, citizenContract,
          citizens.generate(zone)));
      Feed defective = new Feed(SampleDataset.CITIZENS, FeedFormat.CSV, Charset.forName("GBK"),
          "citizens-2026-11.csv", 1_000, CITIZENS, 0.08);
      steps.add(land("a later citizens feed with defects: bad rows quarantined with their reasons", landing,
          citizenContract, defective.generate(zone)));
      return new Report(config.home().toString(), registered, steps, new TableBrowser(lakehouse).list());
    }
  }

  private static Step land(String what, Landing landing, ContractRegistry.Registered contract, GenerateResult g) {
    Path file = Path.of(g.file());
    LandingResult r = landing.land(new LandingRequest(contract.department(), contract.dataset(), file,
        contract.contract(), contract.sha256()));
    return new Step(what, contract.department(), contract.dataset(), file.toString(), g, r);
  }

  private record Feed(SampleDataset dataset, FeedFormat format, Charset encoding, String fileName, long rows,
                      long offset, double defectRate) {
    GenerateResult generate(Path zone) {
      Path out = zone.resolve(dataset.department()).resolve(fileName);
      return SampleGenerator.generate(new GenerateRequest(dataset, rows, out, format, encoding, defectRate, SEED,
          offset, CITIZENS, ENTERPRISES, false));
    }
  }
}
