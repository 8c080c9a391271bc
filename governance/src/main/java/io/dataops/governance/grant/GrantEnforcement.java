package io.dataops.governance.grant;

import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.governance.db.GovernanceDatabase;
import io.dataops.governance.db.UtcTimes;
import io.dataops.governance.grant.GrantRefusedException.Reason;
import io.dataops.lakehouse.catalog.Zone;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The check every run makes before it reads (the enforcement API executors call): the pipeline's scenario resolves to
 * a live grant held by the caller's organization, and every ods table it reads, with every column its reader
 * projects, lies inside that grant. The answer gives each table's granted columns and the row filter the reader must
 * apply itself. Each decision is an audit event ({@code grant.check}, ok or refused).
 *
 * <p>Only ods tables are granted resources: tables of other zones in a request (a product a pipeline builds on) are
 * governed by the products' own access rules and are not looked up here.
 */
public final class GrantEnforcement {
  private final GovernanceDatabase db;
  private final GrantStore store;
  private final AuditSink audit;
  private final Clock clock;

  public GrantEnforcement(GovernanceDatabase db, AuditSink audit, Clock clock) {
    this.db = db;
    this.store = new GrantStore(db);
    this.audit = audit;
    this.clock = clock;
  }

  public GrantEnforcement(GovernanceDatabase db, AuditSink audit) {
    this(db, audit, Clock.systemUTC());
  }

  /** The access a live grant gives the request; otherwise refused with the table, column or reason (and audited). */
  public GrantedAccess authorize(AccessRequest request) {
    Outcome o = resolve(request);
    record(request, o, true);
    if (o.refusal() != null) {
      throw o.refusal();
    }
    return o.access();
  }

  /**
   * Whether the request is covered, without refusing (a check ahead of a run, e.g. {@code pipeline validate}); the
   * answer is audited as advisory.
   */
  public Coverage coverage(AccessRequest request) {
    Outcome o = resolve(request);
    record(request, o, false);
    return new Coverage(o.access(), o.refusal());
  }

  /** The answer of {@link #coverage}: the access when covered, else the refusal a run would meet. */
  public record Coverage(GrantedAccess access, GrantRefusedException refusal) {
    public boolean covered() {
      return access != null;
    }
  }

  /**
   * Whether {@code operator} may still provide {@code product}, made for {@code scenario}, now (see {@link Provision}):
   * asked before a version is handed to a partner. Not audited here: the caller's event (the delivery, or its
   * refusal) records the answer.
   */
  public Provision provision(String scenario, String operator, String product) {
    Instant now = clock.instant();
    List<Grant> all = db.read("read the grants of a scenario", c -> store.list(c, scenario));
    return Provision.of(all, scenario, operator, product, now);
  }

  private record Outcome(GrantedAccess access, GrantRefusedException refusal) {}

  private Outcome resolve(AccessRequest request) {
    Instant now = clock.instant();
    List<Grant> all = db.read("read the grants of a scenario", c -> store.list(c, request.scenario()));
    try {
      return new Outcome(grantFor(request, all, now), null);
    } catch (GrantRefusedException e) {
      return new Outcome(null, e);
    }
  }

  private static GrantedAccess grantFor(AccessRequest request, List<Grant> all, Instant now) {
    String scenario = request.scenario();
    String org = request.caller().organization();
    if (request.owner() != null && !request.owner().equals(org)) {
      throw new GrantRefusedException(request.subject() + " is " + request.owner() + "'s; " + request.caller().user()
          + " acts for " + org + ", which holds no grant to run it", Reason.NOT_GRANTEE, null, null, null);
    }
    if (all.isEmpty()) {
      throw new GrantRefusedException("no grant for scenario '" + scenario + "': the operator applies for one "
          + "(dataops grant apply FILE)", Reason.NO_GRANT, null, null, null);
    }
    List<Grant> mine = new ArrayList<>(all.stream().filter(g -> g.operator().equals(org)).toList());
    if (mine.isEmpty()) {
      throw new GrantRefusedException("scenario '" + scenario + "' is granted to " + String.join(", ",
          all.stream().map(Grant::operator).distinct().sorted().toList()) + ", not to " + org + " ("
          + request.caller().user() + " is not the grantee)", Reason.NOT_GRANTEE, null, null, null);
    }
    mine.sort(Comparator.comparingLong(Grant::id).reversed());
    List<Grant> live = mine.stream().filter(g -> g.live(now)).toList();
    if (live.isEmpty()) {
      throw notLive(mine.get(0), now);
    }
    GrantRefusedException first = null;
    for (Grant g : live) {
      try {
        return access(g, request);
      } catch (GrantRefusedException e) {
        first = first == null ? e : first;
      }
    }
    throw first;
  }

  private static GrantRefusedException notLive(Grant g, Instant now) {
    String label = g.label();
    return switch (g.state(now)) {
      case PENDING -> new GrantRefusedException(label + " is not granted yet: it awaits the approval of "
          + String.join(", ", g.awaiting()), Reason.PENDING, g.id(), null, null);
      case REJECTED -> {
        Grant.Decision d = g.decisions().stream().filter(x -> !x.approved()).findFirst().orElse(null);
        yield new GrantRefusedException(label + " was rejected" + (d == null ? "" : " by " + d.party() + ": "
            + d.note()) + "; the operator applies again", Reason.REJECTED, g.id(), null, null);
      }
      case REVOKED -> new GrantRefusedException(label + " was revoked at " + UtcTimes.format(g.revokedAt()) + " by "
          + g.revokedBy() + ": " + g.revokeReason(), Reason.REVOKED, g.id(), null, null);
      case EXPIRED -> new GrantRefusedException(label + " expired at " + UtcTimes.format(g.expiresAt())
          + "; the operator applies again", Reason.EXPIRED, g.id(), null, null);
      case ACTIVE -> new GrantRefusedException(label + " is valid from " + UtcTimes.format(g.validFrom()),
          Reason.NOT_YET_VALID, g.id(), null, null);
    };
  }

  private static GrantedAccess access(Grant g, AccessRequest request) {
    if (request.product() != null && !g.products().contains(request.product())) {
      throw new GrantRefusedException("product " + request.product() + " is not among the products " + g.label()
          + " was granted for (" + String.join(", ", g.products()) + ")", Reason.PRODUCT, g.id(), null, null);
    }
    Map<String, GrantedAccess.TableGrant> tables = new LinkedHashMap<>();
    for (AccessRequest.TableRead read : request.tables()) {
      if (!Zone.ODS.holds(read.table())) { // grants govern raw data; products are governed by their versions
        continue;
      }
      Grant.Resource r = g.resource(read.table());
      if (r == null) {
        throw new GrantRefusedException("table " + read.table() + " is not in " + g.label() + " (it grants "
            + String.join(", ", g.resources().stream().map(Grant.Resource::table).toList()) + ")", Reason.TABLE,
            g.id(), read.table(), null);
      }
      for (String column : read.columns()) {
        if (!r.columns().contains(column)) {
          throw new GrantRefusedException("column '" + column + "' of " + read.table() + " is not granted by "
              + g.label() + " (granted: " + String.join(", ", r.columns()) + ")", Reason.COLUMN, g.id(),
              read.table(), column);
        }
      }
      tables.put(read.table(), new GrantedAccess.TableGrant(read.table(), r.columns(), r.rowFilter()));
    }
    return new GrantedAccess(g.id(), g.scenario(), g.operator(), g.expiresAt(), tables);
  }

  private void record(AccessRequest request, Outcome o, boolean enforced) {
    List<String> objects = new ArrayList<>();
    Long grant = o.access() != null ? Long.valueOf(o.access().grantId()) : o.refusal().grantId();
    if (grant != null) {
      objects.add("grant:" + grant);
    }
    if (request.subject() != null) {
      objects.add(request.subject());
    }
    if (request.product() != null) {
      objects.add("product:" + request.product());
    }
    Map<String, Object> columns = new LinkedHashMap<>();
    for (AccessRequest.TableRead t : request.tables()) {
      objects.add("table:" + t.table());
      columns.put(t.table(), t.columns());
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("scenario", request.scenario());
    details.put("purpose", request.purpose());
    details.put("enforced", enforced);
    details.put("columns", columns);
    if (o.refusal() != null) {
      details.put("reason", o.refusal().reason().label());
      details.put("message", o.refusal().getMessage());
    }
    audit.record(new AuditEvent("grant.check", objects, o.refusal() == null ? AuditEvent.OK : AuditEvent.REFUSED,
        details));
  }
}
