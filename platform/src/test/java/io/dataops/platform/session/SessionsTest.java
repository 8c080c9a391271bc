package io.dataops.platform.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.BadInputException;
import io.dataops.governance.audit.AuditTrail;
import io.dataops.governance.identity.Credentials;
import io.dataops.governance.identity.Identities;
import io.dataops.platform.config.PlatformConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionsTest {
  @TempDir Path dir;

  /**
   * Commands started together on a new embedded home each open a session: each finds no admin. One makes the local
   * admin and saves its token; the others act as that admin. Before, a command that found the admin a moment after
   * it was made, before its token was saved, failed with "no API token" (3 rounds in 20 of four processes at once;
   * in this test, threads of one process, within 5 rounds).
   */
  @Test
  void sessionsOpenedAtOnceOnAFreshHomeAllActAsTheOneLocalAdmin() throws Exception {
    for (int round = 0; round < 15; round++) {
      Path home = dir.resolve("home-" + round);
      int threads = 4;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<String>> opened = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          opened.add(pool.submit(() -> {
            start.await();
            return Sessions.open(PlatformConfig.load(home, Map.of()), null, Map.of(), "test", System.err).principal()
                .name();
          }));
        }
        for (Future<String> f : opened) {
          assertThat(f.get(2, TimeUnit.MINUTES)).as("round %d", round).isEqualTo(Sessions.LOCAL_ADMIN);
        }
      } finally {
        pool.shutdownNow();
      }
      var identities = Sessions.open(PlatformConfig.load(home, Map.of()), null, Map.of(), "test", System.err)
          .identities();
      assertThat(identities.users()).as("one user: the local admin").singleElement()
          .satisfies(u -> assertThat(u.name()).isEqualTo(Sessions.LOCAL_ADMIN));
      assertThat(Credentials.of(home).resolve(null, Map.of()).user()).isEqualTo(Sessions.LOCAL_ADMIN);
    }
  }
  /**
   * A first command killed after it made the local admin and before it saved the admin's token (kill -9 between the
   * two commits) left a home whose every command failed with "no API token", for good: no one had a token to issue
   * another. The bootstrap's marker says so; the next command revokes the token no one has and saves a new one.
   */
  @Test
  void aBootstrapKilledBeforeItsTokenWasSavedIsFinishedByTheNextCommand() throws Exception {
    Path home = dir.resolve("home");
    PlatformConfig config = PlatformConfig.load(home, Map.of());
    var db = Sessions.database(config);
    var identities = new Identities(db, new AuditTrail(db));
    // What the killed process left: the marker, then the admin and its token committed, no credentials file.
    Files.createDirectories(home.resolve("secrets"));
    Files.createFile(home.resolve("secrets/bootstrap.pending"));
    String lost = identities.bootstrap(Sessions.LOCAL_ADMIN, Duration.ofDays(1)).token().id();

    assertThat(Sessions.open(config, null, Map.of(), "test", System.err).principal().name())
        .isEqualTo(Sessions.LOCAL_ADMIN);
    assertThat(identities.tokens(Sessions.LOCAL_ADMIN)).hasSize(2).allSatisfy(t -> assertThat(t.revokedAt() != null)
        .as("token %s revoked", t.id()).isEqualTo(t.id().equals(lost)));
    assertThat(home.resolve("secrets/bootstrap.pending")).doesNotExist();
    // Later commands use the saved token; nothing more is issued.
    assertThat(Sessions.open(config, null, Map.of(), "test", System.err).principal().name())
        .isEqualTo(Sessions.LOCAL_ADMIN);
    assertThat(identities.tokens(Sessions.LOCAL_ADMIN)).hasSize(2);
  }

  /** Without the marker a missing token is the person's to supply (a deleted credentials file, say): none is issued. */
  @Test
  void aMissingTokenWithoutAnInterruptedBootstrapIsRefusedAsBefore() throws Exception {
    Path home = dir.resolve("home");
    PlatformConfig config = PlatformConfig.load(home, Map.of());
    Sessions.open(config, null, Map.of(), "test", System.err);
    Files.delete(Credentials.of(home).file());
    assertThatThrownBy(() -> Sessions.open(config, null, Map.of(), "test", System.err))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("no API token: set DATAOPS_TOKEN");
    var db = Sessions.database(config);
    assertThat(new Identities(db, new AuditTrail(db))
        .tokens(Sessions.LOCAL_ADMIN)).hasSize(1);
  }
}
