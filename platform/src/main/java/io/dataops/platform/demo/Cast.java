package io.dataops.platform.demo;

import io.dataops.governance.audit.AuditTrail;
import io.dataops.governance.identity.Credentials;
import io.dataops.governance.identity.Identities;
import io.dataops.governance.identity.IssuedToken;
import io.dataops.governance.identity.OrganizationKind;
import io.dataops.governance.identity.Principal;
import io.dataops.governance.identity.Role;
import io.dataops.governance.identity.User;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.session.Session;
import io.dataops.platform.session.Sessions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The people of the demo: the district data bureau (the competent authority), three source departments, two
 * authorized operators, a partner and an audit office, each with a user. The admin creates them (once per home);
 * each gets an API token kept in the home's credentials file, so {@code --as USER} works after the demo.
 */
public final class Cast {
  /** One member: the organization (its id is what feeds and pipelines name) and the user who acts for it. */
  public record Member(String user, String organization, String organizationName, OrganizationKind kind, Role role) {}

  public static final Member AUTHORITY = new Member("zhang-wei", "futian-data-bureau",
      "福田区政务服务数据管理局 (Futian data bureau)", OrganizationKind.AUTHORITY, Role.AUTHORITY);
  public static final Member POLICE = new Member("wang-fang", "public-security",
      "福田公安分局 (public security sub-bureau)", OrganizationKind.DEPARTMENT, Role.DEPARTMENT);
  public static final Member MARKET = new Member("liu-yang", "market-regulation",
      "福田市场监督管理局 (market regulation)", OrganizationKind.DEPARTMENT, Role.DEPARTMENT);
  public static final Member HUMAN_RESOURCES = new Member("zhao-min", "human-resources",
      "福田人力资源局 (human resources and social security)", OrganizationKind.DEPARTMENT, Role.DEPARTMENT);
  public static final Member OPERATOR = new Member("sun-hao", "futian-data-operator",
      "福田数据运营公司 (authorized operator)", OrganizationKind.OPERATOR, Role.OPERATOR);
  public static final Member OTHER_OPERATOR = new Member("zhou-lei", "pengcheng-data-tech",
      "鹏城数据科技 (another authorized operator)", OrganizationKind.OPERATOR, Role.OPERATOR);
  public static final Member PARTNER = new Member("wu-xia", "qianhai-credit",
      "前海征信 (partner using published products)", OrganizationKind.PARTNER, Role.PARTNER);
  public static final Member AUDITOR = new Member("chen-jing", "futian-audit-office",
      "福田区审计局 (audit office)", OrganizationKind.AUDITOR, Role.AUDITOR);

  public static final List<Member> ALL = List.of(AUTHORITY, POLICE, MARKET, HUMAN_RESOURCES, OPERATOR,
      OTHER_OPERATOR, PARTNER, AUDITOR);

  private final Identities admin;
  private final AuditTrail trail;

  private Cast(Identities admin, AuditTrail trail) {
    this.admin = admin;
    this.trail = trail;
  }

  /**
   * Creates every organization and user not there yet (the admin acting), with a token saved to the credentials
   * file for each user who has none there.
   */
  public static Cast assemble(PlatformConfig config, Session adminSession) {
    Credentials credentials = Credentials.of(config.home());
    Identities ids = new Identities(Sessions.database(config), adminSession.audit());
    for (Member m : ALL) {
      if (ids.organization(m.organization()).isEmpty()) {
        ids.createOrganization(m.organization(), m.organizationName(), m.kind());
      }
      if (ids.user(m.user()).isEmpty()) {
        ids.createUser(m.user(), m.organization(), Set.of(m.role()));
      }
      if (!hasToken(credentials, m.user())) {
        IssuedToken t = ids.issueToken(m.user(), Duration.ofDays(90));
        credentials.save(m.user(), t.token(), false);
      }
    }
    return new Cast(ids, adminSession.trail());
  }

  private static boolean hasToken(Credentials credentials, String user) {
    try {
      credentials.resolve(user, Map.of());
      return true;
    } catch (RuntimeException none) {
      return false;
    }
  }

  /** A session acting as the member in their role (their events are stamped with them). */
  public Session as(Member m, String command) {
    User u = admin.user(m.user()).orElseThrow();
    Session s = Sessions.of(new Principal(u.name(), u.organization(), u.roles()), admin, trail, command);
    s.require(List.of("command:" + command), m.role());
    return s;
  }

  /** "zhang.wei (authority of futian-data-bureau)" for each member. */
  public static List<String> describe() {
    List<String> out = new ArrayList<>();
    for (Member m : ALL) {
      out.add(m.user() + " (" + m.role().label() + " of " + m.organization() + ": " + m.organizationName() + ")");
    }
    return out;
  }
}
