package io.dataops.platform.session;

import io.dataops.core.BadInputException;
import io.dataops.core.audit.AuditSink;
import io.dataops.governance.audit.AuditTrail;
import io.dataops.governance.db.GovernanceDatabase;
import io.dataops.governance.identity.Credentials;
import io.dataops.governance.identity.Identities;
import io.dataops.governance.identity.IssuedToken;
import io.dataops.governance.identity.Principal;
import io.dataops.governance.identity.Role;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.platform.config.PlatformConfig;
import java.time.Duration;
import java.util.Map;

/**
 * Opens the session of a command: the identities and the audit trail in the platform database, and the user the
 * command acts as — {@code --as USER} (else the credentials file's default user) with a token from
 * {@code DATAOPS_TOKEN} or the home's owner-only credentials file.
 *
 * <p>An embedded home with no admin yet bootstraps a local admin ({@code admin} of the {@code platform}
 * organization) and keeps its token in the credentials file as the default: the README's first command needs no
 * set-up. A production home (PostgreSQL) is bootstrapped with {@code dataops user bootstrap}.
 */
public final class Sessions {
  public static final String LOCAL_ADMIN = "admin";

  private Sessions() {}

  public static GovernanceDatabase database(PlatformConfig config) {
    LakehouseConfig lc = config.lakehouse();
    return new GovernanceDatabase(lc.catalogUri(), lc.catalogUser(), lc.catalogPassword());
  }

  public static Session open(PlatformConfig config, String asUser, Map<String, String> env, String command,
      java.io.PrintStream err) {
    GovernanceDatabase db = database(config);
    AuditTrail trail = new AuditTrail(db);
    Identities identities = new Identities(db, trail);
    Credentials credentials = Credentials.of(config.home());
    if (config.lakehouse().isEmbedded() && !db.readOnly() && !hasAdmin(identities)) {
      bootstrapLocalAdmin(identities, credentials);
    }
    Credentials.Credential credential = credentials.resolve(asUser, env);
    Principal principal = identities.authenticate(credential.token(), credential.user());
    return new Session(principal, identities, trail, command, db.readOnly() ? err : null);
  }

  /** A session for a principal already known (the demo acting as each member of its cast). */
  public static Session of(Principal principal, Identities identities, AuditTrail trail, String command) {
    return new Session(principal, identities, trail, command, null);
  }

  static boolean hasAdmin(Identities identities) {
    return identities.users().stream().anyMatch(u -> u.has(Role.ADMIN) && !u.disabled());
  }

  private static void bootstrapLocalAdmin(Identities identities, Credentials credentials) {
    try {
      // A local token lives as long as tokens may: the embedded home is one person's.
      IssuedToken token = identities.bootstrap(LOCAL_ADMIN, Identities.MAX_TOKEN_VALIDITY).token();
      credentials.save(LOCAL_ADMIN, token.token(), false);
    } catch (BadInputException raced) {
      // Another process bootstrapped at the same moment: its token is (being) written to the file.
      if (!hasAdmin(identities)) {
        throw raced;
      }
      waitForFile(credentials);
    }
  }

  private static void waitForFile(Credentials credentials) {
    for (int i = 0; i < 100 && !java.nio.file.Files.exists(credentials.file()); i++) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** An audit sink for work done by the platform itself (no person): the trail's system actor. */
  public static AuditSink system(PlatformConfig config) {
    return new AuditTrail(database(config));
  }

  /** How long a token issued by {@code user token issue} lives unless told. */
  public static final Duration DEFAULT_VALIDITY = Identities.DEFAULT_TOKEN_VALIDITY;
}
