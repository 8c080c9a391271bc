package io.dataops.platform.cli;

import io.dataops.lakehouse.landing.ProgressListener;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.demo.Demo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the platform's lifecycle on generated sample data of three Futian departments.")
final class DemoCommand implements Callable<Integer> {
  private final Cli cli;
  final CommonOptions common;

  DemoCommand(Cli cli) {
    this.cli = cli;
    this.common = cli.common;
  }

  @Override
  public Integer call() {
    PlatformConfig config = cli.config(common);
    ProgressListener progress = Progress.on(cli.err, "demo");
    Demo.Report report;
    try {
      report = Demo.run(config, LandCommand.workers(), progress, cli.session());
    } finally {
      Progress.finish(progress);
    }
    StringBuilder text = new StringBuilder();
    text.append("dataops demo in ").append(report.home()).append("\n\n");
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
        report.audit().ok() ? "verified ok" : "NOT ok at event " + report.audit().firstBad(), report.audit().events(),
        report.audit().checkpoints()));
    text.append("the cast (tokens in ").append(report.home()).append("/secrets/credentials.properties; act as one "
        + "with --as USER):\n");
    report.cast().forEach(c -> text.append("  ").append(c).append('\n'));
    text.append('\n');
    text.append("department scorecards:\n");
    for (var c : report.scorecards()) {
      text.append(String.format("  %-18s %d feeds, %d passed, %.1f%% of rules met, %d open tickets, %d verified%n",
          c.department(), c.feeds(), c.feedsPassed(), c.passRatePercent(), c.openTickets(), c.verifiedTickets()));
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
        .append("\n      open ").append(report.home()).append("/outbox/public-security/citizens/*/report.zh.html")
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
}
