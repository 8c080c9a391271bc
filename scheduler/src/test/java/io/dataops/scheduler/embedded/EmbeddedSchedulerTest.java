package io.dataops.scheduler.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.core.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler's rules on a real SQLite platform database, tick by tick on a clock the test moves: cron occurrences
 * claimed once (missed ones caught up), the lease keeping a second scheduler out, retries with exponential backoff,
 * bad input not retried, the concurrency limit, one run of a schedule at a time, feed arrivals. The launcher here
 * records attempts; the real one (the platform's, running the command line) is exercised by the platform's
 * SchedulerKillTest.
 */
class EmbeddedSchedulerTest {
  @TempDir Path dir;
  ScheduleStore store;
  final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @BeforeEach
  void open() {
    // The test database profile (-Ddataops.test.db=postgres) runs these rules on PostgreSQL too.
    store = io.dataops.core.testing.TestDatabase.postgres()
        ? new ScheduleStore(io.dataops.core.testing.TestDatabase.fresh("scheduler"), "postgres", null)
        : new ScheduleStore("jdbc:sqlite:" + dir.resolve("catalog.db"), null, null);
  }

  static final class MovableClock extends Clock {
    volatile Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  final List<AuditEvent> events = new java.util.ArrayList<>();
  final AuditSink audit = events::add;

  static AuditEvent event(String action, boolean changed) {
    return AuditEvent.ok(action, List.of("schedule:x"), java.util.Map.of("changed", changed));
  }

  void save(Schedule s) {
    store.save(s, audit, AuditEvent.ok("schedule.add", List.of("schedule:" + s.id()), java.util.Map.of()));
  }

  /**
   * Found by a probe: two removes at once both said "removed" (one event between them), and a trigger racing a remove
   * queued a run of a schedule that no longer existed, which then blocked the schedule added again under its id. A
   * remove of a removed schedule is false, and a trigger of one is refused and queues nothing.
   */
  @Test
  void aScheduleRemovedMeanwhileIsNeitherRemovedAgainNorTriggered() {
    save(schedule("nightly", "0 0 2 * * *", false, 1));
    AuditEvent removal = AuditEvent.ok("schedule.remove", List.of("schedule:nightly"), java.util.Map.of());
    assertThat(store.remove("nightly", audit, removal)).isTrue();
    assertThat(store.remove("nightly", audit, removal)).as("the second of two removes").isFalse();
    AuditEvent trigger = AuditEvent.ok("schedule.trigger", List.of("schedule:nightly"), java.util.Map.of());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.claim("nightly", "manual:1", "manual",
        clock.millis(), clock.millis(), audit, trigger)).hasMessage("no schedule nightly: it was removed meanwhile"
        + " (see: dataops schedule list)");
    assertThat(runs("nightly")).isEmpty();
    assertThat(events).extracting(AuditEvent::action).containsExactly("schedule.add", "schedule.remove");

    save(schedule("nightly", "0 0 2 * * *", false, 1));
    assertThat(store.claim("nightly", "manual:2", "manual", clock.millis(), clock.millis(), audit, trigger)).isTrue();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.remove("nightly", audit, removal))
        .hasMessageContaining("has a run that is not over");
    assertThat(store.schedule("nightly")).as("the refused remove took nothing away").isPresent();
  }

  /**
   * The same two races at once on PostgreSQL, each held open inside its transaction (at its audit event): a remove
   * waits for a trigger holding the schedule's row and then counts its run, so it is refused; a trigger waits for a
   * remove holding it and then finds no schedule, so nothing is queued.
   */
  @Test
  @Tag("own-storage") // a database of its own: the s3-postgres execution would run it as the default one does
  void onPostgresqlATriggerAndARemoveAtOnceTakeTurns() throws Exception {
    store = new ScheduleStore(io.dataops.core.testing.PostgresServer.newDatabase("scheduler_" + System.nanoTime()),
        "postgres", "");
    save(schedule("nightly", "0 0 2 * * *", false, 1));
    AuditEvent removal = AuditEvent.ok("schedule.remove", List.of("schedule:nightly"), java.util.Map.of());
    AuditEvent trigger = AuditEvent.ok("schedule.trigger", List.of("schedule:nightly"), java.util.Map.of());
    var threads = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      HeldAudit held = new HeldAudit();
      var triggered = threads.submit(() -> store.claim("nightly", "manual:1", "manual", clock.millis(),
          clock.millis(), held, trigger));
      held.inside.await();
      var removed = threads.submit(() -> store.remove("nightly", audit, removal));
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> removed.get(500, TimeUnit.MILLISECONDS))
          .as("the remove waits for the trigger's row").isInstanceOf(java.util.concurrent.TimeoutException.class);
      held.go.countDown();
      assertThat(triggered.get()).isTrue();
      org.assertj.core.api.Assertions.assertThatThrownBy(removed::get).hasMessageContaining("has a run that is not"
          + " over");
      assertThat(store.schedule("nightly")).isPresent();
      assertThat(runs("nightly")).hasSize(1);

      long run = runs("nightly").get(0).id();
      assertThat(store.start(run, "test", clock.millis())).isTrue();
      store.finish(run, "test", ScheduledRun.SUCCEEDED, 0, null, clock.millis(), 0);
      HeldAudit holding = new HeldAudit();
      var removing = threads.submit(() -> store.remove("nightly", holding, removal));
      holding.inside.await();
      var late = threads.submit(() -> store.claim("nightly", "manual:2", "manual", clock.millis(), clock.millis(),
          audit, trigger));
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> late.get(500, TimeUnit.MILLISECONDS))
          .as("the trigger waits for the remove's row").isInstanceOf(java.util.concurrent.TimeoutException.class);
      holding.go.countDown();
      assertThat(removing.get()).isTrue();
      org.assertj.core.api.Assertions.assertThatThrownBy(late::get).hasMessageContaining("no schedule nightly: it was"
          + " removed meanwhile");
      assertThat(runs("nightly")).as("the first run only").hasSize(1);
      assertThat(events).extracting(AuditEvent::action).containsExactly("schedule.add", "schedule.trigger",
          "schedule.remove");
    } finally {
      threads.shutdownNow();
    }
  }

  /** An audit sink that holds its transaction open at the event until told to go on. */
  final class HeldAudit implements AuditSink {
    final java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
    final java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);

    @Override
    public void record(AuditEvent event) {
      inside.countDown();
      try {
        go.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      events.add(event);
    }
  }

  /**
   * A schedule's change commits with its audit event: when the event cannot be recorded (here the sink fails as a
   * full platform database does), the schedule is not added, paused or triggered.
   */
  @Test
  void aChangeWhoseEventCannotBeRecordedIsNotMade() {
    AuditSink full = new AuditSink() {
      @Override
      public void record(AuditEvent event) {
        throw new IllegalStateException("cannot record audit event " + event.action() + ": database or disk is full");
      }
    };
    AuditEvent any = AuditEvent.ok("schedule.add", List.of("schedule:nightly"), java.util.Map.of());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.save(schedule("nightly", "0 0 2 * * *", false, 1),
        full, any)).hasMessageContaining("disk is full");
    assertThat(store.schedule("nightly")).isEmpty();
    save(schedule("nightly", "0 0 2 * * *", false, 1));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.pause("nightly", true, clock.millis(), full,
        changed -> event("schedule.pause", changed))).hasMessageContaining("disk is full");
    assertThat(store.schedule("nightly").orElseThrow().paused()).isFalse();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.claim("nightly", "manual:1", "manual",
        clock.millis(), clock.millis(), full, any)).hasMessageContaining("disk is full");
    assertThat(runs("nightly")).isEmpty();
    assertThat(store.claim("nightly", "manual:1", "manual", clock.millis(), clock.millis(), audit, any)).isTrue();
    assertThat(runs("nightly")).hasSize(1);
    assertThat(events).hasSize(2);
  }

  Schedule schedule(String id, String cron, boolean onFeed, int maxAttempts) {
    return schedule(id, cron, onFeed, maxAttempts, Schedule.DEFAULT_TIMEOUT);
  }

  Schedule schedule(String id, String cron, boolean onFeed, int maxAttempts, Duration timeout) {
    return new Schedule(id, "quality", "ods.x", List.of("quality", "run", "--table", "ods.x"), cron, onFeed,
        List.of("ods.x"), "ps-clerk", maxAttempts, false, clock.millis(), "ps-clerk", null, onFeed ? "ods.x@1" : null,
        timeout);
  }

  EmbeddedScheduler scheduler(RunLauncher launcher, FeedWatch feeds, int concurrent) {
    EmbeddedScheduler s = new EmbeddedScheduler(store, SchedulerLease.inDatabase(store, Duration.ofSeconds(60)),
        launcher, feeds, new SchedulerSettings(concurrent, Duration.ofSeconds(1), Duration.ofSeconds(60),
        Duration.ofSeconds(10)), clock);
    assertThat(store.acquire(s.owner(), clock.millis(), 60_000)).isTrue();
    return s;
  }

  static void await(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 30 s").isLessThan(end);
      Thread.sleep(20);
    }
  }

  /** Ticks (the clock standing still) until every run of the schedule succeeded. */
  void drain(EmbeddedScheduler s, String id) throws InterruptedException {
    await(() -> {
      s.tick();
      return runs(id).stream().allMatch(r -> r.state().equals(ScheduledRun.SUCCEEDED));
    });
  }

  List<ScheduledRun> runs(String id) {
    return store.runs(id, 1000);
  }

  ScheduledRun oldest(String id) {
    List<ScheduledRun> all = runs(id);
    return all.get(all.size() - 1);
  }

  /** Found by a probe: runs queued before a pause kept starting after it (a backlog ran on for minutes). */
  @Test
  void aPausedScheduleStartsNoneOfItsQueuedRunsUntilItIsResumed() throws Exception {
    save(schedule("held", null, false, 1));
    AuditEvent trigger = AuditEvent.ok("schedule.trigger", List.of("schedule:held"), java.util.Map.of());
    for (int i = 0; i < 3; i++) {
      assertThat(store.claim("held", "manual:" + i, "manual", clock.millis(), clock.millis(), audit, trigger))
          .isTrue();
    }
    assertThat(store.pause("held", true, clock.millis(), audit, c -> event("schedule.pause", c))).isTrue();
    java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();
    EmbeddedScheduler s = scheduler((sc, r, a) -> {
      started.incrementAndGet();
      return new RunLauncher.Outcome(0, null);
    }, FeedWatch.NONE, 2);
    for (int i = 0; i < 5; i++) {
      s.tick();
      clock.advance(Duration.ofSeconds(5));
    }
    Thread.sleep(200);
    assertThat(started.get()).isZero();
    assertThat(runs("held")).extracting(ScheduledRun::state).containsOnly(ScheduledRun.QUEUED);
    store.pause("held", false, clock.millis(), audit, c -> event("schedule.resume", c));
    drain(s, "held");
    assertThat(started.get()).isEqualTo(3);
    s.close();
  }

  /** Found by a probe: cron fields were read in the host's zone (02:00 on a UTC host is 10:00 in Beijing). */
  @Test
  void cronFieldsAreReadInThePlatformsTimeZoneWhateverTheHostsIs() throws Exception {
    save(schedule("nightly", "0 0 2 * * *", false, 1));
    EmbeddedScheduler s = scheduler((sc, r, a) -> new RunLauncher.Outcome(0, null), FeedWatch.NONE, 1);
    clock.advance(Duration.ofDays(1));
    s.tick();
    assertThat(runs("nightly")).hasSize(1);
    java.time.ZonedDateTime due = java.time.Instant.ofEpochMilli(runs("nightly").get(0).dueAt())
        .atZone(java.time.ZoneId.of("Asia/Shanghai"));
    assertThat(due.getHour()).as(due.toString()).isEqualTo(2);
    assertThat(due.getMinute()).isZero();
    drain(s, "nightly");
    s.close();
  }

  /**
   * Found by a probe: after downtime every missed occurrence ran, one after another (a daily schedule down for ten
   * days ran ten times in a row). They coalesce into one run that says how many it stands for.
   */
  @Test
  void missedOccurrencesCoalesceIntoOneRunAndASecondSchedulerWaitsForTheLease() throws Exception {
    save(schedule("every-minute", "0 * * * * *", false, 1));
    ConcurrentLinkedQueue<Long> ran = new ConcurrentLinkedQueue<>();
    EmbeddedScheduler first = scheduler((s, r, a) -> {
      ran.add(r.dueAt());
      return new RunLauncher.Outcome(0, null);
    }, FeedWatch.NONE, 2);
    long start = clock.millis();
    clock.advance(Duration.ofMinutes(5).plusSeconds(30));
    first.tick();
    first.tick();
    assertThat(runs("every-minute")).hasSize(1);
    ScheduledRun caughtUp = runs("every-minute").get(0);
    assertThat(caughtUp.occurrences()).isEqualTo(5);
    assertThat(caughtUp.firstDue()).isEqualTo(start + 60_000);
    assertThat(caughtUp.dueAt()).as("the last occurrence missed").isEqualTo(start + 5 * 60_000);
    drain(first, "every-minute");
    await(() -> ran.size() == 1);

    EmbeddedScheduler second = new EmbeddedScheduler(store, SchedulerLease.inDatabase(store, Duration.ofSeconds(60)),
        (s, r, a) -> new RunLauncher.Outcome(0, null),
        FeedWatch.NONE, new SchedulerSettings(1, Duration.ofSeconds(1), Duration.ofSeconds(60),
        Duration.ofSeconds(10)), clock);
    clock.advance(Duration.ofMinutes(1));
    second.tick(); // the first's lease is 30 s old: not taken, nothing claimed
    assertThat(runs("every-minute")).hasSize(1);
    first.tick();
    assertThat(runs("every-minute")).hasSize(2);
    assertThat(runs("every-minute").get(0).occurrences()).as("on time: one occurrence").isEqualTo(1);
    assertThat(runs("every-minute").get(0).firstDue()).isEqualTo(start + 6 * 60_000);
    drain(first, "every-minute");
    assertThat(ran).hasSize(2).doesNotHaveDuplicates();
    first.close();
    second.close();
  }

  /**
   * A run longer than its cron period (every minute, the run takes three and a half) had one more run queued for each
   * occurrence that fell while it ran, a backlog growing without end (and, with a free slot, started beside it). At
   * most one run of a schedule is in flight — a run triggered by hand meanwhile waits its turn too — and the
   * occurrences that fall meanwhile are one next run, saying how many it stands for as the catch-up after downtime.
   */
  @Test
  void occurrencesDueWhileARunIsInFlightCoalesceIntoOneNextRun() throws Exception {
    save(schedule("every-minute", "0 * * * * *", false, 1));
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    ConcurrentLinkedQueue<String> launched = new ConcurrentLinkedQueue<>();
    EmbeddedScheduler s = scheduler((sc, r, a) -> {
      most.accumulateAndGet(running.incrementAndGet(), Math::max);
      launched.add(r.triggerKey());
      try {
        if (r.dueAt() == Instant.parse("2026-01-01T00:01:00Z").toEpochMilli()) {
          release.await(); // the slow run
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      running.decrementAndGet();
      return new RunLauncher.Outcome(0, null);
    }, FeedWatch.NONE, 2);
    long start = clock.millis();
    clock.advance(Duration.ofMinutes(1));
    s.tick();
    await(() -> running.get() == 1);
    for (int i = 0; i < 7; i++) {
      clock.advance(Duration.ofSeconds(30));
      s.tick();
    }
    assertThat(store.claim("every-minute", "manual:1", "manual", clock.millis(), clock.millis())).isTrue();
    s.tick();
    assertThat(runs("every-minute")).extracting(ScheduledRun::triggerKey, ScheduledRun::state).containsExactly(
        org.assertj.core.groups.Tuple.tuple("manual:1", ScheduledRun.QUEUED),
        org.assertj.core.groups.Tuple.tuple("cron:" + (start + 60_000), ScheduledRun.RUNNING));
    release.countDown();
    await(() -> {
      s.tick();
      return runs("every-minute").size() == 3
          && runs("every-minute").stream().allMatch(r -> r.state().equals(ScheduledRun.SUCCEEDED));
    });
    ScheduledRun next = runs("every-minute").get(0);
    assertThat(next.trigger()).isEqualTo("cron");
    assertThat(next.occurrences()).as("00:02, 00:03 and 00:04, due while the first ran").isEqualTo(3);
    assertThat(next.firstDue()).isEqualTo(start + 2 * 60_000);
    assertThat(next.dueAt()).isEqualTo(start + 4 * 60_000);
    assertThat(launched).containsExactly("cron:" + (start + 60_000), "manual:1", next.triggerKey());
    assertThat(most.get()).as("one run of the schedule at a time, with two slots").isEqualTo(1);
    s.close();
  }

  /**
   * The same when the scheduler dies in the middle of the long run: the one that takes over its lease runs the
   * interrupted run again, alone, and then one run for every occurrence that fell during the run and the downtime.
   */
  @Test
  void aSchedulerDeadInALongRunIsFollowedByItsRunAgainThenOneRunForTheOccurrencesSince() throws Exception {
    // A timeout the dead one's attempt (00:01 to its death at 00:03) stays within, and the takeover at 00:04:30 is
    // past: the interrupted run is run again with the whole timeout, not failed as timed out.
    save(schedule("every-minute", "0 * * * * *", false, 1, Duration.ofMinutes(3)));
    CountDownLatch never = new CountDownLatch(1);
    AtomicInteger hung = new AtomicInteger();
    EmbeddedScheduler dead = scheduler((sc, r, a) -> {
      hung.incrementAndGet();
      try {
        never.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new RunLauncher.Outcome(1, "killed");
    }, FeedWatch.NONE, 2);
    long start = clock.millis();
    clock.advance(Duration.ofMinutes(1));
    dead.tick();
    await(() -> hung.get() == 1);
    for (int i = 0; i < 4; i++) {
      clock.advance(Duration.ofSeconds(30));
      dead.tick();
    }
    assertThat(runs("every-minute")).hasSize(1);
    // It ticks no more (as if killed at 00:03): its lease runs out at 00:04.
    clock.advance(Duration.ofSeconds(90));
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    ConcurrentLinkedQueue<String> launched = new ConcurrentLinkedQueue<>();
    EmbeddedScheduler next = new EmbeddedScheduler(store, SchedulerLease.inDatabase(store, Duration.ofSeconds(60)),
        (sc, r, a) -> {
          most.accumulateAndGet(running.incrementAndGet(), Math::max);
          launched.add(r.triggerKey());
          running.decrementAndGet();
          return new RunLauncher.Outcome(0, null);
        }, FeedWatch.NONE, new SchedulerSettings(2, Duration.ofSeconds(1), Duration.ofSeconds(60),
        Duration.ofSeconds(10)), clock);
    Thread loop = new Thread(() -> {
      try {
        next.run(holder -> { }, () -> { });
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    loop.start();
    try {
      await(() -> runs("every-minute").size() == 2
          && runs("every-minute").stream().allMatch(r -> r.state().equals(ScheduledRun.SUCCEEDED)));
    } finally {
      next.stop();
      assertThat(next.awaitStopped(Duration.ofSeconds(30))).isTrue();
      never.countDown();
      dead.close();
    }
    ScheduledRun interrupted = runs("every-minute").get(1);
    assertThat(interrupted.dueAt()).isEqualTo(start + 60_000);
    assertThat(interrupted.attempts()).isEqualTo(2);
    ScheduledRun since = runs("every-minute").get(0);
    assertThat(since.occurrences()).as("00:02 to 00:04").isEqualTo(3);
    assertThat(since.firstDue()).isEqualTo(start + 2 * 60_000);
    assertThat(since.dueAt()).isEqualTo(start + 4 * 60_000);
    assertThat(launched).containsExactly(interrupted.triggerKey(), since.triggerKey());
    assertThat(most.get()).isEqualTo(1);
    assertThat(runs("every-minute")).as("the dead one's hung attempt, ending later, changes nothing")
        .allMatch(r -> r.state().equals(ScheduledRun.SUCCEEDED));
  }

  /**
   * Found by review: a run that never ends (a stuck read, a lock never released) held its schedule, which runs one run
   * at a time, for ever. Stopped at its timeout, it is failed as timed out — not retried though attempts are left —
   * and the occurrences that fell meanwhile run as one run.
   */
  @Test
  void aHungRunIsStoppedAtItsTimeoutFailedNotRetriedAndItsScheduleRunsOn() throws Exception {
    save(schedule("every-minute", "0 * * * * *", false, 3, Duration.ofMinutes(2)));
    assertThat(store.schedule("every-minute").orElseThrow().timeout()).isEqualTo(Duration.ofMinutes(2));
    CountDownLatch never = new CountDownLatch(1);
    AtomicInteger launched = new AtomicInteger();
    AtomicInteger interrupted = new AtomicInteger();
    EmbeddedScheduler s = scheduler((sc, r, a) -> {
      if (launched.incrementAndGet() > 1) {
        return new RunLauncher.Outcome(0, null);
      }
      try {
        never.await();
      } catch (InterruptedException e) {
        interrupted.incrementAndGet(); // no stopper registered: the scheduler interrupts the attempt's thread
        return new RunLauncher.Outcome(1, "interrupted");
      }
      return new RunLauncher.Outcome(0, null);
    }, FeedWatch.NONE, 1);
    long start = clock.millis();
    clock.advance(Duration.ofMinutes(1));
    s.tick();
    await(() -> launched.get() == 1);
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofSeconds(39));
      s.tick();
    }
    assertThat(interrupted.get()).as("within its timeout (1:57 of 2:00)").isZero();
    assertThat(runs("every-minute")).extracting(ScheduledRun::state).containsExactly(ScheduledRun.RUNNING);
    clock.advance(Duration.ofSeconds(3));
    s.tick();
    // The hung run is the oldest: the tick that stopped it may also have claimed and started the next one once it
    // ended (on PostgreSQL it often had).
    await(() -> oldest("every-minute").state().equals(ScheduledRun.FAILED));
    ScheduledRun hung = oldest("every-minute");
    assertThat(hung.error()).isEqualTo("timed out after 2m");
    assertThat(hung.exitStatus()).isEqualTo(RunLauncher.TIMED_OUT);
    assertThat(hung.attempts()).as("not retried").isEqualTo(1);
    assertThat(interrupted.get()).isEqualTo(1);
    await(() -> {
      s.tick();
      return runs("every-minute").size() == 2 && runs("every-minute").get(0).state().equals(ScheduledRun.SUCCEEDED);
    });
    ScheduledRun next = runs("every-minute").get(0);
    assertThat(next.occurrences()).as("00:02 and 00:03, due while it hung").isEqualTo(2);
    assertThat(next.firstDue()).isEqualTo(start + 2 * 60_000);
    assertThat(launched.get()).isEqualTo(2);
    s.close();
  }

  /**
   * Found by review: a schedule added again without a timeout (the CLI's add without --timeout) was reset to the
   * default. Saved keeping its timeout, a replaced schedule keeps the one it had, and its event says that one; a new
   * schedule gets the one given; saved without keeping, the given timeout replaces it.
   */
  @Test
  void aScheduleReplacedKeepingItsTimeoutKeepsTheOneItHad() {
    List<Object> said = new java.util.ArrayList<>();
    java.util.function.Function<Schedule, AuditEvent> event = saved -> {
      said.add(saved.timeout());
      return AuditEvent.ok("schedule.add", List.of("schedule:" + saved.id()), java.util.Map.of());
    };
    Schedule added = store.save(schedule("nightly", "0 0 2 * * *", false, 3, Duration.ofMinutes(20)), true, audit,
        event);
    assertThat(added.timeout()).as("a new schedule: the one given").isEqualTo(Duration.ofMinutes(20));
    Schedule replaced = store.save(schedule("nightly", "0 0 3 * * *", false, 2), true, audit, event);
    assertThat(replaced.timeout()).as("kept").isEqualTo(Duration.ofMinutes(20));
    assertThat(store.schedule("nightly").orElseThrow()).satisfies(s -> {
      assertThat(s.timeout()).isEqualTo(Duration.ofMinutes(20));
      assertThat(s.cron()).as("the rest replaced").isEqualTo("0 0 3 * * *");
      assertThat(s.maxAttempts()).isEqualTo(2);
    });
    store.save(schedule("nightly", "0 0 3 * * *", false, 2, Duration.ofHours(2)), false, audit, event);
    assertThat(store.schedule("nightly").orElseThrow().timeout()).as("a timeout given replaces it")
        .isEqualTo(Duration.ofHours(2));
    assertThat(said).containsExactly(Duration.ofMinutes(20), Duration.ofMinutes(20), Duration.ofHours(2));
    assertThat(events).hasSize(3);

    // the attempts the same way (re-adding without --max-attempts reset them to 3)
    store.save(schedule("nightly", "0 0 4 * * *", false, 3), true, true, audit, event);
    assertThat(store.schedule("nightly").orElseThrow()).satisfies(s -> {
      assertThat(s.maxAttempts()).as("kept").isEqualTo(2);
      assertThat(s.timeout()).as("kept").isEqualTo(Duration.ofHours(2));
      assertThat(s.cron()).isEqualTo("0 0 4 * * *");
    });
    store.save(schedule("nightly", "0 0 4 * * *", false, 5), true, false, audit, event);
    assertThat(store.schedule("nightly").orElseThrow().maxAttempts()).as("given: replaced").isEqualTo(5);
  }

  /**
   * A launcher that started something outside its thread (the platform's: a child process) says how to stop it; the
   * scheduler then calls that, not interrupting the thread, and the launcher sees why it was stopped.
   */
  @Test
  void aStoppedAttemptIsEndedByItsLaunchersOwnStopper() throws Exception {
    save(schedule("nightly", null, false, 3, Duration.ofMinutes(30)));
    store.claim("nightly", "manual:1", "manual", clock.millis(), clock.millis());
    CountDownLatch child = new CountDownLatch(1);
    CountDownLatch launched = new CountDownLatch(1);
    AtomicReference<String> seen = new AtomicReference<>();
    AtomicInteger interrupted = new AtomicInteger();
    EmbeddedScheduler s = scheduler((sc, r, a) -> {
      a.onStop(child::countDown);
      launched.countDown();
      boolean ended = false;
      while (!ended) {
        try {
          ended = child.await(1, TimeUnit.HOURS);
        } catch (InterruptedException e) {
          interrupted.incrementAndGet();
        }
      }
      seen.set(a.stopped());
      return new RunLauncher.Outcome(1, "the child ended with status 143");
    }, FeedWatch.NONE, 1);
    s.tick();
    await(() -> runs("nightly").get(0).state().equals(ScheduledRun.RUNNING));
    // RUNNING is recorded before the pool thread has the attempt under way: a tick before that has nothing to stop
    // (the final CI of 2026-12-05 failed here waiting); the next tick would stop it, but this test ticks once
    assertThat(launched.await(30, TimeUnit.SECONDS)).as("the attempt under way").isTrue();
    clock.advance(Duration.ofMinutes(30));
    s.tick();
    await(() -> runs("nightly").get(0).state().equals(ScheduledRun.FAILED));
    assertThat(seen.get()).isEqualTo("timed out after 30m");
    assertThat(runs("nightly").get(0).error()).isEqualTo("timed out after 30m");
    assertThat(interrupted.get()).isZero();
    s.close();
  }

  @Test
  void aDailyScheduleDownForTenDaysRunsOnceForTheTenAndManualRunsStayQueuedEach() throws Exception {
    save(schedule("nightly", "0 0 2 * * *", false, 1));
    AtomicInteger launched = new AtomicInteger();
    EmbeddedScheduler s = scheduler((sc, r, a) -> {
      launched.incrementAndGet();
      return new RunLauncher.Outcome(0, null);
    }, FeedWatch.NONE, 1);
    AuditEvent trigger = AuditEvent.ok("schedule.trigger", List.of("schedule:nightly"), java.util.Map.of());
    for (int i = 0; i < 2; i++) {
      assertThat(store.claim("nightly", "manual:" + i, "manual", clock.millis(), clock.millis(), audit, trigger))
          .isTrue();
    }
    clock.advance(Duration.ofDays(10));
    // The runs asked for by hand first, one at a time; the occurrences due meanwhile are claimed once they are over.
    await(() -> {
      s.tick();
      return runs("nightly").size() == 3
          && runs("nightly").stream().allMatch(r -> r.state().equals(ScheduledRun.SUCCEEDED));
    });
    assertThat(runs("nightly")).extracting(ScheduledRun::trigger).containsExactly("cron", "manual", "manual");
    ScheduledRun cron = runs("nightly").get(0);
    assertThat(cron.occurrences()).isEqualTo(10);
    assertThat(Instant.ofEpochMilli(cron.firstDue())).isEqualTo(Instant.parse("2026-01-01T18:00:00Z"));
    assertThat(Instant.ofEpochMilli(cron.dueAt())).isEqualTo(Instant.parse("2026-01-10T18:00:00Z"));
    assertThat(launched.get()).isEqualTo(3);
    s.close();
  }

  /** An every-second cron missed for two days is counted up to COUNTED, not stepped through to the end. */
  @Test
  void aFrequentCronMissedForLongIsOneRunCountedUpToTheLimit() {
    long after = clock.millis();
    long now = after + Duration.ofDays(2).toMillis() + 500;
    EmbeddedScheduler.Missed missed = EmbeddedScheduler.missed(EmbeddedScheduler.parse("* * * * * *"), after, now);
    assertThat(missed.count()).isEqualTo(EmbeddedScheduler.COUNTED);
    assertThat(missed.first()).isEqualTo(after + 1000);
    assertThat(missed.last()).as("the latest occurrence by now").isEqualTo(now - 500);
    assertThat(EmbeddedScheduler.missed(EmbeddedScheduler.parse("* * * * * *"), now, now)).isNull();
  }

  @Test
  @Tag("own-storage") // a database of its own: the s3-postgres execution would run it as the default one does
  void onPostgresqlToo() throws Exception {
    store = new ScheduleStore(io.dataops.core.testing.PostgresServer.newDatabase("scheduler_" + System.nanoTime()),
        "postgres", "");
    save(schedule("pg", "0 * * * * *", false, 2, Duration.ofMinutes(90)));
    assertThat(store.schedule("pg").orElseThrow().timeout()).isEqualTo(Duration.ofMinutes(90));
    AtomicInteger attempts = new AtomicInteger();
    EmbeddedScheduler s = scheduler((sc, r, a) -> attempts.incrementAndGet() == 1 ? new RunLauncher.Outcome(1, "once")
        : new RunLauncher.Outcome(0, null), FeedWatch.NONE, 1);
    clock.advance(Duration.ofMinutes(2).plusSeconds(1));
    s.tick();
    s.tick();
    assertThat(runs("pg")).hasSize(1);
    assertThat(runs("pg").get(0).occurrences()).isEqualTo(2);
    assertThat(store.claim("pg", runs("pg").get(0).triggerKey(), "cron", 0, 0)).as("claimed once").isFalse();
    await(() -> runs("pg").stream().anyMatch(r -> r.state().equals(ScheduledRun.RETRYING)));
    clock.advance(Duration.ofSeconds(10));
    drain(s, "pg");
    assertThat(attempts.get()).isEqualTo(2);
    s.close();
  }

  @Test
  void aFileLeaseIsHeldByOneProcessAtATime() throws Exception {
    Path file = dir.resolve("scheduler.lock");
    FileLease mine = new FileLease(file);
    assertThat(mine.acquire("me", 0)).isTrue();
    assertThat(mine.acquire("me", 1)).as("kept without writing").isTrue();
    assertThat(mine.holder()).isEqualTo("me");
    // Another process cannot take it while this one lives.
    Process other = new ProcessBuilder(ChildJvm.command(LeaseProbe.class, List.of(), List.of(file.toString()))).start();
    assertThat(new String(other.getInputStream().readAllBytes()).strip()).isEqualTo("false");
    mine.release("me");
    Process again = new ProcessBuilder(ChildJvm.command(LeaseProbe.class, List.of(), List.of(file.toString()))).start();
    assertThat(new String(again.getInputStream().readAllBytes()).strip()).isEqualTo("true");
  }

  /**
   * Found by a probe: the lock file removed (or replaced) by hand, its holder kept the lock on the unlinked inode and
   * went on, while a new scheduler locked the new file. The holder now gives the lease up at its next renewal, and
   * another process takes the file at the name.
   */
  @Test
  void aFileLeaseWhoseFileIsRemovedOrReplacedIsGivenUp() throws Exception {
    Path file = dir.resolve("scheduler.lock");
    FileLease mine = new FileLease(file);
    assertThat(mine.acquire("me", 0)).isTrue();
    java.nio.file.Files.delete(file);
    assertThat(mine.acquire("me", 1)).as("its file removed").isFalse();
    Process other = new ProcessBuilder(ChildJvm.command(LeaseProbe.class, List.of(), List.of(file.toString(),
        "hold"))).start();
    try {
      assertThat(new java.io.BufferedReader(new java.io.InputStreamReader(other.getInputStream())).readLine())
          .isEqualTo("true");
      assertThat(mine.acquire("me", 2)).as("the new file is the other's").isFalse();
    } finally {
      other.destroy();
      other.waitFor();
    }
    assertThat(mine.acquire("me", 3)).as("the new file, free again").isTrue();
    Path replacement = java.nio.file.Files.writeString(dir.resolve("other.lock"), "x");
    java.nio.file.Files.move(replacement, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThat(mine.acquire("me", 4)).as("its file replaced").isFalse();
  }

  /**
   * The scheduler whose lease is lost stops: it claims nothing more, and stops its attempts under way, recording each
   * for a retry by the lease's holder (it ran on beside the new holder's attempt of the same run).
   */
  @Test
  void aSchedulerThatLosesItsFileLeaseStopsItsAttemptsForTheHolderToRunAgain() throws Exception {
    save(schedule("nightly", null, false, 3));
    Path file = dir.resolve("scheduler.lock");
    CountDownLatch stopped = new CountDownLatch(1);
    EmbeddedScheduler s = new EmbeddedScheduler(store, new FileLease(file), (sc, r, a) -> {
      a.onStop(stopped::countDown);
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new RunLauncher.Outcome(143, "killed");
    }, FeedWatch.NONE, new SchedulerSettings(2, Duration.ofSeconds(1), Duration.ofSeconds(60),
        Duration.ofSeconds(10)), clock);
    store.claim("nightly", "manual:1", "manual", clock.millis(), clock.millis());
    Thread loop = new Thread(() -> {
      try {
        s.run(holder -> { }, () -> { });
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    loop.start();
    try {
      await(() -> runs("nightly").get(0).state().equals(ScheduledRun.RUNNING));
      java.nio.file.Files.delete(file);
      assertThat(stopped.await(30, TimeUnit.SECONDS)).as("its attempt stopped").isTrue();
      assertThat(s.awaitStopped(Duration.ofSeconds(30))).as("the scheduler stopped").isTrue();
      ScheduledRun left = runs("nightly").get(0);
      assertThat(left.state()).isEqualTo(ScheduledRun.RETRYING);
      assertThat(left.error()).isEqualTo(EmbeddedScheduler.LEASE_LOST);
    } finally {
      s.stop();
      stopped.countDown();
      s.close();
    }
  }

  /**
   * A scheduler taking the lease queues again at once the runs of a scheduler whose process is gone, and those of one
   * whose process still runs (it may not have noticed yet that it lost the lease) only after a lease period: a probe's
   * run was executed twice at the same time.
   */
  @Test
  void runsLeftRunningByALiveSchedulerAreQueuedAgainOnlyAfterALeasePeriod() throws Exception {
    save(schedule("of-the-dead", null, false, 3));
    save(schedule("of-the-living", null, false, 3));
    String host = java.lang.management.ManagementFactory.getRuntimeMXBean().getName().replaceFirst("^[0-9]+", "");
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Process living = new ProcessBuilder("sleep", "120").start();
    try {
      store.claim("of-the-dead", "manual:1", "manual", clock.millis(), clock.millis());
      store.claim("of-the-living", "manual:2", "manual", clock.millis(), clock.millis());
      assertThat(store.start(runs("of-the-dead").get(0).id(), gone.pid() + host + "/dead0000", clock.millis()))
          .isTrue();
      assertThat(store.start(runs("of-the-living").get(0).id(), living.pid() + host + "/live0000", clock.millis()))
          .isTrue();
      ConcurrentLinkedQueue<String> launched = new ConcurrentLinkedQueue<>();
      EmbeddedScheduler next = scheduler((sc, r, a) -> {
        launched.add(r.triggerKey());
        return new RunLauncher.Outcome(0, null);
      }, FeedWatch.NONE, 2);
      try {
        assertThat(next.takeOver(clock.millis())).isEqualTo(1);
        drain(next, "of-the-dead");
        for (int i = 0; i < 3; i++) {
          clock.advance(Duration.ofSeconds(15));
          next.tick();
        }
        assertThat(runs("of-the-living").get(0).state()).as("within the lease").isEqualTo(ScheduledRun.RUNNING);
        clock.advance(Duration.ofSeconds(15));
        drain(next, "of-the-living");
        assertThat(launched).containsExactly("manual:1", "manual:2");
      } finally {
        next.close();
      }
    } finally {
      living.destroy();
    }
  }

  /** Tries the lease from another JVM and prints whether it got it. */
  public static final class LeaseProbe {
    public static void main(String[] args) throws InterruptedException {
      System.out.println(new FileLease(Path.of(args[0])).acquire("probe", 0));
      if (args.length > 1) {
        Thread.sleep(120_000); // holds it until destroyed
      }
    }
  }

  @Test
  void anInternalFailureIsRetriedWithBackoffAndBadInputIsNot() throws Exception {
    save(schedule("flaky", null, false, 3));
    save(schedule("refused", null, false, 3));
    AtomicInteger flakyAttempts = new AtomicInteger();
    EmbeddedScheduler s = scheduler((sc, r, a) -> sc.id().equals("refused") ? new RunLauncher.Outcome(2, "bad input")
        : flakyAttempts.incrementAndGet() < 3 ? new RunLauncher.Outcome(1, "internal") : new RunLauncher.Outcome(0,
            null), FeedWatch.NONE, 2);
    store.claim("flaky", "manual:1", "manual", clock.millis(), clock.millis());
    store.claim("refused", "manual:2", "manual", clock.millis(), clock.millis());
    s.tick();
    await(() -> runs("flaky").get(0).state().equals(ScheduledRun.RETRYING)
        && runs("refused").get(0).state().equals(ScheduledRun.FAILED));
    assertThat(runs("refused").get(0).attempts()).isEqualTo(1);
    ScheduledRun afterFirst = runs("flaky").get(0);
    assertThat(afterFirst.nextAttemptAt() - clock.millis()).isEqualTo(10_000);
    clock.advance(Duration.ofSeconds(9));
    s.tick();
    assertThat(flakyAttempts.get()).as("not before the backoff").isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    s.tick();
    await(() -> runs("flaky").get(0).attempts() == 2 && runs("flaky").get(0).state().equals(ScheduledRun.RETRYING));
    assertThat(runs("flaky").get(0).nextAttemptAt() - clock.millis()).as("doubled").isEqualTo(20_000);
    clock.advance(Duration.ofSeconds(20));
    s.tick();
    await(() -> runs("flaky").get(0).state().equals(ScheduledRun.SUCCEEDED));
    assertThat(runs("flaky").get(0).attempts()).isEqualTo(3);
    s.close();
  }

  @Test
  void atMostNRunsAtOnce() throws Exception {
    List<String> ids = List.of("busy-0", "busy-1", "busy-2", "busy-3", "busy-4");
    ids.forEach(id -> save(schedule(id, null, false, 1)));
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    EmbeddedScheduler s = scheduler((sc, r, a) -> {
      most.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      running.decrementAndGet();
      return new RunLauncher.Outcome(0, null);
    }, FeedWatch.NONE, 2);
    ids.forEach(id -> store.claim(id, "manual:1", "manual", clock.millis(), clock.millis()));
    s.tick();
    s.tick();
    await(() -> running.get() == 2);
    assertThat(store.runs(null, 1000).stream().filter(r -> r.state().equals(ScheduledRun.QUEUED))).hasSize(3);
    release.countDown();
    await(() -> {
      s.tick();
      return store.runs(null, 1000).stream().allMatch(r -> r.state().equals(ScheduledRun.SUCCEEDED));
    });
    assertThat(store.runs(null, 1000)).hasSize(5);
    assertThat(most.get()).isEqualTo(2);
    s.close();
  }

  @Test
  void aNewInputSnapshotStartsOneRunAndAPausedScheduleNone() throws Exception {
    save(schedule("on-feed", null, true, 1));
    AtomicReference<String> snapshots = new AtomicReference<>("ods.x@1");
    EmbeddedScheduler s = scheduler((sc, r, a) -> new RunLauncher.Outcome(0, null), sc -> snapshots.get(), 1);
    s.tick();
    assertThat(runs("on-feed")).as("the baseline seen when it was added").isEmpty();
    snapshots.set("ods.x@2");
    s.tick();
    s.tick();
    assertThat(runs("on-feed")).hasSize(1);
    assertThat(runs("on-feed").get(0).trigger()).isEqualTo("feed");
    assertThat(store.pause("on-feed", true, clock.millis(), audit, changed -> event("schedule.pause", changed)))
        .isTrue();
    snapshots.set("ods.x@3");
    s.tick();
    assertThat(runs("on-feed")).hasSize(1);
    assertThat(store.pause("on-feed", false, clock.millis(), audit, changed -> event("schedule.resume", changed)))
        .isTrue();
    assertThat(events).extracting(AuditEvent::action).containsExactly("schedule.add", "schedule.pause",
        "schedule.resume");
    s.tick();
    assertThat(runs("on-feed")).as("the arrival seen after resuming").hasSize(2);
    s.close();
  }
}
