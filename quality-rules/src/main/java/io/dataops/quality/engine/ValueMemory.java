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
   * A run's pool: three eighths of the heap's maximum. The rest serves batches, readers and the sorts that finish the
   * states; three eighths keep the bench's two uniqueness rules in memory at 10M rows under -Xmx512m.
   */
  public static ValueMemory forRun() {
    return new ValueMemory(Runtime.getRuntime().maxMemory() / 8 * 3);
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
