package io.dataops.scheduler.embedded;

import io.dataops.core.digest.DigestAlgorithm;
import io.dataops.core.digest.Digests;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.support.CronExpression;

/**
 * The embedded scheduler ({@code dataops scheduler start}): one loop that, each tick, renews its lease, claims the cron
 * occurrences that have come due (missed ones too, after a restart: each once), claims a run when an input table of a
 * feed-triggered schedule has a new snapshot, and starts ready runs up to the concurrency limit on a pool. A run
 * failing for an internal reason is retried with exponential backoff. Progress lives only in the platform database
 * ({@link ScheduleStore}), so a scheduler killed at any moment is replaced by the next without losing or doubling a
 * run: claims are unique per trigger, and the runs the dead one had started are run again (runs are idempotent).
 */
public final class EmbeddedScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedScheduler.class);
  /** At most this many missed occurrences of one schedule are claimed per tick (the rest on the next ticks). */
  static final int CATCH_UP = 100;

  private final ScheduleStore store;
  private final SchedulerLease lease;
  private final RunLauncher launcher;
  private final FeedWatch feeds;
  private final SchedulerSettings settings;
  private final Clock clock;
  private final String owner;
  private final ExecutorService pool;
  private final AtomicInteger active = new AtomicInteger();
  private volatile boolean stopping;
  private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);

  public EmbeddedScheduler(ScheduleStore store, SchedulerLease lease, RunLauncher launcher, FeedWatch feeds,
      SchedulerSettings settings, Clock clock) {
    this.store = store;
    this.lease = lease;
    this.launcher = launcher;
    this.feeds = feeds;
    this.settings = settings;
    this.clock = clock;
    this.owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(settings.maxConcurrent(), r -> {
      Thread t = new Thread(r, "dataops-run-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  public String owner() {
    return owner;
  }

  /** The first occurrence of a cron expression after a moment, in the platform's time zone; a bad one is refused. */
  public static CronExpression parse(String cron) {
    return CronExpression.parse(cron);
  }

  /**
   * A cron expression for a new schedule: it parses, and some date matches it. Spring accepts '0 0 0 31 2 *' (the
   * 31st of February) and then finds no next occurrence: such a schedule never runs, and was listed as "next null".
   */
  /**
   * The time zone cron fields are read in: the platform's (as grants, billing and feed schedules), not the host's —
   * on a UTC host "0 0 2 * * *" ran at 10:00 Beijing time, and two schedulers on hosts of different zones sharing one
   * database would have claimed different occurrences.
   */
  public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

  public static CronExpression parseFiring(String cron) {
    CronExpression expression = parse(cron);
    if (expression.next(ZonedDateTime.now(ZONE)) == null) {
      throw new IllegalArgumentException("no date matches it, so it would never run (a day the month does not "
          + "have, or a weekday that never falls on that day)");
    }
    return expression;
  }

  /**
   * Runs until {@link #stop()}: waits for the lease (another scheduler may hold it, or a dead one's lease must run
   * out; {@code waiting} is told its holder once), then calls {@code holding} — only now is this scheduler the one
   * running the schedules, so that is when its start is recorded —, takes over the runs a dead scheduler left and
   * ticks. Returns when stopped, after the running attempts end; when {@code holding} throws, releases the lease and
   * throws it.
   */
  public void run(java.util.function.Consumer<String> waiting, Runnable holding) throws InterruptedException {
    boolean said = false;
    while (!stopping && !lease.acquire(owner, clock.millis())) {
      if (!said) {
        String holder = lease.holder();
        LOG.info("waiting for the scheduler lease held by {}", holder);
        waiting.accept(holder);
        said = true;
      }
      sleep();
    }
    if (stopping) {
      stopped.countDown();
      return;
    }
    try {
      holding.run();
      int requeued = store.requeueAbandoned(owner, clock.millis());
      LOG.info("scheduler {} started ({} runs at most at once); {} interrupted runs queued again", owner,
          settings.maxConcurrent(), requeued);
      while (!stopping) {
        tick();
        sleep();
      }
    } finally {
      pool.shutdown();
      while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
        lease.acquire(owner, clock.millis()); // still ours while attempts finish
      }
      lease.release(owner);
      LOG.info("scheduler {} stopped", owner);
      stopped.countDown();
    }
  }

  /** One pass: lease, cron claims, feed claims, dispatch. */
  void tick() {
    long now = clock.millis();
    if (!lease.acquire(owner, now)) {
      LOG.error("scheduler {} lost its lease to {}: stopping", owner, lease.holder());
      stopping = true;
      return;
    }
    for (Schedule s : store.schedules()) {
      if (s.paused()) {
        continue;
      }
      try {
        claimDue(s, now);
        claimFeed(s, now);
      } catch (RuntimeException e) {
        LOG.warn("schedule {}: {}", s.id(), e.toString());
      }
    }
    dispatch(now);
  }

  private void claimDue(Schedule s, long now) {
    if (s.cron() == null) {
      return;
    }
    CronExpression cron = parse(s.cron());
    ZoneId zone = ZONE;
    ZonedDateTime from = Instant.ofEpochMilli(s.lastDue() != null ? s.lastDue() : s.createdAt()).atZone(zone);
    for (int i = 0; i < CATCH_UP; i++) {
      ZonedDateTime next = cron.next(from);
      if (next == null || next.toInstant().toEpochMilli() > now) {
        return;
      }
      long due = next.toInstant().toEpochMilli();
      if (store.claim(s.id(), "cron:" + due, "cron", due, now)) {
        LOG.info("schedule {}: run due at {} queued", s.id(), next.toInstant());
      }
      store.dueClaimed(s.id(), due);
      from = next;
    }
  }

  private void claimFeed(Schedule s, long now) {
    if (!s.onFeed()) {
      return;
    }
    String seen = feeds.fingerprint(s);
    if (seen == null || seen.equals(s.lastFeed())) {
      return;
    }
    if (s.lastFeed() != null) {
      String key = "feed:" + Digests.hex(DigestAlgorithm.SHA256, seen.getBytes(StandardCharsets.UTF_8))
          .substring(0, 40);
      if (store.claim(s.id(), key, "feed", now, now)) {
        LOG.info("schedule {}: new input snapshots ({}): run queued", s.id(), seen);
      }
    }
    store.feedSeen(s.id(), seen);
  }

  private void dispatch(long now) {
    int free = settings.maxConcurrent() - active.get();
    if (free <= 0) {
      return;
    }
    List<ScheduledRun> ready = store.ready(now, free);
    for (ScheduledRun r : ready) {
      if (!store.start(r.id(), owner, now)) {
        continue;
      }
      active.incrementAndGet();
      pool.submit(() -> {
        try {
          execute(r);
        } finally {
          active.decrementAndGet();
        }
      });
    }
  }

  private void execute(ScheduledRun r) {
    int attempt = r.attempts() + 1;
    Schedule s = store.schedule(r.scheduleId()).orElse(null);
    RunLauncher.Outcome outcome;
    if (s == null) {
      outcome = new RunLauncher.Outcome(2, "the schedule was removed");
    } else {
      try {
        outcome = launcher.launch(s, r);
      } catch (RuntimeException | Error e) {
        LOG.error("run {} of {} failed", r.id(), r.scheduleId(), e);
        outcome = new RunLauncher.Outcome(1, e.getClass().getSimpleName());
      }
    }
    long now = clock.millis();
    int max = s == null ? 1 : s.maxAttempts();
    if (outcome.exitStatus() == 0) {
      store.finish(r.id(), owner, ScheduledRun.SUCCEEDED, 0, null, now, now);
    } else if (outcome.exitStatus() == 1 && attempt < max) {
      long wait = settings.backoff().toMillis() << Math.min(20, attempt - 1);
      store.finish(r.id(), owner, ScheduledRun.RETRYING, 1, outcome.error(), now, now + wait);
      LOG.warn("run {} of {} failed (attempt {} of {}), retried in {} s: {}", r.id(), r.scheduleId(), attempt, max,
          wait / 1000, outcome.error());
    } else {
      store.finish(r.id(), owner, ScheduledRun.FAILED, outcome.exitStatus(), outcome.error(), now, now);
      LOG.warn("run {} of {} failed: {}", r.id(), r.scheduleId(), outcome.error());
    }
  }

  /** Waits until {@link #run()} has ended (its attempts finished, the lease released); false on timeout. */
  public boolean awaitStopped(java.time.Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Asks the loop to end: no new claims or attempts; running attempts finish. */
  public void stop() {
    stopping = true;
  }

  private void sleep() throws InterruptedException {
    long end = System.nanoTime() + settings.tick().toNanos();
    while (!stopping && System.nanoTime() < end) {
      Thread.sleep(Math.min(200, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
    }
  }

  /**
   * Stops the loop, interrupts running attempts and waits (up to 30 s) for their threads to record how they ended, so
   * nothing writes to the platform database or the home after close returns.
   */
  @Override
  public void close() {
    stop();
    pool.shutdownNow();
    try {
      if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("scheduler attempts still running 30 s after close");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
