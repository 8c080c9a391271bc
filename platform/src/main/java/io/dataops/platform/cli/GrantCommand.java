package io.dataops.platform.cli;

import io.dataops.core.AccessDeniedException;
import io.dataops.governance.grant.ApplicationParser;
import io.dataops.governance.grant.Grant;
import io.dataops.governance.grant.Grants;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.governance.GrantServices;
import io.dataops.platform.product.ProductServices;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Scenario applications and grants (依场景授权): an operator applies, the authority and every department owning a
 * requested table approve (a department may narrow the columns and add a row filter), any party may reject, the
 * authority revokes.
 */
@Command(name = "grant", mixinStandardHelpOptions = true,
    description = "Scenario applications and grants: apply, approve, reject, revoke, list, show.",
    subcommands = {GrantCommand.Apply.class, GrantCommand.ListGrants.class, GrantCommand.Show.class,
        GrantCommand.Approve.class, GrantCommand.Reject.class, GrantCommand.Revoke.class})
final class GrantCommand {

  /** Runs work with the grants as this command's user, auditing a refusal of who may decide. */
  abstract static class GrantWork implements Callable<Integer> {
    final Cli cli;
    final CommonOptions common;
    /** The home's configuration, set before {@link #work} runs. */
    PlatformConfig config;

    GrantWork(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    abstract boolean changes();

    abstract Object work(Grants grants);

    /** The objects a refusal names. */
    abstract List<String> objects();

    @Override
    public Integer call() {
      config = changes() ? cli.config(common) : cli.configToRead(common);
      try (Lakehouse lakehouse = cli.lakehouse(config)) {
        Grants grants = GrantServices.grants(config, lakehouse, cli.audit());
        Object result;
        try {
          result = work(grants);
        } catch (AccessDeniedException e) {
          cli.session().refuse(e, objects());
          throw e;
        }
        if (result instanceof Grant g) {
          cli.print(common, GrantServices.json(g, grants.now()), GrantServices.text(g, grants.now()));
        } else if (result instanceof Grants.Revocation r) {
          cli.print(common, GrantServices.json(r, grants.now()), GrantServices.text(r, grants.now()));
        } else {
          @SuppressWarnings("unchecked")
          List<Grant> list = (List<Grant>) result;
          List<Map<String, Object>> json = new ArrayList<>();
          StringBuilder text = new StringBuilder(list.isEmpty() ? "no grant applications (see: dataops grant apply)\n"
              : String.format("%4s  %-9s %-22s %-26s %-10s %s%n", "ID", "STATE", "OPERATOR", "EXPIRES", "TABLES",
                  "SCENARIO"));
          for (Grant g : list) {
            json.add(GrantServices.json(g, grants.now()));
            text.append(String.format("%4d  %-9s %-22s %-26s %-10d %s%n", g.id(), g.state(grants.now()).label(),
                g.operator(), io.dataops.governance.db.UtcTimes.format(g.expiresAt()), g.resources().size(),
                g.scenario()));
          }
          cli.print(common, json, text.toString());
        }
      }
      return 0;
    }
  }

  @Command(name = "apply", mixinStandardHelpOptions = true,
      description = "Apply for a scenario with an application file (YAML: scenario, purpose, period, products, "
          + "resources with columns and an optional row filter). Operator.")
  static final class Apply extends GrantWork {
    @Parameters(index = "0", paramLabel = "FILE") Path file;

    Apply(Cli cli) {
      super(cli);
    }

    @Override
    boolean changes() {
      return true;
    }

    @Override
    Object work(Grants grants) {
      cli.know("file", file.toString());
      return grants.apply(ApplicationParser.parse(file), cli.session().actor());
    }

    @Override
    List<String> objects() {
      return List.of("command:grant apply");
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "The applications and grants you may see (an operator its own, a department those asking for its "
          + "tables, the authority and auditors all).")
  static final class ListGrants extends GrantWork {
    @Option(names = "--state", paramLabel = "pending|active|rejected|revoked|expired") String state;

    ListGrants(Cli cli) {
      super(cli);
    }

    @Override
    boolean changes() {
      return false;
    }

    @Override
    Object work(Grants grants) {
      List<Grant> all = grants.list(cli.session().actor());
      if (state == null) {
        return all;
      }
      if (Arrays.stream(io.dataops.governance.grant.GrantState.values()).noneMatch(s -> s.label().equals(state))) {
        throw new io.dataops.core.BadInputException("--state is pending, active, rejected, revoked or expired, not '"
            + (state.length() > 20 ? state.substring(0, 20) + "…" : state) + "'");
      }
      return all.stream().filter(g -> g.state(grants.now()).label().equals(state)).toList();
    }

    @Override
    List<String> objects() {
      return List.of("command:grant list");
    }
  }

  /** A command on one application. */
  abstract static class OnGrant extends GrantWork {
    @Parameters(index = "0", paramLabel = "ID") long id;

    OnGrant(Cli cli) {
      super(cli);
    }

    @Override
    boolean changes() {
      return true;
    }

    @Override
    List<String> objects() {
      return List.of("grant:" + id);
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One application with its decisions.")
  static final class Show extends OnGrant {
    Show(Cli cli) {
      super(cli);
    }

    @Override
    boolean changes() {
      return false;
    }

    @Override
    Object work(Grants grants) {
      return grants.show(id, cli.session().actor());
    }
  }

  @Command(name = "approve", mixinStandardHelpOptions = true,
      description = "Approve an application: the authority, or a department for its own tables (which may narrow "
          + "their columns and add a row filter). The last approval makes the grant.")
  static final class Approve extends OnGrant {
    @Option(names = "--note", paramLabel = "TEXT") String note;
    @Option(names = "--columns", paramLabel = "TABLE=COL[,COL...]",
        description = "Department: grant only these of the columns asked for (repeat per table).")
    Map<String, String> columns = new LinkedHashMap<>();
    @Option(names = "--filter", paramLabel = "TABLE=SQL",
        description = "Department: only rows where this SQL boolean expression holds (repeat per table).")
    Map<String, String> filters = new LinkedHashMap<>();

    Approve(Cli cli) {
      super(cli);
    }

    @Override
    Object work(Grants grants) {
      Map<String, List<String>> narrowed = new LinkedHashMap<>();
      columns.forEach((table, list) -> narrowed.put(table.strip(), Arrays.stream(list.split(",")).map(String::strip)
          .filter(c -> !c.isEmpty()).toList()));
      Map<String, String> added = new LinkedHashMap<>();
      filters.forEach((table, sql) -> added.put(table.strip(), sql));
      return grants.approve(id, cli.session().actor(), note, narrowed, added);
    }
  }

  @Command(name = "reject", mixinStandardHelpOptions = true,
      description = "Reject an application with a reason the operator can act on: the authority, or a department "
          + "whose tables it asks for.")
  static final class Reject extends OnGrant {
    @Option(names = "--reason", required = true, paramLabel = "TEXT") String reason;

    Reject(Cli cli) {
      super(cli);
    }

    @Override
    Object work(Grants grants) {
      return grants.reject(id, cli.session().actor(), reason);
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = "End an active grant before its period does; its published versions that no other live grant "
          + "names are delivered no more (listed). Authority.")
  static final class Revoke extends OnGrant {
    @Option(names = "--reason", required = true, paramLabel = "TEXT") String reason;

    Revoke(Cli cli) {
      super(cli);
    }

    /** The revocation and the published versions whose delivery it stops (the grant was all they were under). */
    @Override
    Object work(Grants grants) {
      return grants.revoke(id, cli.session().actor(), reason,
          GrantServices.published(ProductServices.registry(config)));
    }
  }
}
