package io.dataops.scheduler.embedded;

/**
 * Who runs the schedules: one scheduler at a time. {@link #acquire} is called every tick: it takes the lease when it
 * is free or its holder is dead, and keeps it while held.
 */
public interface SchedulerLease {
  boolean acquire(String owner, long now);

  /** Who holds it (for messages), or null. */
  String holder();

  void release(String owner);

  /** The lease as a row of the platform database, renewed each tick, taken over once not renewed for {@code lease}. */
  static SchedulerLease inDatabase(ScheduleStore store, java.time.Duration lease) {
    return new SchedulerLease() {
      @Override
      public boolean acquire(String owner, long now) {
        return store.acquire(owner, now, lease.toMillis());
      }

      @Override
      public String holder() {
        return store.leaseHolder();
      }

      @Override
      public void release(String owner) {
        store.release(owner);
      }
    };
  }
}
