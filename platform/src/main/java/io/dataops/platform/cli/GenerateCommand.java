package io.dataops.platform.cli;

import io.dataops.core.BadInputException;
import io.dataops.lakehouse.contract.FeedFormat;
import io.dataops.lakehouse.landing.ProgressListener;
import io.dataops.lakehouse.sample.GenerateRequest;
import io.dataops.lakehouse.sample.GenerateResult;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.lakehouse.sample.SampleGenerator;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Write a deterministic synthetic department feed (and FILE.contract.yaml beside it). Datasets: "
        + "citizens (public-security), enterprises (market-regulation), social-insurance (human-resources).")
final class GenerateCommand implements Callable<Integer> {
  private final Cli cli;
  final CommonOptions common;

  @Option(names = "--dataset", required = true, paramLabel = "NAME") String dataset;
  @Option(names = "--rows", required = true, paramLabel = "N") long rows;
  @Option(names = "--out", required = true, paramLabel = "FILE") Path out;
  @Option(names = "--format", paramLabel = "csv|jsonl|parquet|xlsx",
      description = "Default: from the file name, else csv.") String format;
  @Option(names = "--encoding", defaultValue = "UTF-8", paramLabel = "UTF-8|GBK|GB18030") String encoding;
  @Option(names = "--defect-rate", defaultValue = "0", paramLabel = "R",
      description = "Share of rows with a planted defect (contract violations and quality defects).") double defectRate;
  @Option(names = "--seed", defaultValue = "42", paramLabel = "S") long seed;
  @Option(names = "--offset", defaultValue = "0", paramLabel = "K",
      description = "Index of the first row: a later feed of new records starts where the last ended.") long offset;
  @Option(names = "--population", paramLabel = "P",
      description = "Size of the citizen registry that linked rows refer to (default: 10000).") Long population;
  @Option(names = "--enterprises", defaultValue = "1000", paramLabel = "E",
      description = "Size of the enterprise register that linked rows refer to.") long enterprises;
  @Option(names = "--crlf", description = "End CSV lines with CR LF.") boolean crlf;

  GenerateCommand(Cli cli) {
    this.cli = cli;
    this.common = cli.common;
  }

  @Override
  public Integer call() {
    // The sample and its contract are not written over the home's keys or database (found by a probe: --out
    // secrets/keys.properties replaced the keys, and no pseudonym could be matched again); the home is not opened.
    OutputPaths.outsideHome(io.dataops.platform.config.PlatformConfig.resolveHome(common.home, cli.env), out, "--out");
    SampleDataset ds = SampleDataset.parse(dataset);
    FeedFormat f;
    try {
      f = format != null ? FeedFormat.parse(format) : java.util.Objects.requireNonNullElse(
          FeedFormat.fromFileName(out.getFileName().toString()), FeedFormat.CSV);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage());
    }
    Charset cs;
    try {
      cs = Charset.forName(encoding);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("unknown encoding '" + encoding + "'");
    }
    GenerateRequest req;
    try {
      req = new GenerateRequest(ds, rows, out, f, cs, defectRate, seed, offset,
          population != null ? population : 10_000, enterprises, crlf);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage());
    }
    ProgressListener progress = Progress.on(cli.err, "generating " + out.getFileName());
    GenerateResult r;
    try {
      r = SampleGenerator.generate(req, progress);
    } finally {
      Progress.finish(progress);
    }
    StringBuilder text = new StringBuilder(String.format("wrote %,d %s rows of %s/%s to %s (%,d bytes)%n  contract: %s%n",
        r.rows(), r.format() + (r.encoding() == null ? "" : " " + r.encoding()), r.department(), r.dataset(), r.file(),
        r.bytes(), r.contractFile()));
    if (!r.defects().isEmpty()) {
      text.append("  planted defects: ").append(r.defects()).append(String.format(
          "%n  rows that break the contract (will be quarantined): %,d%n", r.expectedQuarantined()));
    }
    cli.print(common, r, text.toString());
    return 0;
  }
}
