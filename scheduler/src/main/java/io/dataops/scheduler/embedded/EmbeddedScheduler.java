package io.dataops.scheduler.embedded;

import io.dataops.core.digest.DigestAlgorithm;
import io.dataops.core.digest.Digests;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;
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
 * occurrences that have come due (those missed while no scheduler ran, or while the schedule's last run was not over,
 * as one run), claims a run when an input table of a feed-triggered schedule has a new snapshot, and starts ready runs
 * up to the concurrency limit on a pool, one run of a schedule at a time. A run
 * failing for an internal reason is retried with exponential backoff; an attempt that outlives its schedule's timeout
 * is stopped and its run failed, not retried. Progress lives only in the platform database
 * ({@link ScheduleStore}), so a scheduler killed at any moment is replaced by the next without losing or doubling a
 * run: claims are unique per trigger, and the runs the dead one had started are run again (runs are idempotent).
 */
public final class EmbeddedScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedScheduler.class);
  /**
   * Missed occurrences of one schedule counted one by one, at most (an every-second cron missed for a year is not
   * stepped through): a run standing for more records this many.
   */
  public static final int COUNTED = 100_000;

  private final ScheduleStore store;
  private final SchedulerLease lease;
  private final RunLauncher launcher;
  private final FeedWatch feeds;
  private final SchedulerSettings settings;
  private final Clock clock;
  private final String owner;
  private final ExecutorService pool;
  private final AtomicInteger active = new AtomicInteger();
  /** The attempts this scheduler has under way, by run id: the ones that outlive their timeout are stopped. */
  private final java.util.Map<Long, Running> running = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile boolean stopping;
  /**
   * When the runs other schedulers left running that may still be under way go back to the queue (0: none waits):
   * see {@link #takeOver}.
   */
  private long requeueAt;
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
   * The time zone cron fields are read in: the platform's (as grants, billing and feed schedules), not the host's —
   * on a UTC host "0 0 2 * * *" ran at 10:00 Beijing time, and two schedulers on hosts of different zones sharing one
   * database would have claimed different occurrences.
   */
  public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

  /**
   * A cron expression for a new schedule: it parses, and some date matches it. Spring accepts '0 0 0 31 2 *' (the
   * 31st of February) and then finds no next occurrence: such a schedule never runs, and was listed as "next null".
   */
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
      int requeued = takeOver(clock.millis());
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

  /**
   * Queues again the runs other schedulers left running: at once those whose scheduler is surely dead, and the rest
   * after one lease period. Holding the lease does not prove its former holder dead: one whose lock file was removed by
   * hand, or that stalled past its lease, still has its attempts under way until its next tick finds the lease lost
   * and stops them (recording them for a retry); queued again at once, a probe's run was executed twice at the same
   * time. Returns how many were queued now.
   */
  int takeOver(long now) {
    int requeued = 0;
    for (String other : store.runningOwners(owner)) {
      if (dead(other)) {
        requeued += store.requeueAbandonedBy(other, now);
      } else {
        LOG.warn("scheduler {} left runs running and may still be alive: they are queued again in {} unless it "
            + "records them first", other, Schedule.text(settings.lease()));
        requeueAt = now + settings.lease().toMillis();
      }
    }
    return requeued;
  }

  /**
   * Whether the scheduler {@code other} (as {@link #owner} names one: pid@host/id) is surely no longer running: it ran
   * on this host, in this process (a process runs one scheduler: this is a former one's pid, reused) or in one that
   * is gone.
   */
  static boolean dead(String other) {
    String self = ManagementFactory.getRuntimeMXBean().getName();
    int slash = other.lastIndexOf('/');
    String name = slash < 0 ? other : other.substring(0, slash);
    int at = name.indexOf('@');
    int selfAt = self.indexOf('@');
    if (at < 0 || selfAt < 0 || !name.substring(at).equals(self.substring(selfAt))) {
      return false; // another host (or a name not ours): its process is not to be seen from here
    }
    try {
      long pid = Long.parseLong(name.substring(0, at));
      return pid == ProcessHandle.current().pid() || ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Why an attempt was stopped when its scheduler lost the lease: queued again, for the lease's holder to run. */
  static final String LEASE_LOST = "interrupted: its scheduler lost its lease";

  /** One pass: lease, cron claims, feed claims, dispatch. */
  void tick() {
    long now = clock.millis();
    if (!lease.acquire(owner, now)) {
      String holder = lease.holder();
      LOG.error("scheduler {} lost its lease{}: stopping, and stopping its {} running attempts (the holder runs them"
          + " again)", owner, holder == null ? "" : " to " + holder, running.size());
      stopping = true;
      running.values().forEach(a -> a.attempt().stop(LEASE_LOST));
      return;
    }
    if (requeueAt != 0 && now >= requeueAt) {
      requeueAt = 0;
      int requeued = store.requeueAbandoned(owner, now);
      if (requeued > 0) {
        LOG.warn("{} runs other schedulers left running queued again", requeued);
      }
    }
    stopOverdue(now);
    Set<String> unfinished = store.unfinished();
    for (Schedule s : store.schedules()) {
      if (s.paused()) {
        continue;
      }
      try {
        if (!unfinished.contains(s.id())) {
          claimDue(s, now);
        }
        claimFeed(s, now);
      } catch (RuntimeException e) {
        LOG.warn("schedule {}: {}", s.id(), e.toString());
      }
    }
    dispatch(now);
  }

  /**
   * Claims the cron occurrences that have come due since the last one claimed as one run (Quartz's "fire once now"
   * misfire rule, Airflow's catchup=False): a scheduler down for ten days runs a daily schedule once, the run recording
   * that it stands for ten occurrences. Running each would repeat the same work back to back (a run reads the
   * tables as they are now, not as they were when it was due). Not called while a run of the schedule is queued,
   * running or retrying: the occurrences that fall meanwhile are claimed so once it is over (Airflow's
   * max_active_runs=1), where a run longer than its period left one more queued per occurrence, without end.
   */
  private void claimDue(Schedule s, long now) {
    if (s.cron() == null) {
      return;
    }
    Missed missed = missed(parse(s.cron()), s.lastDue() != null ? s.lastDue() : s.createdAt(), now);
    if (missed != null && store.claimCron(s.id(), missed.first(), missed.last(), missed.count(), now)) {
      LOG.info("schedule {}: run due at {} queued{}", s.id(), Instant.ofEpochMilli(missed.last()),
          missed.count() == 1 ? "" : " for " + missed.count() + " occurrences since "
              + Instant.ofEpochMilli(missed.first()));
    }
  }

  /** The occurrences due after one moment and by another: the first, the last and how many (up to COUNTED). */
  record Missed(long first, long last, int count) {}

  /** Null when none is due. */
  static Missed missed(CronExpression cron, long after, long now) {
    ZonedDateTime first = cron.next(Instant.ofEpochMilli(after).atZone(ZONE));
    if (first == null || millis(first) > now) {
      return null;
    }
    ZonedDateTime last = first;
    int count = 1;
    for (ZonedDateTime next = cron.next(last); next != null && millis(next) <= now; next = cron.next(last)) {
      if (count == COUNTED) {
        return new Missed(millis(first), latest(cron, last, now), count);
      }
      last = next;
      count++;
    }
    return new Missed(millis(first), millis(last), count);
  }

  /**
   * The latest occurrence by {@code now}, at or after {@code known} (one that is), found in windows back from now
   * that double, so a frequent cron missed for a long time is not stepped through occurrence by occurrence.
   */
  private static long latest(CronExpression cron, ZonedDateTime known, long now) {
    ZonedDateTime end = Instant.ofEpochMilli(now).atZone(ZONE);
    for (Duration window = Duration.ofSeconds(1); ; window = window.multipliedBy(2)) {
      ZonedDateTime start = end.minus(window);
      ZonedDateTime found = start.isAfter(known) ? cron.next(start) : known;
      if (found != null && millis(found) <= now) {
        for (ZonedDateTime next = cron.next(found); next != null && millis(next) <= now; next = cron.next(found)) {
          found = next;
        }
        return millis(found);
      }
    }
  }

  private static long millis(ZonedDateTime t) {
    return t.toInstant().toEpochMilli();
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

  /** An attempt under way: stopped at {@code deadline}; {@code warned} once it does not end when stopped. */
  private record Running(ScheduledRun run, RunLauncher.Attempt attempt, long deadline, Duration timeout,
      java.util.concurrent.atomic.AtomicBoolean warned) {}

  /** How long a stopped attempt may take to end before the log says it could not be stopped. */
  static final Duration STOP_GRACE = Duration.ofMinutes(1);

  /**
   * Stops the attempts that have outlived their schedule's timeout (a command that never ends: a stuck read, a lock
   * never released). Only this scheduler's own attempts, timed from when it started them: a run a dead scheduler
   * left running is queued again at start-up (requeueAbandoned) and its new attempt has the whole timeout. The run
   * is recorded as failed when its launcher returns; work that ignores being stopped keeps its slot and its
   * schedule (one run at a time) until it ends, which the log says.
   */
  private void stopOverdue(long now) {
    for (Running a : running.values()) {
      if (now < a.deadline()) {
        continue;
      }
      if (a.attempt().stop(timedOut(a.timeout()))) {
        LOG.warn("run {} of {} outlived its timeout of {}: stopping it", a.run().id(), a.run().scheduleId(),
            Schedule.text(a.timeout()));
      } else if (now >= a.deadline() + STOP_GRACE.toMillis() && a.attempt().stopped() != null
          && !a.warned().getAndSet(true)) {
        LOG.error("run {} of {} was stopped at its timeout but has not ended: it keeps its slot and its schedule "
            + "waits until it does", a.run().id(), a.run().scheduleId());
      }
    }
  }

  static String timedOut(Duration timeout) {
    return "timed out after " + Schedule.text(timeout);
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
          execute(r, now);
        } finally {
          active.decrementAndGet();
        }
      });
    }
  }

  private void execute(ScheduledRun r, long startedAt) {
    int attempt = r.attempts() + 1;
    Schedule s = store.schedule(r.scheduleId()).orElse(null);
    RunLauncher.Outcome outcome;
    RunLauncher.Attempt handle = new RunLauncher.Attempt(Thread.currentThread());
    if (s == null) {
      outcome = new RunLauncher.Outcome(2, "the schedule was removed");
    } else {
      running.put(r.id(), new Running(r, handle, startedAt + s.timeout().toMillis(), s.timeout(),
          new java.util.concurrent.atomic.AtomicBoolean()));
      try {
        outcome = launcher.launch(s, r, handle);
      } catch (RuntimeException | Error e) {
        LOG.error("run {} of {} failed", r.id(), r.scheduleId(), e);
        outcome = new RunLauncher.Outcome(1, e.getClass().getSimpleName());
      } finally {
        handle.end();
        running.remove(r.id());
        Thread.interrupted(); // a stop's interrupt is this attempt's, not the pool thread's next one
      }
    }
    if (LEASE_LOST.equals(handle.stopped()) && outcome.exitStatus() != 0) {
      // Queued again for the lease's holder, as a run a dead scheduler left is.
      store.finish(r.id(), owner, ScheduledRun.RETRYING, 1, LEASE_LOST, clock.millis(), clock.millis());
      return;
    }
    if (handle.stopped() != null && outcome.exitStatus() != 0) {
      // Not retried: what hung once (a stuck lock, a dead peer) most likely hangs again, and each retry would hold
      // the schedule for one more timeout; its next occurrence runs as usual.
      outcome = new RunLauncher.Outcome(RunLauncher.TIMED_OUT, handle.stopped());
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
