package io.dataops.governance.grant;

import io.dataops.core.AccessDeniedException;
import io.dataops.core.BadInputException;
import io.dataops.core.SourceLineException;
import io.dataops.core.StateRefusedException;
import io.dataops.core.audit.Actor;
import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.core.digest.Digests;
import io.dataops.core.text.FreeText;
import io.dataops.governance.db.GovernanceDatabase;
import io.dataops.governance.db.UtcTimes;
import io.dataops.governance.identity.Organization;
import io.dataops.governance.identity.OrganizationKind;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.landing.FeedTables;
import io.dataops.pipelines.definition.RowFilters;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;

/**
 * Scenario applications and grants (依场景授权): an operator applies; the authority and every department owning a
 * requested table decide, each once (a department for its own tables, where it may narrow the columns and add a row
 * filter); the application becomes a grant when all approved and ends when any party rejects it; the authority may
 * revoke a grant; a grant expires at the end of its period. Days are those of the district (China Standard Time).
 * Each decision is one compare-and-set transaction that appends its audit event too (through the sink given), so no
 * decision stands without its event; refusals of who may decide
 * are {@link AccessDeniedException}s for the caller to audit, as for every command.
 *
 * <p>{@link GrantEnforcement} answers whether a run may read what it reads.
 */
public final class Grants {
  /** The district's calendar: a period's days begin and end at midnight here. */
  public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  public static final int REASON_MAX = FreeText.MAX;

  private final GovernanceDatabase db;
  private final GrantStore store;
  private final Lakehouse lakehouse;
  private final AuditSink audit;
  private final Clock clock;

  /** @param lakehouse where the requested tables are checked (columns, filters, owning department) */
  public Grants(GovernanceDatabase db, Lakehouse lakehouse, AuditSink audit, Clock clock) {
    this.db = db;
    this.store = new GrantStore(db);
    this.lakehouse = lakehouse;
    this.audit = audit;
    this.clock = clock;
  }

  public Grants(GovernanceDatabase db, Lakehouse lakehouse, AuditSink audit) {
    this(db, lakehouse, audit, Clock.systemUTC());
  }

  public Instant now() {
    return clock.instant();
  }

  // ---- applying

  /** Files an application for the applicant's organization; pending until every party decided. */
  public Grant apply(Application a, Actor applicant) {
    if (!applicant.has("operator")) {
      throw AccessDeniedException.roles("grant apply", applicant, "operator");
    }
    String operator = a.operator() != null ? a.operator() : applicant.organization();
    if (!operator.equals(applicant.organization())) {
      throw new AccessDeniedException("the application is for operator " + operator + "; " + applicant.user()
          + " acts for " + applicant.organization() + " (an operator applies for itself)", List.of("operator"));
    }
    LocalDate today = LocalDate.ofInstant(now(), ZONE);
    LocalDate from = a.from() != null ? a.from() : today;
    if (a.until().isBefore(today)) {
      throw new SourceLineException(a.source(), 0, "the period ended on " + a.until() + ": a grant lasts from today "
          + "at the earliest");
    }
    // A grant authorizes from the day it is filed: one dated back would record access as authorized for days
    // nobody had decided on it.
    if (from.isBefore(today)) {
      throw new SourceLineException(a.source(), 0, "the period begins on " + from + ", before today (" + today
          + "): a grant lasts from the day it is filed at the earliest (leave 'from' out to begin today)");
    }
    if (a.until().isBefore(from)) {
      throw new SourceLineException(a.source(), 0, "the period ends (" + a.until() + ") before it begins (" + from
          + ")");
    }
    List<Grant.Resource> resources = new ArrayList<>();
    for (Application.Resource r : a.resources()) {
      resources.add(new Grant.Resource(r.table(), owner(a, r), r.columns(), r.filter(), null, null));
    }
    Instant at = now();
    Grant made = db.write("file a grant application", c -> {
      long id = store.nextId(c);
      Grant g = new Grant(id, a.scenario(), a.purpose(), operator, applicant.user(), a.products(),
          from.atStartOfDay(ZONE).toInstant(), a.until().plusDays(1).atStartOfDay(ZONE).toInstant(),
          GrantState.PENDING, at, null, null, null, null, a.sha256(), resources, List.of());
      store.insert(c, g);
      Grant filed = store.load(c, id).orElseThrow();
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("scenario", filed.scenario());
      details.put("operator", filed.operator());
      details.put("products", filed.products());
      details.put("validFrom", UtcTimes.format(filed.validFrom()));
      details.put("expiresAt", UtcTimes.format(filed.expiresAt()));
      details.put("columns", columnsByTable(filed));
      details.put("filters", filterDigests(filed, true));
      details.put("parties", filed.parties());
      details.put("applicationSha256", filed.applicationSha256());
      audit.record(c, AuditEvent.ok("grant.apply", objects(filed, filed.resources()), details));
      return filed;
    });
    return made;
  }

  /** The department that owns a requested table, after checking the table, its columns and the filter. */
  private String owner(Application a, Application.Resource r) {
    TableIdentifier id = TableIdentifier.parse(r.table());
    if (!lakehouse.exists(id)) {
      throw new SourceLineException(a.source(), r.line(), "no table " + r.table() + " (see: dataops table list)");
    }
    Table table = lakehouse.load(id);
    Set<String> columns = new LinkedHashSet<>();
    table.schema().columns().stream().map(Types.NestedField::name).forEach(columns::add);
    for (String c : r.columns()) {
      if (!columns.contains(c)) {
        throw new SourceLineException(a.source(), r.columnsLine(), "table " + r.table() + " has no column '" + c
            + "' (it has " + String.join(", ", columns) + ")");
      }
    }
    String department = table.properties().get(FeedTables.PROP_DEPARTMENT);
    Optional<Organization> org = department == null ? Optional.empty() : organization(department);
    if (org.isEmpty() || org.get().kind() != OrganizationKind.DEPARTMENT) {
      throw new SourceLineException(a.source(), r.line(), "table " + r.table() + " is owned by no department "
          + "organization of the platform" + (department == null ? "" : " (its feeds come from " + department
          + ", which is not registered as a department: dataops org add)"));
    }
    if (r.filter() != null) {
      RowFilters.check(lakehouse, id, r.filter(), a.source(), r.filterLine());
    }
    return department;
  }

  private Optional<Organization> organization(String id) {
    return db.read("read organization " + id, c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT display_name, kind FROM gov_organizations WHERE id = ?")) {
        p.setString(1, id);
        try (ResultSet r = p.executeQuery()) {
          return r.next() ? Optional.of(new Organization(id, r.getString(1), OrganizationKind.of(r.getString(2))))
              : Optional.<Organization>empty();
        }
      }
    });
  }

  // ---- deciding

  /**
   * The actor's party approves: the authority, or a department for its own tables, which may narrow their columns
   * ({@code columns}: table to the columns it grants, a subset of those asked for) and add a row filter
   * ({@code filters}: table to a SQL boolean expression). The last approval makes the grant.
   */
  public Grant approve(long id, Actor actor, String note, Map<String, List<String>> columns,
      Map<String, String> filters) {
    Grant before = find(id);
    String party = party(before, actor, "grant approve");
    Map<String, List<String>> narrowed = columns == null ? Map.of() : columns;
    Map<String, String> added = filters == null ? Map.of() : filters;
    if (Grant.AUTHORITY.equals(party) && (!narrowed.isEmpty() || !added.isEmpty())) {
      throw new BadInputException("the authority approves an application as it is; a department narrows the columns"
          + " or adds a row filter of its own tables");
    }
    for (String table : union(narrowed.keySet(), added.keySet())) {
      Grant.Resource r = before.resource(table);
      if (r != null && !r.department().equals(party)) {
        // Another department's table: a refusal of access (audited), not a typo (found by a probe: unaudited).
        throw new AccessDeniedException(before.label() + " asks " + party + " for no table " + table + "; " + table
            + " is " + r.department() + "'s to narrow", List.of("department"));
      }
      if (r == null) {
        throw new BadInputException(before.label() + " asks " + party + " for no table " + table + " (its tables: "
            + String.join(", ", before.resources().stream().filter(x -> x.department().equals(party))
                .map(Grant.Resource::table).toList()) + ")");
      }
    }
    narrowed.forEach((table, cols) -> checkNarrowed(before.resource(table), cols));
    added.forEach((table, filter) -> {
      if (filter == null || filter.isBlank() || filter.length() > ApplicationParser.FILTER_MAX) {
        throw new BadInputException("the row filter of " + table + " is 1 to " + ApplicationParser.FILTER_MAX
            + " characters of SQL");
      }
      RowFilters.check(lakehouse, TableIdentifier.parse(table), filter, "--filter " + table, 0);
    });
    String text = note(note, "note", false);
    Instant at = now();
    Grant after = decide(id, party, c -> {
      Grant g = store.lock(c, id).orElseThrow();
      checkPending(g, party, "approve", at);
      store.insertDecision(c, id, new Grant.Decision(party, actor.organization(), true, actor.user(), at, text));
      if (!Grant.AUTHORITY.equals(party)) {
        for (Grant.Resource r : g.resources()) {
          if (r.department().equals(party)) {
            store.grantResource(c, id, r.table(), narrowed.getOrDefault(r.table(), r.requestedColumns()),
                added.containsKey(r.table()) ? added.get(r.table()).strip() : null);
          }
        }
      }
      Grant now = store.load(c, id).orElseThrow();
      if (now.awaiting().isEmpty()) {
        store.decide(c, id, GrantState.ACTIVE, at);
      }
      Grant decided = store.load(c, id).orElseThrow();
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("party", party);
      details.put("state", decided.stored().label());
      details.put("awaiting", decided.awaiting());
      if (!narrowed.isEmpty()) {
        details.put("narrowed", new LinkedHashMap<>(narrowed));
      }
      if (!added.isEmpty()) {
        details.put("filters", filterDigests(decided, false));
      }
      if (text != null) {
        details.put("note", text);
      }
      audit.record(c, AuditEvent.ok("grant.approve", objects(decided, partyResources(decided, party)), details));
      return decided;
    });
    return after;
  }

  /** The actor's party refuses the application, with a reason the operator can act on; it ends there. */
  public Grant reject(long id, Actor actor, String reason) {
    Grant before = find(id);
    String party = party(before, actor, "grant reject");
    String why = note(reason, "reason", true);
    Instant at = now();
    Grant after = decide(id, party, c -> {
      checkPending(store.lock(c, id).orElseThrow(), party, "reject", at);
      store.insertDecision(c, id, new Grant.Decision(party, actor.organization(), false, actor.user(), at, why));
      store.decide(c, id, GrantState.REJECTED, at);
      Grant rejected = store.load(c, id).orElseThrow();
      audit.record(c, AuditEvent.ok("grant.reject", objects(rejected, partyResources(rejected, party)),
          Map.of("party", party, "reason", why)));
      return rejected;
    });
    return after;
  }

  /** The authority ends an active grant before its period does (what it stops not looked up: see below). */
  public Grant revoke(long id, Actor actor, String reason) {
    return revoke(id, actor, reason, null).grant();
  }

  /** A published version of a product, as the caller that sees products names it. */
  public record Provided(String product, int version) {}

  /** A revocation: the grant as it is now, and the published versions whose delivery it stopped. */
  public record Revocation(Grant grant, List<Provided> stopped) {
    public Revocation {
      stopped = List.copyOf(stopped);
    }
  }

  /**
   * As above; {@code published} names the published versions the grant's operator made for its scenario (governance
   * does not see products; null: not looked up). Those it stops being provided ({@link Provision}: provided before,
   * and no other live grant of the operator names their product) the {@code grant.revoke} event lists
   * ({@code stops}), and so does the answer. They are listed inside the revocation's transaction, after the grant is
   * marked revoked: a version published while the command started is among them (listed before, it was missing). On
   * the embedded database the transaction's write lock holds off every publish until the revocation commits.
   */
  public Revocation revoke(long id, Actor actor, String reason, Function<Grant, List<Provided>> published) {
    if (!actor.has("authority")) {
      throw AccessDeniedException.roles("grant revoke", actor, "authority");
    }
    find(id);
    String why = note(reason, "reason", true);
    Instant at = now();
    io.dataops.core.CommitPoint.reached("grant-revoke-checked");
    return db.write("revoke grant " + id, c -> {
      Grant g = store.lock(c, id).orElseThrow();
      if (g.state(at) != GrantState.ACTIVE) {
        throw new StateRefusedException(g.label() + " is " + g.state(at).label() + ": only an active grant is revoked",
            List.of("grant:" + g.id()));
      }
      List<Grant> before = published == null ? null : store.list(c, g.scenario());
      store.revoke(c, id, at, actor.user(), why);
      Grant revoked = store.load(c, id).orElseThrow();
      List<Provided> provided = published == null ? null : published.apply(revoked);
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("reason", why);
      details.put("scenario", revoked.scenario());
      details.put("operator", revoked.operator());
      List<Provided> stopped = List.of();
      if (provided != null) {
        List<Grant> after = store.list(c, revoked.scenario());
        stopped = provided.stream().filter(p -> allowed(before, revoked, p, at) && !allowed(after, revoked, p, at))
            .toList();
        details.put("stops", stopped.stream().map(p -> Map.of("product", p.product(), "version", p.version()))
            .toList());
      }
      audit.record(c, AuditEvent.ok("grant.revoke", objects(revoked, revoked.resources()), details));
      return new Revocation(revoked, stopped);
    });
  }

  private static boolean allowed(List<Grant> grants, Grant revoked, Provided p, Instant at) {
    return Provision.of(grants, revoked.scenario(), revoked.operator(), p.product(), at).allowed();
  }

  private Grant decide(long id, String party, GovernanceDatabase.SqlWork<Grant> work) {
    return db.write("decide grant " + id + " for " + party, work);
  }

  private void checkPending(Grant g, String party, String what, Instant at) {
    if (g.stored() != GrantState.PENDING) {
      throw new StateRefusedException(g.label() + " is " + g.state(at).label() + ": " + what + " needs a pending "
          + "application", List.of("grant:" + g.id()));
    }
    if (!at.isBefore(g.expiresAt())) {
      throw new StateRefusedException(g.label() + ": its period ended at " + UtcTimes.format(g.expiresAt())
          + " before every party decided; the operator applies again", List.of("grant:" + g.id()));
    }
    for (Grant.Decision d : g.decisions()) {
      if (d.party().equals(party)) {
        throw new StateRefusedException(g.label() + ": " + party + " " + (d.approved() ? "approved" : "rejected")
            + " it already (" + d.decidedBy() + ", " + UtcTimes.format(d.decidedAt()) + ")",
            List.of("grant:" + g.id()));
      }
    }
  }

  /** Which party the actor decides for: the authority, or a department owning a requested table. */
  private static String party(Grant g, Actor actor, String command) {
    if (actor.has("authority")) {
      return Grant.AUTHORITY;
    }
    if (!actor.has("department")) {
      throw AccessDeniedException.roles(command, actor, "authority", "department");
    }
    if (!g.involves(actor.organization())) {
      throw new AccessDeniedException(g.label() + " asks for no table of " + actor.organization() + "; "
          + actor.user() + " decides only for its own department's tables", List.of("authority", "department"));
    }
    return actor.organization();
  }

  private static void checkNarrowed(Grant.Resource r, List<String> columns) {
    if (columns == null || columns.isEmpty()) {
      throw new BadInputException("grant at least one column of " + r.table() + " (or reject the application)");
    }
    Set<String> unique = new LinkedHashSet<>(columns);
    if (unique.size() != columns.size()) {
      throw new BadInputException("a column of " + r.table() + " is listed twice");
    }
    for (String c : columns) {
      if (!r.requestedColumns().contains(c)) {
        throw new BadInputException("column '" + c + "' of " + r.table() + " was not asked for: a department narrows"
            + " what was asked (" + String.join(", ", r.requestedColumns()) + ")");
      }
    }
  }

  private static String note(String text, String what, boolean required) {
    if (text == null || text.isBlank()) {
      if (required) {
        throw new BadInputException("give a " + what + " the operator can act on");
      }
      return null;
    }
    String t = text.strip();
    String problem = FreeText.problem(t, REASON_MAX);
    if (problem != null) {
      throw new BadInputException("the " + what + " " + problem);
    }
    return t;
  }

  // ---- reading

  /** The application, or a refusal naming how to find one. */
  public Grant find(long id) {
    return db.read("read grant " + id, c -> store.load(c, id)).orElseThrow(() ->
        new BadInputException("no grant application " + id + " (see: dataops grant list)"));
  }

  /** One application, when the viewer may see it (see {@link #mayView}). */
  public Grant show(long id, Actor viewer) {
    Grant g = find(id);
    if (!mayView(g, viewer)) {
      throw new AccessDeniedException(g.label() + " is for its operator " + g.operator() + ", the departments whose "
          + "tables it asks for, the authority and auditors; " + viewer.user() + " acts for "
          + viewer.organization(), List.of("operator", "department", "authority", "auditor"));
    }
    return g;
  }

  /** Every application the viewer may see, oldest first. */
  public List<Grant> list(Actor viewer) {
    return db.read("list grants", c -> store.list(c, null)).stream().filter(g -> mayView(g, viewer)).toList();
  }

  /**
   * The authority and auditors see every application; an operator its own organization's; a department those that
   * ask for its tables.
   */
  public static boolean mayView(Grant g, Actor viewer) {
    return viewer.has("authority") || viewer.has("auditor")
        || viewer.has("operator") && g.operator().equals(viewer.organization())
        || viewer.has("department") && g.involves(viewer.organization());
  }

  // ---- audit details

  private static List<String> objects(Grant g, List<Grant.Resource> resources) {
    List<String> out = new ArrayList<>(List.of("grant:" + g.id(), "organization:" + g.operator()));
    resources.forEach(r -> out.add("table:" + r.table()));
    g.products().forEach(p -> out.add("product:" + p));
    return out;
  }

  private static List<Grant.Resource> partyResources(Grant g, String party) {
    return Grant.AUTHORITY.equals(party) ? g.resources()
        : g.resources().stream().filter(r -> r.department().equals(party)).toList();
  }

  private static Map<String, Object> columnsByTable(Grant g) {
    Map<String, Object> out = new LinkedHashMap<>();
    g.resources().forEach(r -> out.put(r.table(), r.columns()));
    return out;
  }

  /**
   * Filters as digests: a filter may compare with a literal value (a district code, or worse), and the trail keeps no
   * data values; the grant's own record has the text.
   */
  private static Map<String, Object> filterDigests(Grant g, boolean requested) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Grant.Resource r : g.resources()) {
      String f = requested ? r.requestedFilter() : r.departmentFilter();
      if (f != null) {
        out.put(r.table(), "sha256:" + Digests.sha256(f));
      }
    }
    return out;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> out = new LinkedHashSet<>(a);
    out.addAll(b);
    return out;
  }
}
