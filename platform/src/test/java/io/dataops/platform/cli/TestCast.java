package io.dataops.platform.cli;

import io.dataops.core.audit.Actor;
import io.dataops.core.audit.AuditSink;
import io.dataops.governance.grant.Application;
import io.dataops.governance.grant.Grant;
import io.dataops.governance.grant.Grants;
import io.dataops.lakehouse.catalog.Lakehouse;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import io.dataops.governance.identity.Credentials;
import io.dataops.governance.identity.Identities;
import io.dataops.governance.identity.OrganizationKind;
import io.dataops.governance.identity.Role;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.session.Sessions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The people the command-line tests act as, enrolled in a test home through the governance API (as an admin would
 * with {@code org add} and {@code user add --save}): a clerk of each department the tests land feeds for, the
 * operator {@code op} that owns the test pipelines, the authority, an auditor and a partner. Tests pass
 * {@code --as USER}.
 */
final class TestCast {
  static final String PUBLIC_SECURITY = "ps-clerk";
  static final String MARKET_REGULATION = "mr-clerk";
  static final String HUMAN_RESOURCES = "hr-clerk";
  static final String DEPARTMENT_D = "d-clerk";
  static final String OPERATOR = "olivia";
  static final String OTHER_OPERATOR = "oscar";
  static final String AUTHORITY = "alice";
  static final String AUDITOR = "audrey";
  static final String PARTNER = "paul";

  private record Member(String user, String org, OrganizationKind kind, Role role) {}

  private static final List<Member> MEMBERS = List.of(
      new Member(PUBLIC_SECURITY, "public-security", OrganizationKind.DEPARTMENT, Role.DEPARTMENT),
      new Member(MARKET_REGULATION, "market-regulation", OrganizationKind.DEPARTMENT, Role.DEPARTMENT),
      new Member(HUMAN_RESOURCES, "human-resources", OrganizationKind.DEPARTMENT, Role.DEPARTMENT),
      new Member(DEPARTMENT_D, "d", OrganizationKind.DEPARTMENT, Role.DEPARTMENT),
      new Member(OPERATOR, "op", OrganizationKind.OPERATOR, Role.OPERATOR),
      new Member(OTHER_OPERATOR, "other-op", OrganizationKind.OPERATOR, Role.OPERATOR),
      new Member(AUTHORITY, "bureau", OrganizationKind.AUTHORITY, Role.AUTHORITY),
      new Member(AUDITOR, "audit-office", OrganizationKind.AUDITOR, Role.AUDITOR),
      new Member(PARTNER, "partner-co", OrganizationKind.PARTNER, Role.PARTNER));

  private TestCast() {}

  /** The operator organization the test pipelines name as their owner. */
  static final String OPERATOR_ORG = "op";

  /**
   * A live grant for {@code op} (the authority and every owning department approved it, as through {@code grant
   * approve}): {@code scenario}, for {@code products}, every column of every ods table the home has now, for 30 days.
   * Pipelines are refused without one.
   */
  static long grant(Path home, String scenario, String... products) {
    return grant(home, scenario, List.of(products), null, null);
  }

  /**
   * As above, with the table's columns narrowed to {@code columns} and its rows to {@code filter} when
   * {@code table} is given (by the department's approval, as {@code grant approve --columns --filter} does).
   */
  static long grant(Path home, String scenario, List<String> products, String table, GrantNarrowing narrowing) {
    return grant(home, OPERATOR, OPERATOR_ORG, Clock.systemUTC(), scenario, products, table, narrowing);
  }

  /**
   * As above, for the operator {@code user} of {@code org}, applied and approved at {@code clock}'s time (a clock in
   * the past makes a grant that has expired by now).
   */
  static long grant(Path home, String user, String org, Clock clock, String scenario, List<String> products,
      String table, GrantNarrowing narrowing) {
    return grant(home, Map.of(), user, org, clock, clock, scenario, products, table, narrowing);
  }

  /** As above, applied for (its period starting that day) at {@code applied}'s time, approved at {@code approved}'s. */
  static long grant(Path home, Clock applied, Clock approved, String scenario, String... products) {
    return grant(home, Map.of(), OPERATOR, OPERATOR_ORG, applied, approved, scenario, List.of(products), null, null);
  }

  /** As {@link #grant(Path, String, String...)}, on a home configured by {@code env} (e.g. an s3:// warehouse). */
  static long grant(Path home, Map<String, String> env, String scenario, String... products) {
    return grant(home, env, OPERATOR, OPERATOR_ORG, Clock.systemUTC(), Clock.systemUTC(), scenario,
        List.of(products), null, null);
  }

  private static long grant(Path home, Map<String, String> env, String user, String org, Clock clock,
      Clock approved, String scenario, List<String> products, String table, GrantNarrowing narrowing) {
    PlatformConfig config = PlatformConfig.load(home, env);
    try (Lakehouse lakehouse = Lakehouse.open(config.lakehouse())) {
      List<Application.Resource> resources = new ArrayList<>();
      for (TableIdentifier id : lakehouse.listTables()) {
        if (id.namespace().level(0).equals("ods")) {
          resources.add(new Application.Resource(id.toString(), lakehouse.load(id).schema().columns().stream()
              .map(Types.NestedField::name).toList(), null, 0, 0, 0));
        }
      }
      LocalDate today = LocalDate.now(clock.withZone(Grants.ZONE));
      Grants grants = new Grants(Sessions.database(config), lakehouse, AuditSink.NONE, clock);
      Grant g = grants.apply(new Application("test application", scenario, "tests", null, today, today.plusDays(30),
          products, resources, "0".repeat(64)), actor(user, org, Role.OPERATOR));
      grants = new Grants(Sessions.database(config), lakehouse, AuditSink.NONE, approved);
      for (String party : g.awaiting()) {
        Actor a = Grant.AUTHORITY.equals(party) ? actor(AUTHORITY, "bureau", Role.AUTHORITY)
            : actor(MEMBERS.stream().filter(m -> m.org().equals(party)).findFirst().orElseThrow().user(), party,
                Role.DEPARTMENT);
        boolean narrows = table != null && !Grant.AUTHORITY.equals(party) && g.resource(table).department().equals(party);
        grants.approve(g.id(), a, "test approval", narrows && narrowing.columns() != null
            ? Map.of(table, narrowing.columns()) : null, narrows && narrowing.filter() != null
            ? Map.of(table, narrowing.filter()) : null);
      }
      return g.id();
    }
  }

  /** A department's narrowing of one table when it approves: its columns (null: as asked) and a row filter. */
  record GrantNarrowing(List<String> columns, String filter) {}

  private static Actor actor(String user, String org, Role role) {
    return new Actor(user, org, Set.of(role.label()));
  }

  /** Enrolls everyone in the home (made here if new; its local admin stays the default user). */
  static void enroll(Path home) {
    enroll(home, Map.of());
  }

  /** As {@link #enroll(Path)}, on a home configured by {@code env} (e.g. its catalog on PostgreSQL). */
  static void enroll(Path home, Map<String, String> env) {
    PlatformConfig config = PlatformConfig.load(home, env);
    if (!config.lakehouse().isEmbedded() && new Identities(Sessions.database(config), AuditSink.NONE).users()
        .isEmpty()) {
      // A production home (PostgreSQL) has no local admin: its first one is bootstrapped, as its operator would.
      int exit = io.dataops.platform.Main.run(new String[] {"user", "bootstrap", "--save", "--home", home.toString()},
          new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), System.err, env); // not the token
      if (exit != 0) {
        throw new IllegalStateException("user bootstrap exited " + exit);
      }
    }
    // The embedded home's local admin comes first, as with any first command.
    Sessions.open(config, null, Map.of(), "test enrolment", System.err);
    Identities ids = new Identities(Sessions.database(config), AuditSink.NONE);
    Credentials credentials = Credentials.of(home);
    for (Member m : MEMBERS) {
      if (ids.organization(m.org()).isEmpty()) {
        ids.createOrganization(m.org(), m.org(), m.kind());
      }
      if (ids.user(m.user()).isEmpty()) {
        ids.createUser(m.user(), m.org(), Set.of(m.role()));
        credentials.save(m.user(), ids.issueToken(m.user(), Duration.ofDays(1)).token(), false);
      }
    }
  }
}
