package io.dataops.platform.cli;

import io.dataops.governance.identity.Names;
import io.dataops.governance.identity.Organization;
import io.dataops.governance.identity.OrganizationKind;
import io.dataops.lakehouse.catalog.TableNames;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Organizations: the authority, source departments (their id is the department name feeds use), operators, partners,
 * auditors.
 */
@Command(name = "org", mixinStandardHelpOptions = true, description = "Organizations and their kinds.",
    subcommands = {OrgCommand.Add.class, OrgCommand.ListOrgs.class})
final class OrgCommand {

  @Command(name = "add", mixinStandardHelpOptions = true, description = "Register an organization.")
  static final class Add implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    @Parameters(index = "0", paramLabel = "ID") String id;
    @Option(names = "--name", required = true, paramLabel = "DISPLAY_NAME") String name;
    @Option(names = "--kind", required = true,
        paramLabel = "authority|department|operator|partner|auditor|platform") String kind;

    Add(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      cli.config(common);
      OrganizationKind k = OrganizationKind.of(kind);
      if (k == OrganizationKind.DEPARTMENT) {
        // A department's id names its tables (ods.<department>__<dataset>): one that cannot would never land.
        TableNames.department(Names.organization(id));
      }
      Organization o = UserCommand.identities(cli).createOrganization(id, name, k);
      cli.print(common, o, "organization " + o.id() + " (" + o.kind() + "): " + o.shownName() + "\n");
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Every organization.")
  static final class ListOrgs implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;

    ListOrgs(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      List<Organization> orgs = cli.session().identities().organizations();
      StringBuilder text = new StringBuilder();
      orgs.forEach(o -> text.append(String.format("%-28s %-11s %s%n", o.id(), o.kind(), o.shownName())));
      cli.print(common, orgs, text.toString());
      return 0;
    }
  }
}
