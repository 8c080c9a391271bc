package io.dataops.jobs.flink;

import io.dataops.core.files.ProcessScratch;
import io.dataops.core.files.StaleCopies;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Where this process's local Flink keeps its temporary files: the process's owner-only scratch folder
 * ({@link ProcessScratch}) holds the RPC system's unpacked jar and every local mini-cluster's I/O, shuffle and cache
 * folders.
 *
 * <p>Why: Flink puts these straight into the temporary directory, readable by every local user, although a batch job's
 * shuffle files hold the raw rows its tasks exchange (ID numbers included). It removes the mini-cluster's folders only
 * at a clean shutdown, and the RPC jar (21 MB) never, since the RPC system a process's jobs share is never closed: every
 * command that ran a Flink job left its jar, and every killed one (kill -9, a schedule's time-out) its raw rows too, for
 * good. The table planner's loader unpacks its jar (44 MB) into the temporary directory itself (not configurable) and
 * deletes it at a normal exit only; copies of it older than {@link #STALE} are removed here (a process that uses its
 * copy has it open already, so removing the name costs it nothing).
 */
final class LocalTemp {
  static final Duration STALE = Duration.ofHours(1);
  private static final Pattern PLANNER =
      Pattern.compile("flink-table-planner_[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}\\.jar");
  private static boolean swept;

  private LocalTemp() {}

  /** The folder for Flink's temporary files; the first call also removes the planner's stale copies. */
  static synchronized Path folder() {
    Path folder = ProcessScratch.folder();
    if (!swept) {
      swept = true;
      sweepPlannerCopies(Path.of(System.getProperty("java.io.tmpdir")), Instant.now().minus(STALE));
    }
    return folder;
  }

  /** Removes the planner's copies in {@code base} modified before {@code staleBefore}; returns how many. */
  static int sweepPlannerCopies(Path base, Instant staleBefore) {
    return StaleCopies.sweep(base, "flink-table-planner_*.jar", PLANNER, staleBefore);
  }
}
