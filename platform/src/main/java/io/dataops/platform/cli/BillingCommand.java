package io.dataops.platform.cli;

import io.dataops.core.AccessDeniedException;
import io.dataops.core.BadInputException;
import io.dataops.core.audit.Actor;
import io.dataops.governance.identity.Organization;
import io.dataops.platform.billing.BillingServices;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.products.billing.Statement;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Monthly statements (计量计费) and revenue shares (收益分配). */
@Command(name = "billing", mixinStandardHelpOptions = true, description = "Monthly statements and revenue shares.",
    subcommands = {BillingCommand.StatementCommand.class})
final class BillingCommand {

  @Command(name = "statement", mixinStandardHelpOptions = true,
      description = "A month's statement: charges per partner and product version, revenue shares to the source "
          + "departments and the operator; printed and written as CSV. The authority and auditors see any "
          + "organization's (default: all); others their own.")
  static final class StatementCommand implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    @Option(names = "--period", required = true, paramLabel = "YYYY-MM") String period;
    @Option(names = "--org", paramLabel = "ORG", description = "A partner, an operator or a department.") String org;
    @Option(names = "--out", paramLabel = "FILE",
        description = "The CSV file (default: outbox/<org>/billing/statement-<period>.csv).") Path out;

    StatementCommand(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      YearMonth month = Periods.month(period);
    cli.know("period", month.toString());
      PlatformConfig config = cli.config(common);
      Actor actor = cli.session().actor();
      boolean supervisor = actor.has("authority") || actor.has("auditor");
      String target = org != null ? org : supervisor ? null : actor.organization();
      if (target != null && !supervisor && !target.equals(actor.organization())) {
        AccessDeniedException e = new AccessDeniedException("the statement of " + target + " is for " + target
            + ", the authority and auditors; " + actor.user() + " acts for " + actor.organization(),
            List.of("authority", "auditor"));
        cli.session().refuse(e, List.of("organization:" + target));
        throw e;
      }
      String kind = null;
      if (target != null) {
        kind = cli.session().identities().organization(target).map(Organization::kind).map(Object::toString)
            .orElseThrow(() -> new BadInputException("no organization " + target + " (see: dataops org list)"));
      }
      if (out != null) {
        OutputPaths.outsideHome(config, out, "--out");
      }
      Statement s = BillingServices.billing(config, cli.env, month).statement(month, target, kind);
      String csv = out != null ? BillingServices.issue(s, out, cli.audit()).toString()
          : BillingServices.issue(s, config.documents("outbox").resolve(target != null ? target
              : actor.organization(), "billing"), "statement-" + month + (target == null ? "" : "-" + target)
              + ".csv", cli.audit());
      cli.print(common, BillingServices.json(s, csv), BillingServices.text(s, csv));
      return 0;
    }
  }
}
