package io.dataops.platform.cli;

import io.dataops.lakehouse.landing.ProgressListener;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.demo.Demo;
import io.dataops.core.BadInputException;
import io.dataops.core.files.OwnerOnly;
import io.dataops.lakehouse.storage.ObjectStore;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the platform's lifecycle on generated sample data of three Futian departments.")
final class DemoCommand implements Callable<Integer> {
  private final Cli cli;
  final CommonOptions common;

  DemoCommand(Cli cli) {
    this.cli = cli;
    this.common = cli.common;
  }

  @Option(names = "--warehouse", paramLabel = "LOCATION",
      description = "Put the tables, archives and deliveries in a bucket: s3://BUCKET/prefix, with the AWS SDK's "
          + "variables (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION; infra/local-s3.sh "
          + "prints them). Kept in the home's dataops.properties for later commands (default: DATAOPS_WAREHOUSE, "
          + "else the home's warehouse/ folder).")
  String warehouse;

  @Override
  public Integer call() {
    PlatformConfig config = warehouse == null ? cli.config(common) : onWarehouse();
    ProgressListener progress = Progress.on(cli.err, "demo");
    Demo.Report report;
    try {
      report = Demo.run(config, LandCommand.workers(), progress, cli.session());
    } finally {
      Progress.finish(progress);
    }
    StringBuilder text = new StringBuilder();
    text.append("dataops demo in ").append(report.home());
    if (config.lakehouse().onObjectStorage()) {
      text.append(" (warehouse ").append(config.lakehouse().warehouse()).append(", archives ")
          .append(config.archiveRoot()).append(')');
    }
    text.append("\n\n");
    int n = 1;
    for (Demo.Step s : report.steps()) {
      text.append(n++).append(". ").append(s.step()).append('\n');
      text.append(LandCommand.describe(s.landing(), s.department(), s.dataset(), java.nio.file.Path.of(s.file()))
          .indent(3));
      if (s.generated().expectedQuarantined() > 0) {
        text.append(String.format("   (the generator planted %d contract violations; %d rows were quarantined)%n",
            s.generated().expectedQuarantined(), s.landing().rowsQuarantined()));
      }
      if (s.quality() != null) {
        text.append(Quality.text(s.quality()).indent(3));
      }
      if (s.feedback() != null) {
        text.append(Quality.text(s.feedback()).indent(3));
      }
      text.append('\n');
    }
    for (Demo.ProductRun p : report.products()) {
      text.append(n++).append(". run the operator's pipeline ").append(p.pipelineFile()).append('\n');
      text.append(PipelineCommand.describe(p.run(), p.pipelineFile()).indent(3)).append('\n');
      if (p == report.products().get(0) && report.engineCheck() != null) {
        text.append(n++).append(". the same pipeline on the other engine, same snapshots, nothing published:\n   ")
            .append(report.engineCheck().describe()).append("\n\n");
      }
    }
    text.append(n++).append(". grants for the pipelines' scenarios (依场景授权, before the runs), a delivery, the "
        + "month's statement, supervision and evaluation:\n");
    report.governance().forEach(l -> text.append("   ").append(l).append('\n'));
    text.append('\n');
    text.append(n++).append(". the products' lives, each move by the person whose role allows it:\n");
    report.lifecycle().forEach(l -> text.append("   ").append(l).append('\n'));
    text.append("   destruction certificate: ").append(report.certificate()).append("\n                            ")
        .append(report.certificateHtml()).append("\n\n");
    text.append(String.format("audit trail: %s, %,d events, %d checkpoints (dataops audit verify --as chen-jing)%n%n",
        report.audit().ok() ? "verified ok" : "NOT ok" + (report.audit().firstBad() == null ? ""
            : " at event " + report.audit().firstBad()), report.audit().events(), report.audit().checkpoints()));
    text.append("the cast (tokens in ").append(report.home()).append("/secrets/credentials.properties; act as one "
        + "with --as USER):\n");
    report.cast().forEach(c -> text.append("  ").append(c).append('\n'));
    text.append('\n');
    text.append("department scorecards:\n");
    for (var c : report.scorecards()) {
      text.append(String.format("  %-18s %d feeds, %d passed, %s of rules met; tickets: %d open, %d acknowledged, "
          + "%d resolved, %d verified%n", c.department(), c.feeds(), c.feedsPassed(), FeedbackCommand.rate(c),
          c.openTickets(), c.acknowledgedTickets(), c.resolvedTickets(), c.verifiedTickets()));
    }
    text.append("\ntables:\n");
    for (var t : report.tables()) {
      text.append(String.format("  %-46s %,8d rows  %d snapshots%n", t.name(), t.rows(), t.snapshots()));
    }
    text.append("\nnext: dataops table show ods.public_security__citizens --as wang-fang --home ").append(report.home())
        .append("\n      dataops table show quality.row_failures --as zhang-wei --home ").append(report.home())
        .append("\n      dataops feedback list --as wang-fang --home ").append(report.home())
        .append("\n      dataops product history population-by-street --as zhang-wei --home ").append(report.home())
        .append("\n      dataops audit list --as chen-jing --home ").append(report.home())
        .append("\n      open ").append(config.documents("outbox").root())
        .append("/public-security/citizens/*/report.zh.html")
        .append("\n      dataops table show quarantine.public_security__citizens --as wang-fang --home ")
        .append(report.home())
        .append("\n      dataops grant list --as zhang-wei --home ").append(report.home())
        .append("\n      dataops billing statement --period ").append(java.time.YearMonth.now(java.time.ZoneId.of(
            "Asia/Shanghai"))).append(" --as wu-xia --home ").append(report.home())
        .append("\n      open ").append(report.evaluation())
        .append("\n      dataops product list --home ").append(report.home())
        .append("\n      dataops table show product.enterprise_employment --tag v1 --as wu-xia --home ").append(report.home())
        .append("\n      edit ").append(report.home()).append("/pipelines/population-by-street.yaml, then: dataops pipeline run ")
        .append(report.home()).append("/pipelines/population-by-street.yaml --as sun-hao --home ").append(report.home())
        .append('\n');
    cli.print(common, report, text.toString());
    return 0;
  }

  /**
   * The home with its warehouse where --warehouse says, written into its dataops.properties (never a secret) so that
   * later commands find the tables without the option. A home whose warehouse is elsewhere is refused: its catalog
   * names the tables' files there.
   */
  private PlatformConfig onWarehouse() {
    if (!ObjectStore.isObjectLocation(warehouse)) {
      throw new BadInputException("--warehouse is s3://BUCKET/prefix, not '" + warehouse + "' (a local warehouse is "
          + "the default: leave the option out)");
    }
    ObjectStore.bucketOf(warehouse);
    Path home = PlatformConfig.resolveHome(common.home, cli.env);
    Path props = home.resolve(PlatformConfig.PROPERTIES_FILE);
    Properties file = new Properties();
    try {
      if (Files.isRegularFile(props)) {
        try (Reader r = Files.newBufferedReader(props, StandardCharsets.UTF_8)) {
          file.load(r);
        }
      }
      String kept = file.getProperty("warehouse");
      if (kept != null && !kept.strip().equals(warehouse)) {
        throw new BadInputException("this home's warehouse is " + kept.strip() + " (" + props + "); a home keeps one "
            + "warehouse: use another --home for " + warehouse);
      }
      if (kept == null) {
        if (Files.isDirectory(home.resolve("warehouse"))) {
          throw new BadInputException("this home already has a local warehouse (" + home.resolve("warehouse")
              + "); use a new --home for " + warehouse);
        }
        OwnerOnly.directories(home);
        String before = Files.isRegularFile(props) ? Files.readString(props, StandardCharsets.UTF_8) : "";
        OwnerOnly.writeString(props, before + (before.isEmpty() || before.endsWith("\n") ? "" : "\n")
            + "# set by dataops demo --warehouse: the tables, archives and deliveries are in this bucket\n"
            + "warehouse=" + warehouse + "\n");
      }
    } catch (IOException e) {
      throw new BadInputException("cannot record the warehouse in " + props + " (" + e.getClass().getSimpleName()
          + ")");
    }
    return cli.config(common, Map.of("DATAOPS_WAREHOUSE", warehouse));
  }
}
