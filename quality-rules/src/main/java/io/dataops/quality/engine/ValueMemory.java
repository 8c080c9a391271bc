package io.dataops.quality.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory that every value-keeping state of one run (a uniqueness rule's records and hashes, a reference check's
 * values) may hold together, in every thread. Each state also has a budget of its own, but a hundred rules with a
 * few MB each outgrow any heap: a state asks here before it grows and spills when refused. A state always keeps
 * room for one record (the pool may be overdrawn by that much), so a run never stalls for memory.
 */
public final class ValueMemory {
  private final long total;
  private final AtomicLong free;

  public ValueMemory(long bytes) {
    this.total = Math.max(0, bytes);
    this.free = new AtomicLong(total);
  }

  /**
   * A run's pool: half the heap's maximum, leaving at least 96 MB for the rest of the run (classes, readers, batches,
   * failure writers, the sorts that finish the states): 40 rules in a 128 MB heap needed between 57 and 71 MB besides
   * the pool. Half keeps the bench's two uniqueness rules in memory at 10M rows under -Xmx512m (160 MB of hashes and
   * 20 MB of records in two threads: one run, 9.4 s); three eighths spilled both rules' hashes there (two runs, 9.4
   * and 11.4 s: within the spread of runs on this machine, so the spill's cost is not measured).
   */
  public static ValueMemory forRun() {
    long heap = Runtime.getRuntime().maxMemory();
    return new ValueMemory(Math.max(16L << 20, Math.min(heap / 2, heap - (96L << 20))));
  }

  /** For a collection on its own (tests): it keeps to its own budget only. */
  static ValueMemory unbounded() {
    return new ValueMemory(Long.MAX_VALUE);
  }

  /** Takes {@code bytes} when that many are free. */
  boolean reserve(long bytes) {
    if (bytes <= 0) {
      return true;
    }
    long now;
    do {
      now = free.get();
      if (now < bytes) {
        return false;
      }
    } while (!free.compareAndSet(now, now - bytes));
    return true;
  }

  /** Takes {@code bytes} whether or not they are free (the room for one record). */
  void overdraw(long bytes) {
    free.addAndGet(-bytes);
  }

  void release(long bytes) {
    free.addAndGet(bytes);
  }

  /** Bytes held by states now (more than the total when overdrawn). */
  public long held() {
    return total - free.get();
  }

  public long total() {
    return total;
  }
}
