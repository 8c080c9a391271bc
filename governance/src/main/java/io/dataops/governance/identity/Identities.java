package io.dataops.governance.identity;

import io.dataops.core.BadInputException;
import io.dataops.core.StateRefusedException;
import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.governance.db.GovernanceDatabase;
import io.dataops.governance.db.UtcTimes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Organizations, users, roles, passwords and API tokens in the platform database. Every change is recorded in the
 * audit sink given (the caller's {@code trail.as(principal)}), as is every refused authentication; the sink is
 * called after the change commits.
 */
public final class Identities {
  /** The platform's own organization, made by {@link #bootstrap}; it holds the administrators. */
  public static final String PLATFORM_ORGANIZATION = "platform";
  public static final Duration DEFAULT_TOKEN_VALIDITY = Duration.ofDays(90);
  public static final Duration MAX_TOKEN_VALIDITY = Duration.ofDays(366);
  private static final long BOOTSTRAP_LOCK = 0x646f705f626f6f74L; // "dop_boot"
  private static final long ORGANIZATION_LOCK = 0x646f705f6f726773L; // "dop_orgs"
  private static final long USER_LOCK = 0x646f705f75736572L; // "dop_user"
  private static final String WRONG_LOGIN = "wrong user name or password";

  private final GovernanceDatabase db;
  private final AuditSink audit;
  private final Clock clock;

  public Identities(GovernanceDatabase db, AuditSink audit) {
    this(db, audit, Clock.systemUTC());
  }

  /** @param clock the time tokens are issued, used and expire at (tests move it) */
  public Identities(GovernanceDatabase db, AuditSink audit, Clock clock) {
    this.db = db;
    this.audit = audit;
    this.clock = clock;
  }

  /** The first administrator and the token to act as them; made only while no admin exists. */
  public record Bootstrap(User admin, IssuedToken token) {}

  public Bootstrap bootstrap(String adminName) {
    return bootstrap(adminName, DEFAULT_TOKEN_VALIDITY);
  }

  /** The first admin, with a token valid for {@code validity} (an embedded home's local admin: the longest). */
  public Bootstrap bootstrap(String adminName, Duration validity) {
    Names.newUser(adminName);
    Bootstrap made = db.write("bootstrap the first admin", c -> {
      db.advisoryLock(c, BOOTSTRAP_LOCK);
      try (PreparedStatement p = c.prepareStatement("SELECT user_name FROM gov_user_roles WHERE role = ?")) {
        p.setString(1, Role.ADMIN.label());
        try (ResultSet r = p.executeQuery()) {
          if (r.next()) {
            throw new BadInputException("an admin exists already (" + r.getString(1)
                + "): bootstrap makes only the first one; an admin creates the other users");
          }
        }
      }
      if (organization(c, PLATFORM_ORGANIZATION).isEmpty()) {
        insertOrganization(c, new Organization(PLATFORM_ORGANIZATION, "Platform administration",
            OrganizationKind.PLATFORM));
      }
      if (loadUser(c, adminName).isPresent()) {
        throw new BadInputException("user " + adminName + " exists and is not an admin; choose another name");
      }
      Optional<String> alike = alike(c, adminName);
      if (alike.isPresent()) {
        throw new BadInputException(tooLike(adminName, alike.get()));
      }
      User admin = insertUser(c, adminName, PLATFORM_ORGANIZATION, EnumSet.of(Role.ADMIN));
      Bootstrap first = new Bootstrap(admin, insertToken(c, adminName, validity));
      record(c, "user.bootstrap", List.of("user:" + adminName, "organization:" + PLATFORM_ORGANIZATION,
          "token:" + first.token().id()), Map.of("roles", List.of(Role.ADMIN.label())));
      return first;
    });
    return made;
  }

  // ---- organizations

  public Organization createOrganization(String id, String displayName, OrganizationKind kind) {
    Organization org = Organization.typed(id, displayName, kind);
    Object outcome = db.write("create organization " + id, c -> {
      db.advisoryLock(c, ORGANIZATION_LOCK); // two spellings of one id added at once must not both pass the test below
      if (organization(c, id).isPresent()) {
        throw new BadInputException("organization " + id + " exists already");
      }
      // A department's tables are named by its id with '-' written '_' (ods.public_security__citizens), and landing,
      // suites, grants and table access find the department by that form: an id that differs from another only there
      // (public_security beside public-security) would own that department's tables.
      try (PreparedStatement p = c.prepareStatement("SELECT id FROM gov_organizations");
           ResultSet r = p.executeQuery()) {
        while (r.next()) {
          String other = r.getString(1);
          if (Names.alike(other, id)) {
            // Someone taking a department's tables under another spelling: kept in the trail, as a user's look-alike.
            return new Refusal("organization " + id + " is too like " + other + ", which exists already: ids"
                + " that differ only in '-' and '_' (which, how many in a row, or at the end) read as one, or would"
                + " share tables (ods." + id.replace('-', '_') + "__<dataset>); choose another id", List.of("organization:" + id, "organization:" + other),
                "id too like an existing organization's");
          }
        }
      }
      insertOrganization(c, org);
      record(c, "organization.create", List.of("organization:" + id), Map.of("kind", kind.label()));
      return org;
    });
    if (outcome instanceof Refusal no) {
      audit.record(new AuditEvent("organization.create", no.objects(), AuditEvent.REFUSED,
          Map.of("reason", no.reason())));
      throw new BadInputException(no.message());
    }
    return org;
  }

  public Optional<Organization> organization(String id) {
    return db.read("read organization " + id, c -> organization(c, id));
  }

  public List<Organization> organizations() {
    return db.read("list organizations", c -> {
      List<Organization> out = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement("SELECT * FROM gov_organizations ORDER BY id");
           ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(organization(r));
        }
      }
      return out;
    });
  }

  // ---- users

  public User createUser(String name, String organization, Collection<Role> roles) {
    Names.newUser(name);
    Object outcome = db.write("create user " + name, c -> {
      db.advisoryLock(c, USER_LOCK); // two spellings of one name added at once must not both pass the test below
      if (loadUser(c, name).isPresent()) {
        throw new BadInputException("user " + name + " exists already");
      }
      Optional<String> alike = alike(c, name);
      if (alike.isPresent()) {
        // Someone taking a name that reads as another user's: kept in the trail, not only told to the admin.
        return new Refusal(tooLike(name, alike.get()), List.of("user:" + name, "user:" + alike.get()),
            "name too like an existing user's");
      }
      Organization org = organization(c, Names.organization(organization)).orElseThrow(() ->
          new BadInputException("no organization " + organization + " (create it first)"));
      checkRoles(name, org, roles);
      User made = insertUser(c, name, organization, roles);
      record(c, "user.create", List.of("user:" + name, "organization:" + organization),
          Map.of("roles", labels(roles)));
      return made;
    });
    if (outcome instanceof Refusal no) {
      audit.record(new AuditEvent("user.create", no.objects(), AuditEvent.REFUSED, Map.of("reason", no.reason())));
      throw new BadInputException(no.message());
    }
    return (User) outcome;
  }

  private static String tooLike(String name, String existing) {
    return "user " + name + " is too like " + existing + ", which exists already: names that differ only in '-' and"
        + " '_' read as one user in lists and the audit trail; choose another name";
  }

  /** An existing user whose name reads as {@code name} ({@link Names#alike}), if any. */
  private static Optional<String> alike(Connection c, String name) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT name FROM gov_users ORDER BY name");
         ResultSet r = p.executeQuery()) {
      while (r.next()) {
        if (Names.alike(r.getString(1), name)) {
          return Optional.of(r.getString(1));
        }
      }
    }
    return Optional.empty();
  }

  public Optional<User> user(String name) {
    return db.read("read user " + name, c -> loadUser(c, name));
  }

  public List<User> users() {
    return db.read("list users", c -> {
      List<String> names = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement("SELECT name FROM gov_users ORDER BY name");
           ResultSet r = p.executeQuery()) {
        while (r.next()) {
          names.add(r.getString(1));
        }
      }
      List<User> out = new ArrayList<>();
      for (String n : names) {
        out.add(loadUser(c, n).orElseThrow());
      }
      return out;
    });
  }

  /** Replaces a user's roles; the last enabled admin keeps the admin role. */
  public User setRoles(String name, Collection<Role> roles) {
    User user = db.write("change the roles of " + name, c -> {
      User before = existing(c, name);
      checkRoles(name, organization(c, before.organization()).orElseThrow(), roles);
      if (before.has(Role.ADMIN) && !before.disabled() && !roles.contains(Role.ADMIN)) {
        keepAnAdmin(c, name);
      }
      try (PreparedStatement p = c.prepareStatement("DELETE FROM gov_user_roles WHERE user_name = ?")) {
        p.setString(1, name);
        p.executeUpdate();
      }
      insertRoles(c, name, roles);
      record(c, "user.roles", List.of("user:" + name), Map.of("roles", labels(roles)));
      return loadUser(c, name).orElseThrow();
    });
    return user;
  }

  /** A disabled user cannot log in or use any token; the last enabled admin cannot be disabled. */
  public User setDisabled(String name, boolean disabled) {
    User user = db.write((disabled ? "disable " : "enable ") + name, c -> {
      User before = existing(c, name);
      if (disabled && before.has(Role.ADMIN) && !before.disabled()) {
        keepAnAdmin(c, name);
      }
      try (PreparedStatement p = c.prepareStatement("UPDATE gov_users SET disabled = ? WHERE name = ?")) {
        p.setInt(1, disabled ? 1 : 0);
        p.setString(2, name);
        p.executeUpdate();
      }
      record(c, disabled ? "user.disable" : "user.enable", List.of("user:" + name), Map.of());
      return loadUser(c, name).orElseThrow();
    });
    return user;
  }

  // ---- passwords

  public void setPassword(String name, char[] password) {
    String hash = Passwords.hash(password);
    db.write("set the password of " + name, c -> {
      existing(c, name);
      try (PreparedStatement p = c.prepareStatement("UPDATE gov_users SET password_hash = ? WHERE name = ?")) {
        p.setString(1, hash);
        p.setString(2, name);
        p.executeUpdate();
      }
      record(c, "user.password", List.of("user:" + name), Map.of());
      return null;
    });
  }

  /** The user, when the password is theirs; the refusal does not say whether the name or the password was wrong. */
  public Principal login(String name, char[] password) {
    Names.user(name);
    Optional<StoredLogin> stored = db.read("read user " + name, c -> {
      Optional<User> u = loadUser(c, name);
      if (u.isEmpty()) {
        return Optional.empty();
      }
      try (PreparedStatement p = c.prepareStatement("SELECT password_hash FROM gov_users WHERE name = ?")) {
        p.setString(1, name);
        try (ResultSet r = p.executeQuery()) {
          r.next();
          return Optional.of(new StoredLogin(u.get(), r.getString(1)));
        }
      }
    });
    // Without a stored hash a dummy one is checked, so that an unknown name costs as long as a wrong password.
    String hash = stored.map(StoredLogin::hash).orElse(null);
    boolean matches = Passwords.matches(password, hash == null ? DummyHash.VALUE : hash) && hash != null;
    if (!matches) {
      throw refused(WRONG_LOGIN, List.of("user:" + name), "wrong user name or password");
    }
    User user = stored.get().user();
    if (user.disabled()) {
      throw refused("user " + name + " is disabled", List.of("user:" + name), "user disabled");
    }
    return new Principal(user.name(), user.organization(), user.roles());
  }

  private record StoredLogin(User user, String hash) {}

  private static final class DummyHash {
    static final String VALUE = Passwords.hash("not-a-password-of-anyone".toCharArray());
  }

  // ---- API tokens

  /** A new token for the user, valid for {@code validity} (at most {@link #MAX_TOKEN_VALIDITY}); its text is shown once. */
  public IssuedToken issueToken(String user, Duration validity) {
    IssuedToken token = db.write("issue a token for " + user, c -> {
      existing(c, user);
      IssuedToken issued = insertToken(c, user, validity);
      record(c, "token.issue", List.of("user:" + user, "token:" + issued.id()),
          Map.of("expiresAt", UtcTimes.format(issued.expiresAt())));
      return issued;
    });
    return token;
  }

  public void revokeToken(String id) {
    db.write("revoke token " + id, c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT user_name, revoked_at FROM gov_api_tokens WHERE id = ?")) {
        p.setString(1, id);
        try (ResultSet r = p.executeQuery()) {
          if (!r.next()) {
            throw new BadInputException("no API token with id " + Names.shown(id));
          }
          String owner = r.getString(1);
          if (r.getString(2) != null) {
            throw new StateRefusedException("API token " + ApiTokens.describe(id) + " was revoked already",
                List.of("user:" + owner, "token:" + id));
          }
          refuseRevokingTheLastAdminToken(c, id, owner);
          try (PreparedStatement u = c.prepareStatement("UPDATE gov_api_tokens SET revoked_at = ? WHERE id = ?")) {
            u.setString(1, UtcTimes.format(clock.instant()));
            u.setString(2, id);
            u.executeUpdate();
          }
          record(c, "token.revoke", List.of("user:" + owner, "token:" + id), Map.of());
          return owner;
        }
      }
    });
  }

  /**
   * Only an admin issues tokens, and bootstrap makes only the first admin: with the last live token of the enabled
   * admins revoked, nobody could administer the home again (found by a probe: `user token revoke` of the admin's own
   * token left only editing the database). Times are text of one width, so text order is time order.
   */
  private void refuseRevokingTheLastAdminToken(Connection c, String id, String owner) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT t.id FROM gov_api_tokens t"
        + " JOIN gov_user_roles r ON r.user_name = t.user_name AND r.role = ?"
        + " JOIN gov_users u ON u.name = t.user_name"
        + " WHERE u.disabled = 0 AND t.revoked_at IS NULL AND t.expires_at > ?")) {
      p.setString(1, Role.ADMIN.label());
      p.setString(2, UtcTimes.format(clock.instant()));
      boolean revokingOne = false;
      boolean another = false;
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          if (r.getString(1).equals(id)) {
            revokingOne = true;
          } else {
            another = true;
          }
        }
      }
      if (revokingOne && !another) {
        throw new BadInputException("API token " + ApiTokens.describe(id) + " of " + owner + " is the last live token"
            + " of an admin: revoked, nobody could issue a token again; issue another admin token first (dataops user"
            + " token issue " + owner + ")");
      }
    }
  }

  public List<TokenInfo> tokens(String user) {
    return db.read("list the tokens of " + user, c -> {
      List<TokenInfo> out = new ArrayList<>();
      try (PreparedStatement p = c.prepareStatement(
          "SELECT * FROM gov_api_tokens WHERE user_name = ? ORDER BY created_at, id")) {
        p.setString(1, user);
        try (ResultSet r = p.executeQuery()) {
          while (r.next()) {
            out.add(new TokenInfo(r.getString("id"), r.getString("user_name"),
                UtcTimes.parse(r.getString("created_at")), UtcTimes.parse(r.getString("expires_at")),
                UtcTimes.parse(r.getString("revoked_at")), UtcTimes.parse(r.getString("last_used_at"))));
          }
        }
      }
      return out;
    });
  }

  /** The user a token belongs to, when it is known, current, not revoked and its user is enabled. */
  public Principal authenticate(String token) {
    if (!ApiTokens.wellFormed(token)) {
      throw refused("not a dataops API token (expected dop_ followed by 43 characters)", List.of(), "malformed token");
    }
    String id = ApiTokens.id(token);
    byte[] presented = ApiTokens.digest(token).getBytes(StandardCharsets.US_ASCII);
    Instant now = clock.instant();
    // A read-only home (an archive copy being inspected) is read as it is: the token's last use is not recorded.
    GovernanceDatabase.SqlWork<Object> check = c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT t.user_name, t.secret_sha256, t.expires_at, t.revoked_at,"
          + " u.disabled FROM gov_api_tokens t JOIN gov_users u ON u.name = t.user_name WHERE t.id = ?")) {
        p.setString(1, id);
        try (ResultSet r = p.executeQuery()) {
          if (!r.next()
              || !MessageDigest.isEqual(presented, r.getString(2).getBytes(StandardCharsets.US_ASCII))) {
            return new Refusal("unknown API token", List.of(), "unknown token");
          }
          String user = r.getString(1);
          List<String> objects = List.of("user:" + user, "token:" + id);
          if (r.getString(4) != null) {
            return new Refusal("API token " + ApiTokens.describe(id) + " of " + user + " was revoked at "
                + r.getString(4) + "; a new token is needed", objects, "token revoked");
          }
          if (!now.isBefore(UtcTimes.parse(r.getString(3)))) {
            return new Refusal("API token " + ApiTokens.describe(id) + " of " + user + " expired at "
                + r.getString(3) + "; a new token is needed", objects, "token expired");
          }
          if (r.getInt(5) != 0) {
            return new Refusal("user " + user + " is disabled", objects, "user disabled");
          }
          if (!db.readOnly()) {
            try (PreparedStatement u = c.prepareStatement("UPDATE gov_api_tokens SET last_used_at = ? WHERE id = ?")) {
              u.setString(1, UtcTimes.format(now));
              u.setString(2, id);
              u.executeUpdate();
            }
          }
          User u = loadUser(c, user).orElseThrow();
          return new Principal(u.name(), u.organization(), u.roles());
        }
      }
    };
    Object outcome = db.readOnly() ? db.read("authenticate a token", check) : db.write("authenticate a token", check);
    if (outcome instanceof Refusal no) {
      throw refused(no.message(), no.objects(), no.reason());
    }
    return (Principal) outcome;
  }

  /** As {@link #authenticate(String)}, and the token must be {@code expectedUser}'s when one is named ({@code --as}). */
  public Principal authenticate(String token, String expectedUser) {
    Principal p = authenticate(token);
    if (expectedUser != null && !expectedUser.equals(p.name())) {
      throw refused("the API token is " + p.name() + "'s, not " + Names.shown(expectedUser) + "'s",
          List.of("user:" + p.name()), "token of another user");
    }
    return p;
  }

  private record Refusal(String message, List<String> objects, String reason) {}

  /** Records an unusable credential as a refused login (as an unknown token is) and returns what to throw. */
  public AuthenticationException refused(Credentials.Unusable unusable) {
    return refused(unusable.getMessage(), unusable.user() == null ? List.of() : List.of("user:" + unusable.user()),
        unusable.reason());
  }

  // ---- rows

  private AuthenticationException refused(String message, List<String> objects, String reason) {
    if (db.readOnly()) {
      return new AuthenticationException(message); // nothing can be recorded in a read-only home
    }
    audit.record(new AuditEvent("auth.refused", objects, AuditEvent.REFUSED, Map.of("reason", reason)));
    return new AuthenticationException(message);
  }

  /** The change's event, inside its transaction: the two commit together. */
  private void record(Connection c, String action, List<String> objects, Map<String, Object> details) {
    audit.record(c, AuditEvent.ok(action, objects, new LinkedHashMap<>(details)));
  }

  private IssuedToken insertToken(Connection c, String user, Duration validity) throws SQLException {
    if (validity == null || validity.isNegative() || validity.isZero() || validity.compareTo(MAX_TOKEN_VALIDITY) > 0) {
      throw new BadInputException("a token is valid for more than nothing and at most " + MAX_TOKEN_VALIDITY.toDays()
          + " days");
    }
    String token = ApiTokens.generate();
    String id = ApiTokens.id(token);
    Instant now = clock.instant();
    Instant expires = now.plus(validity);
    // Ids are 48 random bits: a collision is left to the primary key, which refuses it.
    try (PreparedStatement p = c.prepareStatement("INSERT INTO gov_api_tokens (id, user_name, secret_sha256,"
        + " created_at, expires_at) VALUES (?, ?, ?, ?, ?)")) {
      p.setString(1, id);
      p.setString(2, user);
      p.setString(3, ApiTokens.digest(token));
      p.setString(4, UtcTimes.format(now));
      p.setString(5, UtcTimes.format(expires));
      p.executeUpdate();
    }
    return new IssuedToken(id, user, token, UtcTimes.parse(UtcTimes.format(expires)));
  }

  private void checkRoles(String name, Organization org, Collection<Role> roles) {
    if (roles.isEmpty()) {
      throw new BadInputException("give user " + name + " at least one role");
    }
    for (Role r : roles) {
      if (!org.kind().allows(r)) {
        throw new BadInputException("role " + r.label() + " does not fit organization " + org.id() + " (its kind, "
            + org.kind().label() + ", allows " + String.join(", ", labels(org.kind().roles())) + ")");
      }
    }
  }

  private void keepAnAdmin(Connection c, String leaving) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM gov_user_roles r JOIN gov_users u"
        + " ON u.name = r.user_name WHERE r.role = ? AND u.disabled = 0 AND u.name <> ?")) {
      p.setString(1, Role.ADMIN.label());
      p.setString(2, leaving);
      try (ResultSet r = p.executeQuery()) {
        r.next();
        if (r.getLong(1) == 0) {
          throw new BadInputException(leaving + " is the only enabled admin; make another admin first");
        }
      }
    }
  }

  private User existing(Connection c, String name) throws SQLException {
    return loadUser(c, Names.user(name)).orElseThrow(() -> new BadInputException("no user " + name));
  }

  private void insertOrganization(Connection c, Organization org) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(
        "INSERT INTO gov_organizations (id, display_name, kind, created_at) VALUES (?, ?, ?, ?)")) {
      p.setString(1, org.id());
      p.setString(2, org.displayName());
      p.setString(3, org.kind().label());
      p.setString(4, UtcTimes.format(clock.instant()));
      p.executeUpdate();
    }
  }

  private User insertUser(Connection c, String name, String organization, Collection<Role> roles) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(
        "INSERT INTO gov_users (name, organization, disabled, created_at) VALUES (?, ?, 0, ?)")) {
      p.setString(1, name);
      p.setString(2, organization);
      p.setString(3, UtcTimes.format(clock.instant()));
      p.executeUpdate();
    }
    insertRoles(c, name, roles);
    return new User(name, organization, Principal.copyOf(roles), false);
  }

  private static void insertRoles(Connection c, String name, Collection<Role> roles) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("INSERT INTO gov_user_roles (user_name, role) VALUES (?, ?)")) {
      for (Role r : Principal.copyOf(roles)) {
        p.setString(1, name);
        p.setString(2, r.label());
        p.executeUpdate();
      }
    }
  }

  private static Optional<Organization> organization(Connection c, String id) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT * FROM gov_organizations WHERE id = ?")) {
      p.setString(1, id);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? Optional.of(organization(r)) : Optional.empty();
      }
    }
  }

  private static Organization organization(ResultSet r) throws SQLException {
    return new Organization(r.getString("id"), r.getString("display_name"), OrganizationKind.of(r.getString("kind")));
  }

  private static Optional<User> loadUser(Connection c, String name) throws SQLException {
    String organization;
    boolean disabled;
    try (PreparedStatement p = c.prepareStatement("SELECT organization, disabled FROM gov_users WHERE name = ?")) {
      p.setString(1, name);
      try (ResultSet r = p.executeQuery()) {
        if (!r.next()) {
          return Optional.empty();
        }
        organization = r.getString(1);
        disabled = r.getInt(2) != 0;
      }
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    try (PreparedStatement p = c.prepareStatement("SELECT role FROM gov_user_roles WHERE user_name = ?")) {
      p.setString(1, name);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          roles.add(Role.of(r.getString(1)));
        }
      }
    }
    return Optional.of(new User(name, organization, roles, disabled));
  }

  private static List<String> labels(Collection<Role> roles) {
    return Principal.copyOf(roles).stream().map(Role::label).toList();
  }
}
