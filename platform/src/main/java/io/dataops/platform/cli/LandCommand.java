package io.dataops.platform.cli;

import io.dataops.core.BadInputException;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.contract.ContractParser;
import io.dataops.lakehouse.contract.ContractRegistry;
import io.dataops.platform.intake.FeedIntake;
import io.dataops.lakehouse.landing.LandingRequest;
import io.dataops.lakehouse.landing.LandingResult;
import io.dataops.lakehouse.landing.ProgressListener;
import io.dataops.platform.config.PlatformConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "land", mixinStandardHelpOptions = true,
    description = "Land a department feed: good rows to ods.<department>__<dataset>, bad rows with their reason to "
        + "quarantine.<department>__<dataset>, in one commit per feed.")
final class LandCommand implements Callable<Integer> {
  private final Cli cli;
  final CommonOptions common;

  @Option(names = "--department", required = true, paramLabel = "D") String department;
  @Option(names = "--dataset", required = true, paramLabel = "S") String dataset;
  @Option(names = "--file", required = true, paramLabel = "FILE") Path file;
  @Option(names = "--contract", paramLabel = "CONTRACT",
      description = "Contract to read the feed by (default: the registered one, else FILE.contract.yaml).")
  Path contract;

  LandCommand(Cli cli) {
    this.cli = cli;
    this.common = cli.common;
  }

  @Override
  public Integer call() {
    cli.know("file", file.toString());
    PlatformConfig config = cli.config(common);
    cli.session().requireOrganization(department, "landing a feed of " + department,
        java.util.List.of("table:" + TableNames.ods(department, dataset)));
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new BadInputException("no readable file at " + file);
    }
    ContractRegistry.Registered resolved = resolveContract(config, department, dataset, file, contract);
    cli.know("table", TableNames.ods(department, dataset).toString());
    ProgressListener progress = Progress.on(cli.err, "landing " + file.getFileName());
    FeedIntake.Result intake;
    try (Lakehouse lakehouse = cli.lakehouse(config)) {
      intake = new FeedIntake(config, lakehouse, workers()).audit(cli.audit()).take(
          new LandingRequest(department, dataset, file, resolved.contract(), resolved.sha256()), progress);
    } finally {
      Progress.finish(progress);
    }
    cli.print(common, json(intake), describe(intake.landing(), department, dataset, file)
        + (intake.quality() == null ? "" : Quality.text(intake.quality()))
        + (intake.feedback() == null ? "" : Quality.text(intake.feedback())));
    return 0;
  }

  /** The landing's JSON (DESIGN.md's fields), with the feed's quality summary when a suite ran. */
  @SuppressWarnings("unchecked")
  static java.util.Map<String, Object> json(FeedIntake.Result intake) {
    java.util.Map<String, Object> json = new java.util.LinkedHashMap<>(Cli.JSON.convertValue(intake.landing(),
        java.util.Map.class));
    if (intake.quality() != null) {
      json.put("quality", Quality.summary(intake.quality()));
    }
    if (intake.feedback() != null) {
      json.put("feedback", intake.feedback());
    }
    return json;
  }

  static int workers() {
    return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
  }

  /** --contract, else the registered contract, else FILE.contract.yaml beside the feed. */
  static ContractRegistry.Registered resolveContract(PlatformConfig config, String department, String dataset,
      Path file, Path contract) {
    if (contract != null) {
      if (!Files.isRegularFile(contract)) {
        throw new BadInputException("no contract file at " + contract);
      }
      return new ContractRegistry.Registered(department, dataset, ContractParser.parse(contract), contract,
          ContractRegistry.sha256(contract));
    }
    var registered = new ContractRegistry(config.contracts()).find(department, dataset);
    if (registered.isPresent()) {
      return registered.get();
    }
    Path sidecar = ContractRegistry.sidecarOf(file);
    if (Files.isRegularFile(sidecar)) {
      return new ContractRegistry.Registered(department, dataset, ContractParser.parse(sidecar), sidecar,
          ContractRegistry.sha256(sidecar));
    }
    throw new BadInputException("no contract for " + department + "/" + dataset + ": register one (dataops contract "
        + "register), pass --contract, or put " + sidecar.getFileName() + " beside the file");
  }

  static String describe(LandingResult r, String department, String dataset, Path file) {
    if (r.isDuplicate()) {
      return String.format("nothing landed: %s has the same content (SHA-256 %s) as the feed of snapshot %d of %s%n",
          file.getFileName(), r.fileSha256().substring(0, 16) + "...", r.duplicateOf(), r.table());
    }
    StringBuilder s = new StringBuilder();
    s.append(String.format("landed %s/%s from %s (%s%s) as feed %s%n", department, dataset, file.getFileName(),
        r.format(), r.encoding() == null ? "" : ", " + r.encoding(), r.feedId()));
    s.append(String.format("  rows read    %,12d%n", r.rowsRead()));
    s.append(String.format("  landed       %,12d  -> %s @ snapshot %d%n", r.rowsLanded(), r.table(), r.snapshotId()));
    s.append(String.format("  quarantined  %,12d", r.rowsQuarantined()));
    if (r.rowsQuarantined() > 0) {
      StringBuilder rules = new StringBuilder();
      r.quarantinedByRule().forEach((k, v) -> rules.append(rules.length() > 0 ? ", " : "").append(k).append(' ').append(v));
      s.append(String.format("  -> %s (%s)", r.quarantineTable(), rules));
    }
    s.append('\n');
    if (!r.missingColumns().isEmpty()) {
      s.append("  the file lacks optional columns (landed as null): ").append(String.join(", ", r.missingColumns()))
          .append('\n');
    }
    if (r.blankLines() > 0) {
      s.append(String.format("  %,d blank lines skipped%n", r.blankLines()));
    }
    s.append(String.format("  %.1f s, %,.0f rows/s%n", r.seconds(), r.rowsPerSecond()));
    return s.toString();
  }
}
