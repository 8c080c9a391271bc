package io.dataops.jobs.flink.run;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * States the tasks of one TaskManager (or of the in-process mini-cluster) only read — the verdict's classes, the
 * merged leak filter — loaded once per JVM while tasks use them, so that two slots do not hold two copies.
 */
final class SharedStates {
  private record Held(Object state, int users) {}

  private static final Map<String, Held> HELD = new HashMap<>();

  private SharedStates() {}

  @SuppressWarnings("unchecked")
  static synchronized <T> T acquire(String location, Supplier<T> load) {
    Held h = HELD.get(location);
    if (h == null) {
      h = new Held(load.get(), 0);
    }
    HELD.put(location, new Held(h.state(), h.users() + 1));
    return (T) h.state();
  }

  static synchronized void release(String location) {
    Held h = HELD.get(location);
    if (h == null) {
      return;
    }
    if (h.users() <= 1) {
      HELD.remove(location);
    } else {
      HELD.put(location, new Held(h.state(), h.users() - 1));
    }
  }
}
