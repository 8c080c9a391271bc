package io.dataops.platform.governance;

import io.dataops.core.audit.Actor;
import io.dataops.core.audit.AuditSink;
import io.dataops.governance.db.UtcTimes;
import io.dataops.governance.grant.AccessRequest;
import io.dataops.governance.grant.Grant;
import io.dataops.governance.grant.GrantEnforcement;
import io.dataops.governance.grant.GrantRefusedException;
import io.dataops.governance.grant.GrantedAccess;
import io.dataops.governance.grant.Grants;
import io.dataops.governance.grant.Provision;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.catalog.Zone;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.definition.PipelineDefinition;
import io.dataops.pipelines.plan.ReadGrant;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.session.Sessions;
import io.dataops.products.delivery.DeliveryCheck;
import io.dataops.products.registry.ProductRegistry;
import io.dataops.products.registry.ProductVersion;
import io.dataops.products.registry.VersionState;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.TableIdentifier;

/** The governance module's grants as the platform wires them, and their form in the command line's output. */
public final class GrantServices {
  private GrantServices() {}

  public static Grants grants(PlatformConfig config, Lakehouse lakehouse, AuditSink audit) {
    return new Grants(Sessions.database(config), lakehouse, audit);
  }

  public static GrantEnforcement enforcement(PlatformConfig config, AuditSink audit) {
    return new GrantEnforcement(Sessions.database(config), audit);
  }

  /**
   * The check before each hand-over of a published version to a partner: its operator ({@code lineage.owner}) still
   * holds a live grant of its scenario naming the product ({@link io.dataops.governance.grant.Provision}). Versions
   * governed by no grant are delivered: those whose lineage names no scenario or owner (recorded before lineage had
   * them) and those of a scenario the operator never applied for (made before grants existed; every run since needs a
   * live grant of its scenario, and no application is ever deleted).
   */
  public static DeliveryCheck deliveryCheck(PlatformConfig config, AuditSink audit) {
    GrantEnforcement enforcement = enforcement(config, audit);
    return v -> {
      ProductVersion.Lineage l = v.lineage();
      if (l == null || l.scenario() == null || l.owner() == null) {
        return DeliveryCheck.Verdict.UNGOVERNED;
      }
      Provision p = enforcement.provision(l.scenario(), l.owner(), v.product());
      if (p.grant() != null) {
        return DeliveryCheck.Verdict.under(p.grant().id());
      }
      return p.allowed() ? DeliveryCheck.Verdict.UNGOVERNED : DeliveryCheck.Verdict.refused(p.refusal(), p.named());
    };
  }

  /**
   * The published versions a grant's operator made for its scenario: what a revocation may stop
   * ({@link Grants#revoke(long, Actor, String, java.util.function.Function)}).
   */
  public static java.util.function.Function<Grant, List<Grants.Provided>> published(ProductRegistry registry) {
    return g -> registry.list(null).stream()
        .filter(v -> v.state() == VersionState.PUBLISHED && v.lineage() != null
            && g.scenario().equals(v.lineage().scenario()) && g.operator().equals(v.lineage().owner()))
        .map(v -> new Grants.Provided(v.product(), v.version())).toList();
  }

  /** A revocation's output: the grant, and the published versions whose delivery it stopped ({@code stops}). */
  public static Map<String, Object> json(Grants.Revocation r, Instant now) {
    Map<String, Object> m = json(r.grant(), now);
    List<Map<String, Object>> stops = new ArrayList<>();
    for (Grants.Provided p : r.stopped()) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("product", p.product());
      s.put("version", p.version());
      stops.add(s);
    }
    m.put("stops", stops);
    return m;
  }

  /** A revocation as people read it: the grant, then what it stopped. */
  public static String text(Grants.Revocation r, Instant now) {
    return text(r.grant(), now) + (r.stopped().isEmpty()
        ? "  stops no delivery: no published version of the scenario was provided under this grant alone\n"
        : "  stops the delivery of: " + String.join(", ", r.stopped().stream()
            .map(p -> p.product() + " v" + p.version()).toList()) + "\n");
  }

  /**
   * What a pipeline reads, as a grant must cover it: each ods input with every column its reader projects (the
   * columns the input lists, whether the SQL uses them or not).
   */
  public static AccessRequest request(BoundPipeline p, Actor caller, String purpose) {
    PipelineDefinition d = p.definition();
    List<AccessRequest.TableRead> reads = reads(p.inputs());
    BoundPipeline.Population population = p.privacy() == null ? null : p.privacy().population();
    if (population != null && population.table().namespace().level(0).equals(Zone.ODS.namespaceName())
        && reads.stream().noneMatch(r -> r.table().equals(population.table().toString()))) {
      // the journalist risk reads the population's quasi-identifier columns: a granted resource like any input
      reads.add(new AccessRequest.TableRead(population.table().toString(),
          List.copyOf(population.columns().keySet())));
    }
    return new AccessRequest(d.scenario(), caller, d.owner(), d.product(), reads, purpose, "pipeline:" + d.name());
  }

  /**
   * The grant that covers what a pipeline reads and makes ({@link #request(BoundPipeline, Actor, String)}), or its
   * refusal at the file's line it is about ({@link #inFile}).
   */
  public static GrantedAccess authorize(GrantEnforcement enforcement, BoundPipeline p, Actor caller,
      String purpose) {
    try {
      return enforcement.authorize(request(p, caller, purpose));
    } catch (GrantRefusedException e) {
      throw inFile(e, p.definition());
    }
  }

  /** As above, for what a pipeline's file says it reads ({@link #request(PipelineDefinition, Actor, String)}). */
  public static GrantedAccess authorize(GrantEnforcement enforcement, PipelineDefinition d, Actor caller,
      String purpose) {
    try {
      return enforcement.authorize(request(d, caller, purpose));
    } catch (GrantRefusedException e) {
      throw inFile(e, d);
    }
  }

  /**
   * A grant's refusal of a table, a column or the product a pipeline file names, at that file's line (the input, its
   * columns, the privacy population, the product) as the file's other refusals are; the grant's refusal is its cause
   * (supervision counts it as a refused grant). Before, only these refusals named neither file nor line. A refusal
   * of the grant itself (none, another organization's, its state) concerns the scenario and is thrown as it is.
   */
  public static io.dataops.core.BadInputException inFile(GrantRefusedException e, PipelineDefinition d) {
    int line = switch (e.reason()) {
      case PRODUCT -> d.productLine();
      case TABLE -> d.readLine(e.table(), false);
      case COLUMN -> d.readLine(e.table(), true);
      default -> -1;
    };
    if (line < 0) {
      return e;
    }
    io.dataops.pipelines.definition.PipelineException located =
        new io.dataops.pipelines.definition.PipelineException(d.source(), line, e.getMessage());
    located.initCause(e);
    return located;
  }

  /**
   * What a pipeline's file says it reads, without binding it to the lakehouse (no row is read): each ods input with the
   * columns it lists, as {@link #request(BoundPipeline, Actor, String)} asks of the bound pipeline.
   */
  public static AccessRequest request(PipelineDefinition d, Actor caller, String purpose) {
    List<AccessRequest.TableRead> reads = new ArrayList<>();
    d.inputs().forEach(in -> addOds(reads, TableNames.parse(in.table()), in.columns()));
    return new AccessRequest(d.scenario(), caller, d.owner(), d.product(), reads, purpose, "pipeline:" + d.name());
  }

  /**
   * What the validator asks before its measure reads the inputs' rows ({@code pipeline validate}, and every run's
   * validation): the grant covering them, through {@code enforcement} (each answer audited as a grant.check).
   */
  public static io.dataops.pipelines.definition.ReadAccess readAccess(GrantEnforcement enforcement, Actor caller,
      String purpose) {
    return (d, inputs) -> {
      try {
        return readGrants(enforcement.authorize(new AccessRequest(d.scenario(), caller, d.owner(), d.product(),
            reads(inputs), purpose, "pipeline:" + d.name())));
      } catch (GrantRefusedException e) {
        throw inFile(e, d);
      }
    };
  }

  private static List<AccessRequest.TableRead> reads(List<BoundPipeline.BoundInput> inputs) {
    List<AccessRequest.TableRead> reads = new ArrayList<>();
    inputs.forEach(in -> addOds(reads, in.table(), in.columns().keySet()));
    return reads;
  }

  /** Only ods tables are granted resources: a read of another zone (a product built on) is not asked of a grant. */
  private static void addOds(List<AccessRequest.TableRead> reads, TableIdentifier table,
      java.util.Collection<String> columns) {
    if (table.namespace().level(0).equals(Zone.ODS.namespaceName())) {
      reads.add(new AccessRequest.TableRead(table.toString(), List.copyOf(columns)));
    }
  }

  /** The granted tables as the run plan carries them to every engine (columns, the row filter the reader applies). */
  public static List<ReadGrant> readGrants(GrantedAccess access) {
    return access.tables().values().stream()
        .map(t -> new ReadGrant(access.grantId(), t.table(), t.columns(), t.rowFilter())).toList();
  }

  /**
   * A check's JSON with {@code grant}: the covering grant's {@code id}, {@code expiresAt} and the row filter its
   * readers apply per table ({@code rowFilters}); {@code covered} is always true (an uncovered pipeline is refused).
   */
  public static Map<String, Object> withGrant(Map<String, Object> json, GrantedAccess access) {
    Map<String, Object> g = new LinkedHashMap<>();
    g.put("covered", true);
    g.put("id", access.grantId());
    g.put("expiresAt", UtcTimes.format(access.expiresAt()));
    Map<String, Object> filters = new LinkedHashMap<>();
    access.tables().forEach((t, tg) -> filters.put(t, tg.rowFilter()));
    g.put("rowFilters", filters);
    json.put("grant", g);
    return json;
  }

  /** The lines a check prints about its grant. */
  public static String text(GrantedAccess access) {
    StringBuilder s = new StringBuilder(String.format("  grant %d covers it until %s%n", access.grantId(),
        UtcTimes.format(access.expiresAt())));
    access.tables().forEach((t, tg) -> {
      if (tg.rowFilter() != null) {
        s.append(String.format("    %s: only rows where %s%n", t, tg.rowFilter()));
      }
    });
    return s.toString();
  }

  /** {@code grant list --json}: the DESIGN fields first ({@code id, scenario, operator, state, expiresAt, resources}). */
  public static Map<String, Object> json(Grant g, Instant now) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", g.id());
    m.put("scenario", g.scenario());
    m.put("operator", g.operator());
    m.put("state", g.state(now).label());
    m.put("expiresAt", UtcTimes.format(g.expiresAt()));
    List<Map<String, Object>> resources = new ArrayList<>();
    for (Grant.Resource r : g.resources()) {
      Map<String, Object> res = new LinkedHashMap<>();
      res.put("table", r.table());
      res.put("department", r.department());
      res.put("columns", r.columns());
      res.put("rowFilter", r.rowFilter());
      res.put("requestedColumns", r.requestedColumns());
      res.put("requestedFilter", r.requestedFilter());
      res.put("departmentFilter", r.departmentFilter());
      res.put("approved", g.decisions().stream().anyMatch(d -> d.approved() && d.party().equals(r.department())));
      resources.add(res);
    }
    m.put("resources", resources);
    m.put("purpose", g.purpose());
    m.put("products", g.products());
    m.put("applicant", g.applicant());
    m.put("validFrom", UtcTimes.format(g.validFrom()));
    m.put("period", Map.of("from", day(g.validFrom()).toString(), "until", day(g.expiresAt()).minusDays(1).toString()));
    m.put("appliedAt", UtcTimes.format(g.appliedAt()));
    m.put("decidedAt", g.decidedAt() == null ? null : UtcTimes.format(g.decidedAt()));
    m.put("awaiting", g.stored() == io.dataops.governance.grant.GrantState.PENDING ? g.awaiting() : List.of());
    List<Map<String, Object>> decisions = new ArrayList<>();
    for (Grant.Decision d : g.decisions()) {
      Map<String, Object> dm = new LinkedHashMap<>();
      dm.put("party", d.party());
      dm.put("decision", d.approved() ? "approved" : "rejected");
      dm.put("by", d.decidedBy());
      dm.put("organization", d.organization());
      dm.put("at", UtcTimes.format(d.decidedAt()));
      dm.put("note", d.note());
      decisions.add(dm);
    }
    m.put("decisions", decisions);
    if (g.revokedAt() != null) {
      m.put("revoked", Map.of("at", UtcTimes.format(g.revokedAt()), "by", g.revokedBy(), "reason", g.revokeReason()));
    }
    m.put("applicationSha256", g.applicationSha256());
    return m;
  }

  /** One application as people read it. */
  public static String text(Grant g, Instant now) {
    StringBuilder s = new StringBuilder(String.format("%s: %s, operator %s, %s to %s (expires %s)%n", g.label(),
        g.state(now).label(), g.operator(), day(g.validFrom()), day(g.expiresAt()).minusDays(1),
        UtcTimes.format(g.expiresAt())));
    s.append("  purpose: ").append(g.purpose()).append('\n');
    s.append("  products: ").append(String.join(", ", g.products())).append('\n');
    for (Grant.Resource r : g.resources()) {
      s.append(String.format("  %s (%s): %s%s%n", r.table(), r.department(), String.join(", ", r.columns()),
          r.rowFilter() == null ? "" : "; rows where " + r.rowFilter()));
    }
    for (Grant.Decision d : g.decisions()) {
      s.append(String.format("  %s %s by %s (%s) at %s%s%n", d.party(), d.approved() ? "approved" : "rejected",
          d.decidedBy(), d.organization(), UtcTimes.format(d.decidedAt()), d.note() == null ? "" : ": " + d.note()));
    }
    if (g.stored() == io.dataops.governance.grant.GrantState.PENDING) {
      s.append("  awaiting: ").append(String.join(", ", g.awaiting())).append('\n');
    }
    if (g.revokedAt() != null) {
      s.append(String.format("  revoked by %s at %s: %s%n", g.revokedBy(), UtcTimes.format(g.revokedAt()),
          g.revokeReason()));
    }
    return s.toString();
  }

  private static LocalDate day(Instant t) {
    return LocalDate.ofInstant(t, Grants.ZONE);
  }
}
