package io.dataops.platform.cli;

import io.dataops.core.BadInputException;
import io.dataops.core.text.VisibleText;
import io.dataops.governance.audit.AuditFilter;
import io.dataops.governance.audit.AuditRecord;
import io.dataops.governance.audit.Checkpoint;
import io.dataops.governance.audit.Verification;
import io.dataops.governance.metering.MeteringCheck;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.platform.config.PlatformConfig;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The audit trail (全程审计): verify the hash chain against its checkpoints, list events, checkpoint the head. */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "The tamper-evident audit trail: every state change and data access, in a hash chain.",
    subcommands = {AuditCommand.Verify.class, AuditCommand.ListEvents.class, AuditCommand.CheckpointHead.class})
final class AuditCommand {

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Recompute the whole chain and compare it with the checkpoints in the lakehouse: ok, events, "
          + "firstBad (the first event where it breaks).")
  static final class Verify implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;

    Verify(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      PlatformConfig config = cli.configToRead(common);
      try (Lakehouse lakehouse = cli.lakehouse(config)) {
        Verification v = io.dataops.platform.governance.AuditAnchors.verify(config, lakehouse, cli.session().trail());
        // The records derived from the chain live beside it, outside it: held to their events once the chain holds
        // (against a broken chain they say nothing). Deriving nothing: the home may be read-only.
        MeteringCheck metering = v.ok()
            ? io.dataops.platform.billing.BillingServices.metering(config).checkDerived() : null;
        // So is the product registry: each version's state and publication as its lifecycle events say.
        List<String> products = v.ok() ? new io.dataops.products.registry.RegistryCheck(cli.session().trail())
            .check(io.dataops.platform.product.ProductServices.registry(config)) : null;
        boolean ok = v.ok() && metering.ok() && products.isEmpty();
        String reason = !v.ok() ? v.reason() : !metering.ok() ? "the metering records differ from the audit trail: "
            + String.join("; ", metering.problems()) : !products.isEmpty() ? "the product registry differs from the"
            + " audit trail: " + String.join("; ", products) : null;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("ok", ok);
        json.put("events", v.events());
        json.put("firstBad", v.firstBad());
        json.put("reason", reason);
        json.put("checkpoints", v.checkpoints());
        json.put("metering", metering == null ? null : Map.of("ok", metering.ok(), "events", metering.events(),
            "records", metering.records(), "problems", metering.problems()));
        json.put("products", products == null ? null : Map.of("ok", products.isEmpty(), "problems", products));
        cli.print(common, json, ok
            ? String.format("audit trail ok: %,d events, %d checkpoints match; %,d metering records match their "
                + "events%n", v.events(), v.checkpoints(), metering.records())
            : String.format("audit trail NOT ok%s: %s (%,d events)%n", v.firstBad() == null ? ""
                : " at event " + v.firstBad(), reason, v.events()));
        return ok ? 0 : 1;
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Events, newest first unless told.")
  static final class ListEvents implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    @Option(names = "--actor", paramLabel = "USER") String actor;
    @Option(names = "--organization", paramLabel = "ORG") String organization;
    @Option(names = "--action", paramLabel = "ACTION", description = "e.g. product.approve, or product.* for all "
        + "product events") String action;
    @Option(names = "--object", paramLabel = "OBJECT", description = "A typed name: table:ods.x, product:p@2, "
        + "user:alice (exact); or any part of one with --object-contains.") String object;
    @Option(names = "--object-contains", paramLabel = "TEXT") String objectContains;
    @Option(names = "--outcome", paramLabel = "ok|refused|failed") String outcome;
    @Option(names = "--since", paramLabel = "TIME", description = "ISO-8601 instant, e.g. 2026-11-30T00:00:00Z")
    String since;
    @Option(names = "--until", paramLabel = "TIME") String until;
    @Option(names = "--limit", paramLabel = "N", defaultValue = "100") int limit;
    @Option(names = "--oldest-first") boolean oldestFirst;

    ListEvents(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      AuditFilter f = AuditFilter.newest().limit(limit);
      if (actor != null) {
        f = f.actor(actor);
      }
      if (organization != null) {
        f = f.organization(organization);
      }
      if (action != null) {
        f = f.action(action);
      }
      if (object != null) {
        f = f.object(object);
      }
      if (objectContains != null) {
        f = f.objectContains(objectContains);
      }
      if (outcome != null) {
        f = f.outcome(outcome);
      }
      if (since != null || until != null) {
        f = f.between(instant("--since", since), instant("--until", until));
      }
      if (oldestFirst) {
        f = f.oldestFirst();
      }
      cli.configToRead(common);
      List<AuditRecord> events = cli.session().trail().list(f);
      StringBuilder text = new StringBuilder();
      for (AuditRecord r : events) {
        text.append(String.format("%6d %s %-10s %-12s %-22s %-8s %s%n", r.seq(), r.at(), r.actor(),
            r.role() == null ? "" : r.role(), r.action(), r.outcome(),
            // An object may name a file a department sent: its line feed forged a line of this listing (a probe).
            VisibleText.value(String.join(" ", r.objects()))));
      }
      cli.print(common, Map.of("events", events), events.isEmpty() ? "no events" : text.toString());
      return 0;
    }

    private static final Instant FIRST_FIVE_DIGIT_YEAR = Instant.parse("+10000-01-01T00:00:00Z");

    private static Instant instant(String option, String text) {
      if (text == null) {
        return null;
      }
      Instant at;
      try {
        at = Instant.parse(text.strip());
      } catch (DateTimeParseException e) {
        throw new BadInputException(option + " is an ISO-8601 instant such as 2026-11-30T08:00:00Z");
      }
      // The trail compares times as text, which orders them only with four-digit years (+10000-... sorts first).
      if (at.isBefore(Instant.EPOCH) || !at.isBefore(FIRST_FIVE_DIGIT_YEAR)) {
        throw new BadInputException(option + " is an instant from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z");
      }
      return at;
    }
  }

  @Command(name = "checkpoint", mixinStandardHelpOptions = true,
      description = "Write the chain's head into the lakehouse (audit.checkpoints), after checking the events since "
          + "the last checkpoint: a later rewrite of the database alone is then detected.")
  static final class CheckpointHead implements Callable<Integer> {
    private final Cli cli;
    final CommonOptions common;
    @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "on demand") String reason;

    CheckpointHead(Cli cli) {
      this.cli = cli;
      this.common = cli.common;
    }

    @Override
    public Integer call() {
      PlatformConfig config = cli.config(common);
      try (Lakehouse lakehouse = cli.lakehouse(config)) {
        Checkpoint c = io.dataops.platform.governance.AuditAnchors.checkpoint(config, lakehouse, cli.session().trail(),
            reason);
        cli.print(common, c, String.format("checkpoint: event %d, hash %s%n", c.seq(), c.hash()));
      }
      return 0;
    }
  }
}
