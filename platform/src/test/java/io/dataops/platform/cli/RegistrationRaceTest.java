package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.core.audit.AuditSink;
import io.dataops.governance.audit.AuditTrail;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.intake.RegisteredContracts;
import io.dataops.platform.session.Sessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two registrations of one dataset's contract at once take turns: the file in the registry is the one the trail's last
 * registration event records. Before, the first could move its copy in after the second had recorded its event and
 * moved its own, and every later feed was refused as "changed since, outside registration".
 */
class RegistrationRaceTest {
  @TempDir Path dir;

  @Test
  void twoRegistrationsAtOnceLeaveTheFileTheLastEventRecords() throws Exception {
    Path home = dir.resolve("home");
    TestCast.enroll(home);
    Path feed = dir.resolve("c.csv");
    assertThat(CliTest.exactly("generate", "--dataset", "citizens", "--rows", "5", "--out", feed.toString(),
        "--home", home.toString(), "--as", TestCast.PUBLIC_SECURITY).exit()).isZero();
    Path first = dir.resolve("c.csv.contract.yaml");
    Path second = dir.resolve("second.contract.yaml");
    Files.writeString(second, Files.readString(first) + "# the second registration\n");
    PlatformConfig config = PlatformConfig.load(home, Map.of());
    AuditTrail trail = new AuditTrail(Sessions.database(config));

    CountDownLatch firstRecorded = new CountDownLatch(1);
    CountDownLatch secondDone = new CountDownLatch(1);
    // The first registration stops between its event and its move until the second is done (or 3 s have passed).
    AuditSink slow = event -> {
      trail.record(event);
      firstRecorded.countDown();
      try {
        secondDone.await(3, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> a = pool.submit(() -> RegisteredContracts.register(config, "public-security", "citizens", first,
          slow));
      assertThat(firstRecorded.await(60, TimeUnit.SECONDS)).isTrue();
      Future<?> b = pool.submit(() -> {
        RegisteredContracts.register(config, "public-security", "citizens", second, trail);
        secondDone.countDown();
      });
      a.get(60, TimeUnit.SECONDS);
      b.get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertThat(Files.readString(home.resolve("contracts/public-security/citizens.contract.yaml")))
        .as("the second registration, whose event is the last").isEqualTo(Files.readString(second));
    assertThat(RegisteredContracts.find(config, "public-security", "citizens")).as("in force, not refused")
        .isPresent();
  }
}
