package io.dataops.governance.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.core.audit.AuditEvent;
import io.dataops.core.digest.DigestAlgorithm;
import io.dataops.core.testing.ChildJvm;
import io.dataops.governance.db.GovernanceDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Appends from several threads and processes at once keep one chain: no event lost, none forked off. */
class ConcurrentAppendTest extends TrailFixture {

  @Test
  void twoThreadsAppendingAtOnceMakeOneChain() throws Exception {
    String url = lakehouse.config().catalogUri();
    appendInThreads(url, null, 2, 150);
    assertOneChainOf(300, List.of("thread:0", "thread:1"), 150);
  }

  @Test
  void twoProcessesAppendingAtOnceMakeOneChain() throws Exception {
    String url = lakehouse.config().catalogUri();
    List<Process> children = new ArrayList<>();
    for (String name : List.of("a", "b")) {
      Path log = home.resolve("child-" + name + ".log");
      children.add(new ProcessBuilder(ChildJvm.command(AuditAppendChild.class, List.of("-Xmx256m"),
          List.of(url, "100", name)))
          .redirectErrorStream(true).redirectOutput(log.toFile()).start());
    }
    for (int i = 0; i < children.size(); i++) {
      Process child = children.get(i);
      assertThat(child.waitFor(180, TimeUnit.SECONDS)).isTrue();
      String log = Files.readString(home.resolve("child-" + (i == 0 ? "a" : "b") + ".log"));
      assertThat(child.exitValue()).as(log).isZero();
      assertThat(log).contains("appended 100");
    }
    assertOneChainOf(200, List.of("process:a", "process:b"), 100);
  }

  /** Each thread with its own database connections, as separate commands would have. */
  static void appendInThreads(String url, String user, int threads, int each) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Callable<Void>> jobs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String name = "thread:" + t;
        jobs.add(() -> {
          AuditTrail own = new AuditTrail(new GovernanceDatabase(url, user, user == null ? null : ""),
              DigestAlgorithm.SM3, Clock.systemUTC());
          for (int i = 0; i < each; i++) {
            own.record(AuditEvent.ok("test.append", List.of(name), Map.of("i", i)));
          }
          return null;
        });
      }
      for (Future<Void> f : pool.invokeAll(jobs)) {
        f.get(180, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  void assertOneChainOf(long events, List<String> writers, int each) {
    assertThat(trail.verify(lakehouse)).isEqualTo(Verification.good(events, 0));
    assertThat(count()).isEqualTo(events);
    assertThat(trail.head().seq()).isEqualTo(events);
    for (String w : writers) {
      assertThat(trail.list(AuditFilter.newest().object(w).limit(10_000))).hasSize(each);
    }
  }
}
