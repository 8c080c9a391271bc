package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.core.testing.ChildJvm;
import io.dataops.platform.cli.CliTest.Run;
import io.dataops.platform.session.Sessions;
import io.dataops.scheduler.embedded.ScheduleStore;
import io.dataops.scheduler.embedded.ScheduledRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded scheduler killed with SIGKILL in the middle of a run, then started again: every cron occurrence from
 * the first to the last is run exactly once — the interrupted one again (its second attempt), the ones that fell
 * while it was down and while it ran again caught up by one run standing for them all — and each succeeded run has
 * exactly one {@code schedule.run} audit event. Occurrences fall every five seconds, about as long as a run (a child
 * JVM) takes, and two runs may run at once: still the schedule never has more than one run not over, nor two running.
 */
class SchedulerKillTest {
  @TempDir Path dir;

  Run ok(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--home", dir.resolve("home").toString()));
    Run r = CliTest.exactly(all.toArray(String[]::new));
    assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
    return r;
  }

  private Process startScheduler(Path log) throws Exception {
    List<String> cmd = ChildJvm.command(io.dataops.platform.Main.class, List.of(), List.of("scheduler", "start",
        "--home", dir.resolve("home").toString(), "--as", Sessions.LOCAL_ADMIN, "--max-concurrent", "2",
        "--tick-seconds", "1", "--lease-seconds", "3", "--backoff-seconds", "1"));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
        log.toFile())).start();
  }

  /**
   * Waits for {@code condition}, checking at each look that the schedule has at most one run queued, running or
   * retrying: occurrences that fall while a run is not over wait for it and are one next run (a run longer than the
   * five seconds between occurrences had one more queued per occurrence). The runs are child JVMs, slow on a loaded
   * machine: the limits are generous, and a timeout shows the runs' states.
   */
  private static void await(String what, int seconds, Path log, ScheduleStore store, String id,
      BooleanSupplier condition) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      List<ScheduledRun> unfinished = store.runs(id, 1000).stream().filter(r -> List.of(ScheduledRun.QUEUED,
          ScheduledRun.RUNNING, ScheduledRun.RETRYING).contains(r.state())).toList();
      assertThat(unfinished).as("runs not over at once; scheduler log:\n" + Files.readString(log)).hasSizeLessThan(2);
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what + "; runs (due, state, attempts): "
            + store.runs(id, 1000).stream().map(r -> r.dueAt() + " " + r.state() + " " + r.attempts()).toList()
            + "; scheduler log:\n" + Files.readString(log));
      }
      Thread.sleep(100);
    }
  }

  @Test
  void aRestartNeitherLosesNorDoublesAScheduledRun() throws Exception {
    Path home = dir.resolve("home");
    TestCast.enroll(home);
    Path suite = CliTest.landedCitizensAndARowCountSuite(dir);
    String id = "quality:ods.public_security__citizens";
    JsonNode added = ok("schedule", "add-quality", "--table", "ods.public_security__citizens", "--suite",
        suite.toString(), "--cron", "*/5 * * * * *", "--json", "--as", TestCast.PUBLIC_SECURITY).json();
    assertThat(added.get("runAs").asText()).isEqualTo(TestCast.PUBLIC_SECURITY);
    var config = io.dataops.platform.config.PlatformConfig.load(home, Map.of());
    ScheduleStore store = io.dataops.platform.schedule.ScheduleServices.store(config);
    Path log = dir.resolve("scheduler.log");

    Process first = startScheduler(log);
    long killedRun;
    try {
      await("a run done and another running", 300, log, store, id, () -> {
        List<ScheduledRun> runs = store.runs(id, 1000);
        return runs.stream().filter(r -> r.state().equals(ScheduledRun.SUCCEEDED)).count() >= 1
            && runs.stream().anyMatch(r -> r.state().equals(ScheduledRun.RUNNING));
      });
      killedRun = store.runs(id, 1000).stream().filter(r -> r.state().equals(ScheduledRun.RUNNING)).findFirst()
          .orElseThrow().id();
    } finally {
      first.destroyForcibly(); // SIGKILL: no shutdown hook, the lease is not released, the run stays 'running'
      first.waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(store.runs(id, 1000).stream().filter(r -> r.id() == killedRun).findFirst().orElseThrow().state())
        .isEqualTo(ScheduledRun.RUNNING);
    Thread.sleep(11_000); // down across at least two occurrences, and past the dead scheduler's lease
    long restartedAt = System.currentTimeMillis();
    long lastBefore = store.runs(id, 1000).stream().mapToLong(ScheduledRun::id).max().orElseThrow();

    Process second = startScheduler(log);
    try {
      // Also the restarted scheduler's first run (the catch-up), whose due time may be after restartedAt + 5 s
      // when the child JVM is slow to start.
      await("every run due before the restart done", 600, log, store, id, () -> {
        List<ScheduledRun> all = store.runs(id, 1000);
        long firstNew = all.stream().mapToLong(ScheduledRun::id).filter(n -> n > lastBefore).min().orElse(-1);
        return firstNew > 0 && all.stream().filter(r -> r.dueAt() <= restartedAt + 5000 || r.id() == firstNew)
            .allMatch(r -> r.state().equals(ScheduledRun.SUCCEEDED))
            && all.stream().anyMatch(r -> r.dueAt() > restartedAt + 5000 && r.id() > firstNew);
      });
    } finally {
      second.destroy(); // SIGTERM: no new runs, the running one finishes, the lease is released
      boolean ended = second.waitFor(120, TimeUnit.SECONDS);
      if (!ended) {
        second.destroyForcibly();
      }
      assertThat(ended).as("stopped by SIGTERM; log:\n" + Files.readString(log)).isTrue();
    }

    System.out.println("scheduler log:\n" + Files.readString(log));
    List<ScheduledRun> runs = new ArrayList<>(store.runs(id, 1000));
    runs.sort(Comparator.comparingLong(ScheduledRun::dueAt));
    // Nothing lost: the occurrences the runs stand for are consecutive, five seconds apart, from the first to the
    // last.
    for (int i = 0; i < runs.size(); i++) {
      ScheduledRun r = runs.get(i);
      assertThat(r.dueAt() - r.firstDue()).as("run " + r).isEqualTo(5000L * (r.occurrences() - 1));
      if (i > 0) {
        assertThat(r.firstDue() - runs.get(i - 1).dueAt()).as("runs " + runs).isEqualTo(5000);
      }
    }
    // Nothing doubled: one run per occurrence.
    assertThat(new HashSet<>(runs.stream().map(ScheduledRun::triggerKey).toList())).hasSize(runs.size());
    // One at a time, with two slots: each attempt recorded started after the one before it finished (the restarted
    // scheduler started the interrupted run and the catch-up together).
    List<ScheduledRun> attempts = runs.stream().filter(r -> r.startedAt() != null && r.finishedAt() != null)
        .sorted(Comparator.comparingLong(ScheduledRun::startedAt)).toList();
    for (int i = 1; i < attempts.size(); i++) {
      assertThat(attempts.get(i).startedAt()).as("runs " + attempts).isGreaterThanOrEqualTo(
          attempts.get(i - 1).finishedAt());
    }
    ScheduledRun killed = runs.stream().filter(r -> r.id() == killedRun).findFirst().orElseThrow();
    assertThat(killed.state()).isEqualTo(ScheduledRun.SUCCEEDED);
    assertThat(killed.attempts()).as("the interrupted attempt, then the one after the restart").isEqualTo(2);
    // The restarted scheduler's first claim, once the interrupted run is over, is one run for the occurrences that
    // fell while none ran (11 s: two at least) and while that run ran again, not one run each.
    List<ScheduledRun> caughtUp = runs.stream().filter(r -> r.id() > lastBefore)
        .sorted(Comparator.comparingLong(ScheduledRun::id)).limit(1).toList();
    assertThat(caughtUp.get(0).firstDue()).as("run " + caughtUp.get(0)).isEqualTo(killed.dueAt() + 5000)
        .isLessThan(restartedAt);
    assertThat(caughtUp.get(0).occurrences()).as("run " + caughtUp.get(0)).isGreaterThanOrEqualTo(2);
    // Each succeeded run is audited once, as a run of the schedule; the killed attempt left no such event.
    JsonNode events = ok("audit", "list", "--action", "schedule.run", "--limit", "1000", "--json", "--as",
        TestCast.AUDITOR).json().get("events");
    Map<String, Integer> perRun = new HashMap<>();
    Map<String, Integer> occurrencesAudited = new HashMap<>();
    events.forEach(e -> e.get("objects").forEach(o -> {
      if (o.asText().startsWith("run:") && e.get("outcome").asText().equals("ok")) {
        perRun.merge(o.asText(), 1, Integer::sum);
        occurrencesAudited.put(o.asText(), e.at("/details/occurrences").asInt());
      }
    }));
    assertThat(occurrencesAudited.get("run:" + caughtUp.get(0).id())).as("its event says how many it stands for")
        .isEqualTo(caughtUp.get(0).occurrences());
    for (ScheduledRun r : runs) {
      if (r.state().equals(ScheduledRun.SUCCEEDED)) {
        assertThat(perRun.get("run:" + r.id())).as("audit events of run " + r.id()).isEqualTo(1);
      }
    }
    JsonNode listed = ok("schedule", "runs", id, "--json", "--as", TestCast.AUDITOR).json();
    assertThat(listed.get("runs")).hasSize(runs.size());
    listed.get("runs").forEach(r -> {
      if (r.get("id").asLong() == caughtUp.get(0).id()) {
        assertThat(r.get("occurrences").asInt()).isEqualTo(caughtUp.get(0).occurrences());
      }
    });
  }
}
