package io.dataops.platform.session;

import io.dataops.core.BadInputException;
import io.dataops.core.files.OwnerOnly;
import io.dataops.governance.identity.TokenInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    Identities identities = new Identities(db, RemoteClient.noting(trail));
    Credentials credentials = Credentials.of(config.home());
    boolean local = config.lakehouse().isEmbedded() && !db.readOnly();
    if (local && !hasAdmin(identities)) {
      bootstrapLocalAdmin(identities, credentials);
    }
    Credentials.Credential credential;
    try {
      credential = credential(identities, credentials, asUser, env, local);
    } catch (Credentials.Unusable unusable) {
      throw identities.refused(unusable);
    }
    Principal principal = identities.authenticate(credential.token(), credential.user());
    return new Session(principal, identities, trail, command, db.readOnly() ? err : null);
  }

  private static Credentials.Credential credential(Identities identities, Credentials credentials, String asUser,
      Map<String, String> env, boolean local) {
    try {
      return credentials.resolve(asUser, env);
    } catch (Credentials.Unusable unusable) {
      throw unusable;
    } catch (BadInputException missing) {
      if (!local) {
        throw missing;
      }
      // Another command started on this new home at the same moment may have made the admin and not yet saved its
      // token: it holds the credentials lock until it has, so the token is looked for once more after it. A first
      // command killed before it saved the token left its marker: the bootstrap is finished here.
      try {
        return credentials.locked(() -> {
          finishInterruptedBootstrap(identities, credentials);
          return credentials.resolve(asUser, env);
        });
      } catch (UncheckedIOException cannotLock) {
        throw missing; // what the person can act on
      }
    }
  }

  /** A session for a principal already known (the demo acting as each member of its cast). */
  public static Session of(Principal principal, Identities identities, AuditTrail trail, String command) {
    return new Session(principal, identities, trail, command, null);
  }

  static boolean hasAdmin(Identities identities) {
    return identities.users().stream().anyMatch(u -> u.has(Role.ADMIN) && !u.disabled());
  }

  /**
   * Makes the local admin and saves its token, holding the credentials lock from before the admin is looked for again
   * until the token is in the file: of commands started together on a new home one makes the admin, and the others
   * wait for its token (before, one that found the admin made a moment earlier failed with "no API token", 3 rounds
   * in 20 of four commands at once).
   */
  private static void bootstrapLocalAdmin(Identities identities, Credentials credentials) {
    credentials.locked(() -> {
      if (hasAdmin(identities)) {
        return null; // made by another command while this one waited for the lock
      }
      Path pending = pendingMarker(credentials);
      try {
        OwnerOnly.createFile(pending);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + pending, e);
      }
      IssuedToken token;
      try {
        // A local token lives as long as tokens may: the embedded home is one person's.
        token = identities.bootstrap(LOCAL_ADMIN, Identities.MAX_TOKEN_VALIDITY).token();
      } catch (BadInputException raced) {
        deletePending(pending); // nothing was made
        if (hasAdmin(identities)) {
          return null; // a process that took no lock (an older version) made it first
        }
        throw raced;
      }
      credentials.save(LOCAL_ADMIN, token.token(), false);
      deletePending(pending);
      return null;
    });
  }

  /**
   * Marks a bootstrap under way (made before the admin, removed once its token is saved): a process killed between
   * the two left an admin whose token no one has, and every later command of the home failed with "no API token".
   */
  private static Path pendingMarker(Credentials credentials) {
    return credentials.file().resolveSibling("bootstrap.pending");
  }

  /**
   * Holding the credentials lock (so no bootstrap is under way in another process): when a bootstrap's marker is
   * left, the process that made the local admin died before its token was saved. That token, which no one can have
   * seen, is revoked, and a new one is issued and saved as the bootstrap would have.
   */
  private static void finishInterruptedBootstrap(Identities identities, Credentials credentials) {
    Path pending = pendingMarker(credentials);
    if (!Files.exists(pending) || !hasAdmin(identities) || identities.user(LOCAL_ADMIN).isEmpty()) {
      return;
    }
    if (savedTokenWorks(identities, credentials)) {
      deletePending(pending); // killed after saving the token, before removing the marker
      return;
    }
    // The new token first: the last live admin token is never revoked (nobody could issue one again), and a process
    // killed between these steps leaves a live token the next command's pass revokes in its turn.
    IssuedToken token = identities.issueToken(LOCAL_ADMIN, Identities.MAX_TOKEN_VALIDITY);
    for (TokenInfo t : identities.tokens(LOCAL_ADMIN)) {
      if (t.revokedAt() == null && !t.id().equals(token.id())) {
        identities.revokeToken(t.id());
      }
    }
    credentials.save(LOCAL_ADMIN, token.token(), false);
    deletePending(pending);
  }

  private static boolean savedTokenWorks(Identities identities, Credentials credentials) {
    try {
      identities.authenticate(credentials.resolve(LOCAL_ADMIN, Map.of()).token(), LOCAL_ADMIN);
      return true;
    } catch (RuntimeException missingOrRefused) {
      return false;
    }
  }

  private static void deletePending(Path pending) {
    try {
      Files.deleteIfExists(pending);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + pending, e);
    }
  }

  /** An audit sink for work done by the platform itself (no person): the trail's system actor. */
  public static AuditSink system(PlatformConfig config) {
    return new AuditTrail(database(config));
  }

  /** How long a token issued by {@code user token issue} lives unless told. */
  public static final Duration DEFAULT_VALIDITY = Identities.DEFAULT_TOKEN_VALIDITY;
}
