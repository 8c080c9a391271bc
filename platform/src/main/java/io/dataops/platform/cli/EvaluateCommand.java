package io.dataops.platform.cli;

import io.dataops.core.BadInputException;
import io.dataops.governance.evaluation.Scorecards;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.evaluation.EvaluationServices;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Evaluation (成效评估): a month's scorecards of the source departments and the operators, as JSON and a page. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "A month's scorecards from recorded facts: departments (feed timeliness against their declared "
        + "schedule, quality rules met and trend, ticket response and resolution times) and operators (products "
        + "published, deliveries, incidents, granted versus read tables); written as JSON and an HTML page with "
        + "charts (Chinese and English). Authority or auditor.")
final class EvaluateCommand implements Callable<Integer> {
  private final Cli cli;
  final CommonOptions common;
  @Option(names = "--period", required = true, paramLabel = "YYYY-MM") String period;
  @Option(names = "--out", paramLabel = "DIR",
      description = "Where evaluation-<period>.json and .html go (default: outbox/<your organization>/evaluation/).")
  Path out;

  EvaluateCommand(Cli cli) {
    this.cli = cli;
    this.common = cli.common;
  }

  @Override
  public Integer call() {
    YearMonth month = Periods.month(period);
    cli.know("period", month.toString());
    PlatformConfig config = cli.config(common);
    if (out != null) {
      OutputPaths.outsideHome(config, out, "--out");
    }
    EvaluationServices.Written w;
    try (Lakehouse lakehouse = cli.lakehouse(config)) {
      w = out != null ? EvaluationServices.evaluate(config, lakehouse, cli.session().actor(), cli.audit(),
          cli.session().identities().organizations(), month, out)
          : EvaluationServices.evaluate(config, lakehouse, cli.session().actor(), cli.audit(),
              cli.session().identities().organizations(), month, config.documents("outbox")
                  .resolve(cli.session().principal().organization(), "evaluation"));
    }
    Scorecards cards = w.scorecards();
    String json = w.json();
    String html = w.html();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("json", json);
    result.put("html", html);
    result.put("scorecards", cards);
    cli.print(common, result, text(cards, json, html));
    return 0;
  }

  static String text(Scorecards s, String json, String html) {
    StringBuilder t = new StringBuilder("evaluation of " + s.period() + " (" + s.zone() + ")"
        + (s.partial() ? ", so far: the month is not over (to " + s.countedUntil() + ")" : "") + "\n\ndepartments "
        + "(on time: of the feeds due by " + s.countedUntil() + " since their contract was registered):\n");
    t.append(String.format("  %-20s %12s %12s %12s %10s %10s %10s%n", "department", "on time", "rules met",
        "tickets", "ack (h)", "resolve (h)", "verify (h)"));
    for (Scorecards.Department d : s.departments()) {
      t.append(String.format("  %-20s %12s %12s %12d %10s %10s %10s%n", d.department(),
          d.timeliness().due() == 0 ? "-" : d.timeliness().onTime() + "/" + d.timeliness().due(),
          d.quality().percent() == null ? "-" : d.quality().percent() + "%", d.tickets().opened(),
          orDash(d.tickets().meanHoursToAcknowledge()), orDash(d.tickets().meanHoursToResolve()),
          orDash(d.tickets().meanHoursToVerify())));
    }
    t.append("\noperators:\n");
    t.append(String.format("  %-22s %10s %11s %8s %14s%n", "operator", "published", "deliveries", "alerts",
        "tables read"));
    for (Scorecards.Operator o : s.operators()) {
      int granted = o.grants().stream().mapToInt(g -> g.tablesGranted().size()).sum();
      int read = o.grants().stream().mapToInt(g -> g.tablesRead().size()).sum();
      t.append(String.format("  %-22s %10d %11d %8d %14s%n", o.operator(), o.published().size(),
          o.usage().deliveries(), o.incidents().alerts(), read + "/" + granted));
    }
    return t.append("\nwritten: ").append(json).append("\n         ").append(html).append('\n').toString();
  }

  private static String orDash(Double v) {
    return v == null ? "-" : String.valueOf(v);
  }
}
