package io.dataops.platform.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.governance.identity.Credentials;
import io.dataops.platform.config.PlatformConfig;
import java.nio.file.Path;
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
}
