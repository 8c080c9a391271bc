package io.dataops.platform.cli;

import io.dataops.core.AccessDeniedException;
import io.dataops.core.BadInputException;
import io.dataops.governance.identity.Names;
import io.dataops.governance.identity.Organization;
import io.dataops.governance.identity.OrganizationKind;
import io.dataops.platform.intake.FeedIntake;
import io.dataops.quality.feedback.Scorecard;
import io.dataops.quality.feedback.Ticket;
import io.dataops.quality.feedback.TicketStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "feedback", mixinStandardHelpOptions = true,
    description = "Quality feedback to source departments: tickets (open, acknowledged, resolved, verified) and "
        + "scorecards.",
    subcommands = {FeedbackCommand.ListTickets.class, FeedbackCommand.Show.class, FeedbackCommand.Ack.class,
        FeedbackCommand.Resolve.class, FeedbackCommand.Score.class})
final class FeedbackCommand {

  static String line(Ticket t) {
    return String.format("#%-5d %-12s %-8s %-16s %-44s %s (last failing rows %,d%s)%n", t.id(), t.state().spelling(),
        t.severity(), t.department(), t.table(), t.expectationType() + (t.columns() == null ? "" : "(" + t.columns() + ")"),
        t.lastFailingRows(), t.reopened() > 0 ? ", reopened " + t.reopened() + "x" : "");
  }

  /** The tickets; {@code changes}: the command changes them (a read-only home will not do). */
  static TicketStore store(Cli cli, CommonOptions common, boolean changes) {
    return FeedIntake.tickets(changes ? cli.config(common) : cli.configToRead(common));
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Tickets, newest last.")
  static final class ListTickets implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    @Option(names = "--department", paramLabel = "D") String department;
    @Option(names = "--state", paramLabel = "open|acknowledged|resolved|verified") String state;

    ListTickets(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      Ticket.State s = null;
      if (state != null) {
        try {
          s = Ticket.State.valueOf(state.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw new BadInputException("unknown state '" + state + "' (expected open, acknowledged, resolved, verified)");
        }
      }
      List<Ticket> tickets = store(cli, common, false).list(scope(cli, department), s);
      StringBuilder text = new StringBuilder();
      tickets.forEach(t -> text.append(line(t)));
      cli.print(common, Map.of("tickets", tickets), tickets.isEmpty() ? "no tickets" : text.toString());
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One ticket and its history.")
  static final class Show implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    @Parameters(index = "0", paramLabel = "ID") long id;

    Show(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      TicketStore store = store(cli, common, false);
      Ticket t = store.get(id).orElseThrow(() -> new BadInputException("no ticket " + id + " (see: dataops feedback list)"));
      see(cli, t.department());
      var events = store.events(id);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("ticket", t);
      json.put("events", events);
      StringBuilder text = new StringBuilder(line(t));
      text.append("  rule: ").append(t.ruleKey()).append('\n');
      events.forEach(e -> text.append(String.format("  %s  %-24s %s%s%n", e.at(), e.event(), e.actor(),
          e.note() == null ? "" : ": " + e.note())));
      cli.print(common, json, text.toString());
      return 0;
    }
  }

  @Command(name = "ack", mixinStandardHelpOptions = true, description = "The department has seen the ticket.")
  static final class Ack implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    @Parameters(index = "0", paramLabel = "ID") long id;
    @Option(names = "--note", paramLabel = "TEXT") String note;
    @Option(names = "--by", paramLabel = "WHO", description = "Who acknowledges (default: the OS user).") String by;

    Ack(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      TicketStore store = store(cli, common, true);
      own(cli, store, id);
      Ticket t = store.acknowledge(id, actor(cli, by), note, cli.audit());
      cli.print(common, t, line(t));
      return 0;
    }
  }

  @Command(name = "resolve", mixinStandardHelpOptions = true,
      description = "The department fixed the problem at the source; the next passing feed verifies it.")
  static final class Resolve implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    @Parameters(index = "0", paramLabel = "ID") long id;
    @Option(names = "--note", required = true, paramLabel = "TEXT") String note;
    @Option(names = "--by", paramLabel = "WHO") String by;

    Resolve(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      TicketStore store = store(cli, common, true);
      own(cli, store, id);
      Ticket t = store.resolve(id, actor(cli, by), note, cli.audit());
      cli.print(common, t, line(t));
      return 0;
    }
  }

  @Command(name = "scorecard", mixinStandardHelpOptions = true, description = "Each department's quality record: "
      + "its feeds, the share of rules they passed, and its tickets by state (resolved: fixed by the department, "
      + "awaiting the passing feed that verifies it).")
  static final class Score implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    @Option(names = "--department", paramLabel = "D") String department;

    Score(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      TicketStore store = store(cli, common, false);
      String d = scope(cli, department);
      List<Scorecard> cards = d == null ? Scorecard.all(store) : List.of(Scorecard.of(store, d));
      StringBuilder text = new StringBuilder(String.format("%-20s %6s %7s %10s %5s %12s %9s %9s %12s  %s%n",
          "department", "feeds", "passed", "pass rate", "open", "acknowledged", "resolved", "verified",
          "hours to fix", "trend (% rules passed)"));
      for (Scorecard c : cards) {
        text.append(String.format("%-20s %6d %7d %10s %5d %12d %9d %9d %12s  %s%n", c.department(), c.feeds(),
            c.feedsPassed(), rate(c), c.openTickets(), c.acknowledgedTickets(), c.resolvedTickets(),
            c.verifiedTickets(), c.meanHoursToResolve() == null ? "-" : String.format("%.2f", c.meanHoursToResolve()),
            c.feeds() == 0 ? "no feeds yet"
                : c.trend().stream().map(v -> v == null ? "-" : String.format("%.0f", v)).toList()));
      }
      cli.print(common, Map.of("scorecards", cards), text.toString());
      return 0;
    }
  }

  /** A scorecard's pass rate as shown: none (not 100%) while no rule has been checked on a feed of the department. */
  static String rate(Scorecard c) {
    return c.passRatePercent() == null ? "-" : String.format("%.1f%%", c.passRatePercent());
  }

  /** The authenticated user, with the name the department signs with when given ({@code --by}). */
  static String actor(Cli cli, String by) {
    return TicketStore.actor(cli.session().principal().name(), by);
  }

  /**
   * The department whose tickets a user asked for ({@code --department}): the authority and auditors any (or all, when
   * none is asked for), a department only its own. An id that is no department is refused, not shown an empty record.
   */
  static String scope(Cli cli, String asked) {
    if (asked != null) {
      department(cli, asked);
    }
    var actor = cli.session().actor();
    if (actor.has("authority") || actor.has("auditor")) {
      return asked;
    }
    if (asked != null) {
      see(cli, asked);
    }
    return actor.organization();
  }

  /** {@code id} is an organization of kind department. */
  private static void department(Cli cli, String id) {
    Names.organization(id); // typed on the command line: never echoed unless it is a plain id
    Organization o = cli.session().identities().organization(id)
        .orElseThrow(() -> new BadInputException("no department " + id + " (see: dataops org list)"));
    if (o.kind() != OrganizationKind.DEPARTMENT) {
      throw new BadInputException(id + " is not a department (it is of kind " + o.kind().label()
          + "; see: dataops org list)");
    }
  }

  /** The tickets of {@code department} are its own, the authority's and the auditors'. */
  static void see(Cli cli, String department) {
    var actor = cli.session().actor();
    if (actor.has("authority") || actor.has("auditor") || department.equals(actor.organization())) {
      return;
    }
    AccessDeniedException e = new AccessDeniedException("the tickets of " + department + " may be seen only by "
        + department + ", the authority and auditors; " + actor.user() + " acts for " + actor.organization(),
        List.of("authority", "auditor"));
    cli.session().refuse(e, List.of("organization:" + department));
    throw e;
  }

  /** A department acknowledges and resolves only its own tickets. */
  static void own(Cli cli, TicketStore store, long id) {
    Ticket t = store.get(id).orElseThrow(() -> new BadInputException("no ticket " + id + " (see: dataops feedback list)"));
    cli.session().requireOrganization(t.department(), "ticket " + id, List.of("ticket:" + id));
  }
}
