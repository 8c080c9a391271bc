package io.dataops.governance.evaluation;

import io.dataops.core.audit.Actor;
import io.dataops.governance.audit.AuditRecord;
import io.dataops.governance.audit.AuditTrail;
import io.dataops.governance.db.UtcTimes;
import io.dataops.governance.grant.Grant;
import io.dataops.governance.grant.GrantState;
import io.dataops.governance.grant.Grants;
import io.dataops.governance.identity.Organization;
import io.dataops.governance.identity.OrganizationKind;
import io.dataops.governance.metering.DeliveryRecord;
import io.dataops.governance.metering.Metering;
import io.dataops.governance.metering.ReadRecord;
import io.dataops.governance.supervision.Alert;
import io.dataops.governance.supervision.Supervision;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.contract.ContractRegistry;
import io.dataops.lakehouse.contract.FeedSchedule;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Counts a month's scorecards (成效评估) from the recorded facts: landings ({@code feed.land} events) against the
 * contracts' declared schedules, the quality runs and tickets, publications in the product registry, metered
 * deliveries and reads, the grants in force, supervision's alerts and refused runs. Events are read a page at a time.
 */
public final class Evaluation {
  private static final int PAGE = 1000;

  /** Where the facts are. */
  public record Sources(AuditTrail trail, List<Organization> organizations, ContractRegistry contracts,
      EvaluationFacts facts, Metering metering, Grants grants, Supervision supervision, Actor viewer) {}

  private final Sources s;

  public Evaluation(Sources sources) {
    this.s = sources;
  }

  public Scorecards of(YearMonth month, Instant now) {
    Instant from = month.atDay(1).atStartOfDay(FeedSchedule.ZONE).toInstant();
    Instant until = month.plusMonths(1).atDay(1).atStartOfDay(FeedSchedule.ZONE).toInstant();
    // A month evaluated before it is over counts what was due so far: the rest of its feeds are not missed yet.
    Instant counted = now.isBefore(until) ? now : until;
    s.metering().sync();
    Map<String, List<Instant>> landings = new HashMap<>();
    Map<String, int[]> refusedRuns = new HashMap<>();
    events(List.of("feed.land", "pipeline.run"), from.minus(Duration.ofDays(7)), until, e -> {
      if ("feed.land".equals(e.action()) && "ok".equals(e.outcome()) && e.details().get("duplicateOf") == null) {
        e.objects().stream().filter(o -> o.startsWith("table:")).findFirst()
            .ifPresent(t -> landings.computeIfAbsent(t.substring("table:".length()), k -> new ArrayList<>())
                .add(e.at()));
      } else if ("pipeline.run".equals(e.action()) && "refused".equals(e.outcome()) && !e.at().isBefore(from)) {
        int[] n = refusedRuns.computeIfAbsent(e.organization(), k -> new int[2]);
        n[0]++;
        n[1] += "failed".equals(e.details().get("leakCheck")) ? 1 : 0;
      }
    });
    // A feed is due under a contract's schedule only once the contract is registered: its first registration.
    Map<String, Instant> registered = new HashMap<>();
    events(List.of("contract.register"), Instant.EPOCH, Instant.MAX, e -> {
      if ("ok".equals(e.outcome())) {
        e.objects().stream().filter(o -> o.startsWith("contract:")).findFirst()
            .ifPresent(c -> registered.merge(c.substring("contract:".length()), e.at(),
                (a, b) -> a.isBefore(b) ? a : b));
      }
    });
    List<Scorecards.Department> departments = new ArrayList<>();
    List<Scorecards.Operator> operators = new ArrayList<>();
    List<EvaluationFacts.Version> versions = s.facts().versions();
    List<DeliveryRecord> deliveries = s.metering().deliveries(from, until);
    List<ReadRecord> reads = s.metering().reads(from, until);
    Map<String, Integer> alertsOf = new HashMap<>();
    Map<String, Map<String, Integer>> alertRules = new HashMap<>();
    for (Alert a : s.supervision().alerts(from, until)) {
      String org = organizationOf(a.lastSeq());
      if (org != null) {
        alertsOf.merge(org, 1, Integer::sum);
        alertRules.computeIfAbsent(org, k -> new TreeMap<>()).merge(a.rule(), 1, Integer::sum);
      }
    }
    List<Grant> grants = s.grants().list(s.viewer());
    for (Organization o : s.organizations()) {
      if (o.kind() == OrganizationKind.DEPARTMENT) {
        departments.add(new Scorecards.Department(o.id(), o.displayName(), timeliness(o.id(), month, landings,
            registered, counted),
            quality(o.id(), month), tickets(o.id(), from, until)));
      } else if (o.kind() == OrganizationKind.OPERATOR) {
        int[] refused = refusedRuns.getOrDefault(o.id(), new int[2]);
        operators.add(new Scorecards.Operator(o.id(), o.displayName(), published(o.id(), versions, from, until),
            usage(o.id(), versions, deliveries), new Scorecards.Incidents(alertsOf.getOrDefault(o.id(), 0),
                alertRules.getOrDefault(o.id(), Map.of()), refused[0], refused[1]),
            grantUse(o.id(), grants, reads, from, counted)));
      }
    }
    return new Scorecards(month.toString(), FeedSchedule.ZONE.getId(), UtcTimes.format(now), UtcTimes.format(counted),
        counted.isBefore(until), departments, operators,
        List.of("timeliness: feed.land events in the audit trail against each contract's schedule, from its first "
            + "registration (contract.register), the feeds due by " + UtcTimes.format(counted),
            "quality: the quality runs of landed feeds and their tickets",
            "products: publications in the product registry; usage: metered deliveries",
            "incidents: supervision's alerts (by the organization of the event that raised each) and refused runs",
            "grants: grants in force (approved, their period begun) by " + UtcTimes.format(counted)
                + " and not ended before the month, against metered reads under them"));
  }

  /** Each event of the actions at or after {@code from} and before {@code until}, oldest first, a page at a time. */
  private void events(List<String> actions, Instant from, Instant until, Consumer<AuditRecord> each) {
    long seq = 0;
    while (true) {
      List<AuditRecord> page = s.trail().after(seq, actions, PAGE);
      for (AuditRecord e : page) {
        if (!e.at().isBefore(from) && e.at().isBefore(until)) {
          each.accept(e);
        }
      }
      if (page.size() < PAGE) {
        return;
      }
      seq = page.get(page.size() - 1).seq();
    }
  }

  private String organizationOf(long seq) {
    List<AuditRecord> e = s.trail().after(seq - 1, null, 1);
    return e.isEmpty() || e.get(0).seq() != seq ? null : e.get(0).organization();
  }

  private Scorecards.Timeliness timeliness(String department, YearMonth month, Map<String, List<Instant>> landings,
      Map<String, Instant> registered, Instant counted) {
    List<Scorecards.Dataset> datasets = new ArrayList<>();
    int due = 0;
    int onTime = 0;
    int late = 0;
    int missed = 0;
    // Each registered contract's dataset, then tables landed by a contract never registered (no schedule known).
    Map<String, FeedSchedule> tables = new TreeMap<>();
    Map<String, String> names = new HashMap<>();
    for (ContractRegistry.Registered r : s.contracts().list()) {
      if (r.department().equals(department)) {
        String table = TableNames.ods(department, r.dataset()).toString();
        names.put(table, r.dataset());
        tables.put(table, r.contract().schedule());
      }
    }
    String prefix = TableNames.ods(department, "x").toString();
    prefix = prefix.substring(0, prefix.length() - 1);
    for (String table : landings.keySet()) {
      if (table.startsWith(prefix) && !tables.containsKey(table)) {
        tables.put(table, null);
        names.put(table, table.substring(prefix.length()));
      }
    }
    for (Map.Entry<String, FeedSchedule> entry : tables.entrySet()) {
      List<Instant> landed = landings.getOrDefault(entry.getKey(), List.of());
      FeedSchedule schedule = entry.getValue();
      Instant since = schedule == null ? null : registered.get(department + "/" + names.get(entry.getKey()));
      int[] n = new int[4];
      if (schedule != null) {
        for (FeedSchedule.Slot slot : schedule.slots(month)) {
          Instant dueAt = slot.due().toInstant();
          if (dueAt.isAfter(counted) || since != null && dueAt.isBefore(since)) {
            continue; // not due yet, or due before the schedule was declared
          }
          Instant first = landed.stream().filter(t -> !t.isBefore(slot.opens().toInstant())
              && t.isBefore(slot.closes().toInstant())).min(Instant::compareTo).orElse(null);
          n[0]++;
          n[first == null ? 3 : first.isBefore(slot.due().toInstant()) ? 1 : 2]++;
        }
      }
      Instant start = month.atDay(1).atStartOfDay(FeedSchedule.ZONE).toInstant();
      datasets.add(new Scorecards.Dataset(names.get(entry.getKey()), schedule == null ? null : schedule.yaml(),
          since == null ? null : UtcTimes.format(since), n[0], n[1], n[2], n[3],
          (int) landed.stream().filter(t -> !t.isBefore(start)).count()));
      due += n[0];
      onTime += n[1];
      late += n[2];
      missed += n[3];
    }
    String said = (counted.isBefore(month.plusMonths(1).atDay(1).atStartOfDay(FeedSchedule.ZONE).toInstant())
        ? "feeds due so far (by " + UtcTimes.format(counted) + "; the month is not over)" : "feeds due in the month")
        + ", counted from the registration of each dataset's contract";
    return new Scorecards.Timeliness(said, due, onTime, late, missed, due == 0 ? null : percent(onTime, due),
        datasets);
  }

  private Scorecards.Quality quality(String department, YearMonth month) {
    int feeds = 0;
    int passed = 0;
    long evaluated = 0;
    long met = 0;
    long previousEvaluated = 0;
    long previousMet = 0;
    List<Double> trend = new ArrayList<>();
    for (EvaluationFacts.FeedRun r : s.facts().feedRuns(department)) {
      YearMonth at = YearMonth.from(OffsetDateTime.parse(r.at()).atZoneSameInstant(FeedSchedule.ZONE));
      if (at.equals(month)) {
        feeds++;
        passed += r.passed() ? 1 : 0;
        evaluated += r.evaluated();
        met += r.successful();
        trend.add(r.evaluated() == 0 ? 100.0 : percent(r.successful(), r.evaluated()));
      } else if (at.equals(month.minusMonths(1))) {
        previousEvaluated += r.evaluated();
        previousMet += r.successful();
      }
    }
    return new Scorecards.Quality(feeds, passed, evaluated == 0 ? null : percent(met, evaluated),
        previousEvaluated == 0 ? null : percent(previousMet, previousEvaluated), trend);
  }

  private Scorecards.Tickets tickets(String department, Instant from, Instant until) {
    int opened = 0;
    int active = 0;
    Mean ack = new Mean();
    Mean resolve = new Mean();
    Mean verify = new Mean();
    for (EvaluationFacts.TicketTimes t : s.facts().tickets(department)) {
      Instant o = OffsetDateTime.parse(t.openedAt()).toInstant();
      if (o.isBefore(from) || !o.isBefore(until)) {
        continue;
      }
      opened++;
      active += t.active() ? 1 : 0;
      ack.add(o, t.acknowledgedAt());
      resolve.add(o, t.resolvedAt());
      verify.add(o, t.verifiedAt());
    }
    return new Scorecards.Tickets(opened, ack.n, ack.mean(), resolve.n, resolve.mean(), verify.n, verify.mean(),
        active);
  }

  /** Hours from opening, averaged over the tickets that got there. */
  private static final class Mean {
    int n;
    double hours;

    void add(Instant opened, String at) {
      if (at != null) {
        n++;
        hours += Duration.between(opened, OffsetDateTime.parse(at).toInstant()).toMillis() / 3_600_000.0;
      }
    }

    Double mean() {
      return n == 0 ? null : Math.round(hours / n * 100) / 100.0;
    }
  }

  private static List<String> published(String operator, List<EvaluationFacts.Version> versions, Instant from,
      Instant until) {
    List<String> out = new ArrayList<>();
    for (EvaluationFacts.Version v : versions) {
      if (v.publishedAt() != null && operator.equals(v.owner())) {
        Instant at = OffsetDateTime.parse(v.publishedAt()).toInstant();
        if (!at.isBefore(from) && at.isBefore(until)) {
          out.add(v.label());
        }
      }
    }
    return out;
  }

  private static Scorecards.Usage usage(String operator, List<EvaluationFacts.Version> versions,
      List<DeliveryRecord> deliveries) {
    Set<String> own = new TreeSet<>();
    versions.stream().filter(v -> operator.equals(v.owner())).forEach(v -> own.add(v.product()));
    int n = 0;
    long rows = 0;
    long bytes = 0;
    Set<String> partners = new TreeSet<>();
    Map<String, Integer> byProduct = new TreeMap<>();
    for (DeliveryRecord d : deliveries) {
      if (own.contains(d.product())) {
        n++;
        rows += d.rows();
        bytes += d.bytes();
        partners.add(d.partner());
        byProduct.merge(d.product(), 1, Integer::sum);
      }
    }
    return new Scorecards.Usage(n, rows, bytes, List.copyOf(partners), byProduct);
  }

  /** The grants in force at some time from {@code from} to {@code counted} (the month's end, or now). */
  private static List<Scorecards.GrantUse> grantUse(String operator, List<Grant> grants, List<ReadRecord> reads,
      Instant from, Instant counted) {
    List<Scorecards.GrantUse> out = new ArrayList<>();
    for (Grant g : grants) {
      // Only an active grant is ever revoked: both were in force from their start.
      if (!g.operator().equals(operator) || g.stored() != GrantState.ACTIVE && g.stored() != GrantState.REVOKED) {
        continue;
      }
      Instant end = g.revokedAt() != null && g.revokedAt().isBefore(g.expiresAt()) ? g.revokedAt() : g.expiresAt();
      // In force from its period's start or its approval, whichever is later: a grant approved after the month,
      // for a period that began in it, was not in force in it.
      Instant start = g.decidedAt() != null && g.decidedAt().isAfter(g.validFrom()) ? g.decidedAt() : g.validFrom();
      if (!start.isBefore(counted) || !end.isAfter(from)) {
        continue;
      }
      Set<String> read = new TreeSet<>();
      Set<String> runs = new TreeSet<>();
      long rows = 0;
      for (ReadRecord r : reads) {
        if (r.grantId() != null && r.grantId() == g.id()) {
          read.add(r.table());
          runs.add(r.runKey());
          rows += r.rows();
        }
      }
      List<String> granted = g.resources().stream().map(Grant.Resource::table).sorted().toList();
      int columns = g.resources().stream().mapToInt(r -> r.columns().size()).sum();
      out.add(new Scorecards.GrantUse(g.id(), g.scenario(), granted, columns, List.copyOf(read), runs.size(), rows,
          granted.isEmpty() ? null : percent(read.size(), granted.size())));
    }
    return out;
  }

  private static double percent(long part, long whole) {
    return Math.round(1000.0 * part / whole) / 10.0;
  }
}
