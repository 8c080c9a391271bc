package io.dataops.platform.serve;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK server's executor. The JDK reads a request's line and headers on the executor's thread, blocking, so each
 * connection that has begun a request holds a thread until it is whole or dropped ({@code maxReqTime}): with a few
 * threads, a few clients sending a byte a second would stall everyone. So there are many small-stack threads, made
 * as needed; the commands themselves run on one thread of their own ({@link CommandRunner}). Past {@link #THREADS}
 * exchanges under way a new connection is closed by the JDK; refused and dropped connections are logged.
 */
final class ExchangePool implements Executor {
  private static final Logger LOG = LoggerFactory.getLogger(ExchangePool.class);
  /** Exchanges under way at once (a request being read, its command waiting or running, its answer written). */
  static final int THREADS = 256;
  /** Of those, requests from one address that are whole (counted once read: the JDK tells no address before). */
  static final int PER_ADDRESS = 16;
  /** Reading headers and writing JSON needs little; the commands run with a full stack on their own thread. */
  private static final long STACK_BYTES = 256 * 1024;
  private static final ThreadLocal<Boolean> REACHED = ThreadLocal.withInitial(() -> false);

  private final ThreadPoolExecutor pool;
  private final long dropAfterNanos;
  private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
  private final Tally refused = new Tally(LOG, "refused {} connection(s) since the last line: all " + THREADS
      + " exchange threads busy (slow or waiting clients)");
  private final Tally dropped;
  private final Tally crowded = new Tally(LOG, "answered 429 to {} request(s) since the last line: their address had "
      + PER_ADDRESS + " requests under way");

  /** @param maxRequestSeconds the JDK's {@code maxReqTime}: an exchange that lasts longer unread was dropped */
  ExchangePool(long maxRequestSeconds) {
    AtomicInteger n = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(0, THREADS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
      Thread t = new Thread(null, r, "dataops-serve-" + n.incrementAndGet(), STACK_BYTES);
      t.setDaemon(true);
      return t;
    });
    // The JDK counts from the connection's accept, this from its first bytes: a second's slack (at most half).
    long limit = TimeUnit.SECONDS.toNanos(maxRequestSeconds);
    this.dropAfterNanos = maxRequestSeconds > 0 ? Math.max(limit - TimeUnit.SECONDS.toNanos(1), limit / 2)
        : Long.MAX_VALUE;
    this.dropped = new Tally(LOG, "dropped {} connection(s) since the last line: no whole request within "
        + maxRequestSeconds + " s");
  }

  @Override
  public void execute(Runnable exchange) {
    try {
      pool.execute(() -> run(exchange));
    } catch (RejectedExecutionException e) {
      if (!pool.isShutdown()) {
        refused.add();
      }
      throw e; // the JDK closes the connection
    }
  }

  private void run(Runnable exchange) {
    long start = System.nanoTime();
    REACHED.set(false);
    try {
      exchange.run();
    } finally {
      if (!REACHED.get() && System.nanoTime() - start >= dropAfterNanos) {
        dropped.add();
      }
    }
  }

  /**
   * The request of this thread's exchange is whole and comes from {@code from}: false (it is to be refused) when that
   * address already has {@link #PER_ADDRESS} under way; else {@link #leave} follows.
   */
  boolean enter(InetAddress from) {
    REACHED.set(true);
    boolean[] admitted = {true};
    perAddress.compute(from, (a, k) -> {
      int under = k == null ? 0 : k;
      if (under >= PER_ADDRESS) {
        admitted[0] = false;
        return k;
      }
      return under + 1;
    });
    if (!admitted[0]) {
      crowded.add();
    }
    return admitted[0];
  }

  void leave(InetAddress from) {
    perAddress.computeIfPresent(from, (a, k) -> k == 1 ? null : k - 1);
  }

  void close() {
    pool.shutdownNow();
    refused.flush();
    dropped.flush();
    crowded.flush();
  }

  /** A warning logged at once, then at most once every 10 s with the count since (a flood writes few lines). */
  /** Counts something that may happen a lot, logging the count at most once every 10 s. */
  static final class Tally {
    private static final long EVERY = TimeUnit.SECONDS.toNanos(10);
    private final Logger log;
    private final String line;
    private long count;
    private long lastLogged;
    private boolean logged;

    Tally(Logger log, String line) {
      this.log = log;
      this.line = line;
    }

    synchronized void add() {
      count++;
      long now = System.nanoTime();
      if (!logged || now - lastLogged >= EVERY) {
        flush();
        lastLogged = now;
        logged = true;
      }
    }

    synchronized void flush() {
      if (count > 0) {
        log.warn(line, count);
        count = 0;
      }
    }
  }
}
