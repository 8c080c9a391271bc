package io.dataops.jobs.flink;

import io.dataops.core.files.StaleCopies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The private temporary folder of this process's local Flink, {@code <java.io.tmpdir>/dataops-flink-<pid>-<random>}
 * (owner-only): the RPC system's unpacked jar and every local mini-cluster's I/O, shuffle and cache folders.
 *
 * <p>Why: Flink puts these straight into the temporary directory, readable by every local user, although a batch job's
 * shuffle files hold the raw rows its tasks exchange (ID numbers included). It removes the mini-cluster's folders only
 * at a clean shutdown, and the RPC jar (21 MB) never, since the RPC system a process's jobs share is never closed: every
 * command that ran a Flink job left its jar, and every killed one (kill -9, a schedule's time-out) its raw rows too, for
 * good. Now the process removes its folder when it exits, and the first Flink use of a later process removes the
 * folders of processes that are gone. The table planner's loader unpacks its jar (44 MB) into the temporary directory
 * itself (not configurable) and deletes it at a normal exit only; copies of it older than {@link #STALE} are removed
 * too (a process that uses its copy has it open already, so removing the name costs it nothing).
 */
final class LocalTemp {
  static final String PREFIX = "dataops-flink-";
  static final Duration STALE = Duration.ofHours(1);
  private static final Pattern FOLDER = Pattern.compile(Pattern.quote(PREFIX) + "([0-9]{1,19})-[0-9]+");
  private static final Pattern PLANNER =
      Pattern.compile("flink-table-planner_[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}\\.jar");
  private static Path folder;

  private LocalTemp() {}

  /** This process's folder, made (and what gone processes left removed) on first use. */
  static synchronized Path folder() {
    if (folder == null) {
      Path base = Path.of(System.getProperty("java.io.tmpdir"));
      try {
        Files.createDirectories(base);
        // created atomically under a name no one could have prepared, rwx------ where POSIX permissions exist
        Path made = Files.createTempDirectory(base, PREFIX + ProcessHandle.current().pid() + "-");
        sweep(base, Files.getOwner(made), Instant.now().minus(STALE));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(made), "flink temporary folder removal"));
        folder = made;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot make Flink's temporary folder in " + base, e);
      }
    }
    return folder;
  }

  /**
   * Removes from {@code base} the folders of this kind whose process is gone and that belong to {@code owner}, and the
   * planner's copies modified before {@code staleBefore}; returns how many entries it removed. Symbolic links, other
   * names and the folders of live processes stay.
   */
  static int sweep(Path base, UserPrincipal owner, Instant staleBefore) {
    int removed = StaleCopies.sweep(base, "flink-table-planner_*.jar", PLANNER, staleBefore);
    try (DirectoryStream<Path> folders = Files.newDirectoryStream(base, PREFIX + "*")) {
      for (Path f : folders) {
        Matcher m = FOLDER.matcher(f.getFileName().toString());
        if (m.matches() && Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)
            && owner.equals(Files.getOwner(f, LinkOption.NOFOLLOW_LINKS)) && gone(m.group(1))) {
          deleteTree(f);
          removed++;
        }
      }
    } catch (IOException | RuntimeException e) {
      // the directory unreadable: nothing of ours to clean
    }
    return removed;
  }

  private static boolean gone(String pid) {
    try {
      return ProcessHandle.of(Long.parseLong(pid)).map(p -> !p.isAlive()).orElse(true);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Removes the folder and what is in it, without following links; what cannot be removed stays. */
  static void deleteTree(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(StaleCopies::deleteQuietly);
    } catch (IOException | UncheckedIOException e) {
      // removed meanwhile, or unreadable: left as it is
    }
  }
}
