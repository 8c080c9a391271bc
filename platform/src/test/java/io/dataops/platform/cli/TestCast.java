package io.dataops.platform.cli;

import io.dataops.core.audit.AuditSink;
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

  /** Enrolls everyone in the home (made here if new; its local admin stays the default user). */
  static void enroll(Path home) {
    PlatformConfig config = PlatformConfig.load(home, Map.of());
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
