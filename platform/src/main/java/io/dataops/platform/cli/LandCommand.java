package io.dataops.platform.cli;

import io.dataops.core.BadInputException;
import io.dataops.core.text.VisibleText;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.contract.ContractParser;
import io.dataops.lakehouse.contract.ContractRegistry;
import io.dataops.platform.intake.FeedIntake;
import io.dataops.lakehouse.landing.LandingRequest;
import io.dataops.lakehouse.landing.LandingResult;
import io.dataops.lakehouse.landing.ProgressListener;
import io.dataops.lakehouse.landing.Replaces;
import io.dataops.platform.config.PlatformConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "land", mixinStandardHelpOptions = true,
    description = "Land a department feed: good rows to ods.<department>__<dataset>, bad rows with their reason to "
        + "quarantine.<department>__<dataset>, in one commit per feed. With --from-bucket, every object the "
        + "department put under landing/<department>/<dataset>/ of the landing bucket, each once, then moved to "
        + "landed/ or rejected/ with a reason object beside it.")
final class LandCommand implements Callable<Integer> {
  private final Cli cli;
  final CommonOptions common;

  @Option(names = "--department", required = true, paramLabel = "D") String department;
  @Option(names = "--dataset", paramLabel = "S", description = "The dataset (with --from-bucket: only its objects).")
  String dataset;
  @Option(names = "--file", paramLabel = "FILE") Path file;
  @Option(names = "--from-bucket", arity = "0..1", fallbackValue = "", paramLabel = "s3://BUCKET[/prefix]",
      description = "Land the department's objects waiting in the landing bucket (default: landing.bucket, else the "
          + "warehouse's bucket).")
  String fromBucket;
  @Option(names = "--contract", paramLabel = "CONTRACT",
      description = "Contract to read the feed by (default: the registered one, else FILE.contract.yaml).")
  Path contract;

  @Option(names = "--replaces", paramLabel = "FEED_ID",
      description = "The file corrects this earlier feed of the table: its rows replace that feed's rows in the same "
          + "commit (the department that owns the table only; a feed is replaced once).")
  String replaces;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  LandCommand(Cli cli) {
    this.cli = cli;
    this.common = cli.common;
  }

  @Override
  public Integer call() {
    if (fromBucket != null) {
      if (file != null || contract != null || replaces != null) {
        throw new BadInputException("--from-bucket lands the objects of the bucket by their registered contracts: "
            + "give it without --file, --contract and --replaces (an object corrects an earlier feed by its metadata "
            + "replaces=FEED_ID)");
      }
      return fromBucket();
    }
    if (file == null || dataset == null) {
      // As picocli says it of a missing option: the same one line and exit status, with the --help hint.
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required options: "
          + (dataset == null ? "'--dataset=S', " : "") + (file == null ? "'--file=FILE'" : "") + " (or --from-bucket)");
    }
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
      intake = new FeedIntake(config, lakehouse, workers()).audit(cli.audit())
          .reads(Quality.reads(cli, config, lakehouse)).take(
          new LandingRequest(department, dataset, io.dataops.lakehouse.landing.FeedFile.local(file),
              resolved.contract(), resolved.sha256(), Replaces.option(replaces)), progress);
    } finally {
      Progress.finish(progress);
    }
    cli.print(common, json(intake), describe(intake.landing(), department, dataset, file)
        + (intake.unchecked() == null ? "" : "  " + intake.unchecked() + "\n")
        + (intake.quality() == null ? "" : Quality.text(intake.quality()))
        + (intake.feedback() == null ? "" : Quality.text(intake.feedback())));
    return 0;
  }

  /** {@code --from-bucket}: the department's waiting objects, each taken in and moved with its reason. */
  private Integer fromBucket() {
    PlatformConfig config = cli.config(common);
    cli.session().requireOrganization(department, "landing the feeds of " + department,
        java.util.List.of("organization:" + department));
    String zoneRoot = fromBucket.isBlank() ? config.landingBucket() : fromBucket;
    if (zoneRoot == null) {
      throw new BadInputException("no landing bucket: give --from-bucket s3://BUCKET, set landing.bucket "
          + "(DATAOPS_LANDING_BUCKET), or put the warehouse on S3");
    }
    if (!io.dataops.lakehouse.storage.ObjectStore.isObjectLocation(zoneRoot)) {
      throw new BadInputException("--from-bucket takes s3://BUCKET[/prefix], not '" + zoneRoot + "'");
    }
    if (!config.lakehouse().onObjectStorage()) {
      throw new BadInputException("the landing bucket is read with the warehouse's S3 settings: put the warehouse "
          + "on S3 (warehouse=s3://BUCKET/prefix) to land from a bucket");
    }
    cli.know("zone", zoneRoot);
    java.util.List<Object> landed = new java.util.ArrayList<>();
    java.util.List<Object> rejected = new java.util.ArrayList<>();
    java.util.List<Object> failed = new java.util.ArrayList<>();
    java.util.List<Object> skipped = new java.util.ArrayList<>();
    // Known as they fill: a run stopped by a failure (the object store gone, out of memory) reports in its error's
    // JSON what it had landed and moved (a probe found them missing).
    cli.know("department", department);
    cli.know("landed", landed);
    cli.know("rejected", rejected);
    cli.know("failed", failed);
    cli.know("skipped", skipped);
    StringBuilder text = new StringBuilder();
    int[] taken = {0};
    io.dataops.platform.intake.BucketIntake.Taken run;
    try (Lakehouse lakehouse = cli.lakehouse(config)) {
      FeedIntake intake = new FeedIntake(config, lakehouse, workers()).audit(cli.audit())
          .reads(Quality.reads(cli, config, lakehouse));
      var zone = new io.dataops.lakehouse.landing.LandingZone(config.lakehouse().objectStore(), zoneRoot);
      java.util.Set<String> departments = cli.session().identities().organizations().stream()
          .filter(o -> o.kind() == io.dataops.governance.identity.OrganizationKind.DEPARTMENT)
          .map(io.dataops.governance.identity.Organization::id).collect(java.util.stream.Collectors.toSet());
      run = new io.dataops.platform.intake.BucketIntake(intake, zone, config, departments)
          .take(department, dataset, o -> {
            taken[0]++;
            report(o, landed, rejected, failed, skipped, text);
          });
    } catch (RuntimeException | Error stopped) {
      if (!common.json && text.length() > 0) {
        // What was done before the failure, then the failure's line on stderr (with --json, the error's JSON has it).
        cli.print(common, null, text.toString());
      }
      throw stopped;
    }
    if (taken[0] == 0) {
      text.append("nothing waiting under ").append(zoneRoot).append("/landing/").append(department).append("/\n");
    }
    // Objects in no department's folder wait forever unless someone is told; counted only: their names are nobody's
    // to show, and nothing of them is read.
    String notice = run.unclaimed() == 0 ? null : run.unclaimed() + (run.unclaimed() == 1 ? " object" : " objects")
        + " under " + zoneRoot + "/landing/ " + (run.unclaimed() == 1 ? "is" : "are") + " in no department's folder "
        + "(directly under landing/, or in a folder no department is named: misspelt, say) and taken in by no run: a feed goes "
        + "in landing/<department>/<dataset>/, the department's name in lower case; the operator finds "
        + (run.unclaimed() == 1 ? "it" : "them") + " by listing landing/";
    if (notice != null) {
      text.append("note: ").append(notice).append('\n');
    }
    java.util.Map<String, Object> json = new java.util.LinkedHashMap<>();
    json.put("zone", zoneRoot);
    json.put("department", department);
    json.put("landed", landed);
    json.put("rejected", rejected);
    json.put("failed", failed);
    json.put("skipped", skipped);
    json.put("unclaimed", run.unclaimed());
    json.put("notice", notice);
    json.put("stopped", run.stopped());
    json.put("leftWaiting", run.leftWaiting());
    cli.print(common, json, text.toString());
    if (run.stopped() != null) {
      cli.err.println("dataops: " + run.stopped() + " (" + failed.size() + " moved to rejected/ with a reason)");
      return 1;
    }
    if (!failed.isEmpty()) {
      cli.err.println("dataops: " + failed.size() + (failed.size() == 1 ? " object" : " objects") + " could not be "
          + "taken in for an internal error and " + (failed.size() == 1 ? "was" : "were") + " moved to rejected/ "
          + "with a reason (the platform's log has the error); the others were taken in");
      return 1;
    }
    return 0;
  }

  /** One object's outcome, in the JSON lists and the text. */
  private static void report(io.dataops.platform.intake.BucketIntake.Outcome o, java.util.List<Object> landed,
      java.util.List<Object> rejected, java.util.List<Object> failed, java.util.List<Object> skipped,
      StringBuilder text) {
    java.util.Map<String, Object> entry = new java.util.LinkedHashMap<>();
    entry.put("object", o.object());
    entry.put("movedTo", o.movedTo());
    if (o.takenElsewhere()) {
      // Another land --from-bucket (or the scheduler) moved it first, or its sender removed it: not this run's.
      String why = o.how() == io.dataops.lakehouse.landing.LandingZone.How.VANISHED
          ? "removed from the bucket before it could be moved"
          : o.how() == io.dataops.lakehouse.landing.LandingZone.How.REPLACED ? REPLACED : "taken in by another run";
      entry.put("why", why);
      skipped.add(entry);
      text.append(String.format("%s: %s%n", VisibleText.value(o.object()), why));
      if (o.movedTo() != null) {
        text.append("  moved to ").append(VisibleText.value(o.movedTo())).append('\n');
      }
      return;
    }
    if (o.landed()) {
      entry.putAll(json(o.result()));
      landed.add(entry);
      var r = o.result().landing();
      text.append(r.isDuplicate()
          ? String.format("%s: already landed (snapshot %d of %s)%s%n", VisibleText.value(o.object()),
              r.duplicateOf(), r.table(),
              r.duplicateReplaced() == null ? "" : ", as feed " + r.duplicateReplaced().feedId()
                  + ", which was replaced by feed " + r.duplicateReplaced().replacedBy())
          : String.format("%s: %,d rows read, %,d landed, %,d quarantined -> %s @ snapshot %d%n",
              VisibleText.value(o.object()),
              r.rowsRead(), r.rowsLanded(), r.rowsQuarantined(), r.table(), r.snapshotId()));
    } else if (o.failed()) {
      entry.put("reason", o.reason());
      failed.add(entry);
      text.append(String.format("%s: failed: %s%n", VisibleText.value(o.object()), o.reason()));
    } else {
      entry.put("reason", o.reason());
      rejected.add(entry);
      text.append(String.format("%s: rejected: %s%n", VisibleText.value(o.object()), o.reason()));
    }
    if (o.how() == io.dataops.lakehouse.landing.LandingZone.How.REPLACED) {
      entry.put("why", REPLACED);
      text.append("  not moved: ").append(REPLACED).append('\n');
    } else if (o.how() == io.dataops.lakehouse.landing.LandingZone.How.COPIED) {
      // The conditional delete found another content under the key (412): what is in landing/ now is not this object.
      entry.put("why", COPIED);
      text.append("  copied to ").append(VisibleText.value(String.valueOf(o.movedTo()))).append(", not moved: ")
          .append(COPIED).append('\n');
    } else if (o.how() == io.dataops.lakehouse.landing.LandingZone.How.VANISHED) {
      // Its sender removed it while this run read it: what was read stays landed (and audited), but there is no
      // object to move and no result object beside one (said, where this printed "moved to null": a probe).
      entry.put("why", VANISHED);
      text.append("  not moved: ").append(VANISHED).append('\n');
    } else {
      text.append("  moved to ").append(VisibleText.value(String.valueOf(o.movedTo()))).append('\n');
    }
  }

  private static final String REPLACED = "its sender put another content under the same key meanwhile; "
      + "that one waits for the next run";
  private static final String COPIED = "copied with its result object, but its sender put another content under the "
      + "same key before the original was removed; that one stays in landing/ and waits for the next run";
  private static final String VANISHED = "its sender removed it from the bucket while it was read, so no result "
      + "object is written beside it (the landing is audited as any other)";

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
    if (intake.unchecked() != null) {
      json.put("unchecked", intake.unchecked());
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
      io.dataops.core.yaml.LinedYaml.requireFile(contract, "contract");
      return new ContractRegistry.Registered(department, dataset, ContractParser.parse(contract), contract,
          ContractRegistry.sha256(contract));
    }
    var registered = io.dataops.platform.intake.RegisteredContracts.find(config, department, dataset);
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

  /** A file's name as a line of the output shows it: a line feed in it would forge the lines after (a probe). */
  private static String shownName(Path file) {
    return VisibleText.value(file.getFileName().toString());
  }

  static String describe(LandingResult r, String department, String dataset, Path file) {
    if (r.isDuplicate() && r.duplicateReplaced() != null) {
      // The old file sent again after its correction: its rows are gone from the table, and stay gone.
      return String.format("nothing landed: %s has the same content (SHA-256 %s) as feed %s (snapshot %d of %s), which"
          + " was replaced by feed %s; to correct the data again, land the corrected file with --replaces %s%n",
          shownName(file), r.fileSha256().substring(0, 16) + "...", r.duplicateReplaced().feedId(), r.duplicateOf(),
          r.table(), r.duplicateReplaced().replacedBy(), r.duplicateReplaced().replacedBy());
    }
    if (r.isDuplicate()) {
      return String.format("nothing landed: %s has the same content (SHA-256 %s) as the feed of snapshot %d of %s%n",
          shownName(file), r.fileSha256().substring(0, 16) + "...", r.duplicateOf(), r.table());
    }
    StringBuilder s = new StringBuilder();
    s.append(String.format("landed %s/%s from %s (%s%s) as feed %s%n", department, dataset, shownName(file),
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
    if (r.replaced() != null) {
      s.append(String.format("  replaced     %,12d  rows of feed %s in the same commit%s%n", r.replaced().rows(),
          r.replaced().feedId(), r.replaced().filesRewritten() == 0 ? "" : String.format(" (%,d data files shared with "
              + "other feeds written again without them)", r.replaced().filesRewritten())));
    }
    if (r.sameNameAs() != null) {
      s.append(String.format("  note: %s was landed before as feed %s (snapshot %d, %,d rows) with other content: both"
          + " feeds' rows are in the table now; if this file corrects that one, the rows it repeats are there twice%n",
          shownName(file), r.sameNameAs().feedId(), r.sameNameAs().snapshotId(), r.sameNameAs().rowsLanded()));
    }
    s.append(String.format("  %.1f s, %,.0f rows/s%n", r.seconds(), r.rowsPerSecond()));
    return s.toString();
  }
}
