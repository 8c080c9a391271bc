package io.dataops.core.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * This process's private scratch folder in the temporary directory, {@code <java.io.tmpdir>/dataops-process-<pid>-<n>}
 * (owner-only), for what a command must spill outside the home (a read-only home, a validation's sample, an Excel
 * feed's local copy, local Flink's shuffle files): the raw rows in it go when the process exits, and when it was killed,
 * with the first scratch use of a later process.
 *
 * <p>Why: each of these used to make its own folder or file straight in the temporary directory and remove it in a
 * {@code finally}; a process killed meanwhile (kill -9, an out-of-memory exit, a schedule's time-out) left raw rows
 * there for good, out of reach of a destruction.
 */
public final class ProcessScratch {
  public static final String PREFIX = "dataops-process-";
  private static final Pattern FOLDER = Pattern.compile(Pattern.quote(PREFIX) + "([0-9]{1,19})-[0-9]+");
  private static Path folder;

  private ProcessScratch() {}

  /** This process's folder, made (and what gone processes left removed) on first use. */
  public static synchronized Path folder() {
    if (folder == null || !Files.isDirectory(folder)) {
      Path base = Path.of(System.getProperty("java.io.tmpdir"));
      try {
        Files.createDirectories(base);
        // created atomically under a name no one could have prepared, rwx------ where POSIX permissions exist
        Path made = Files.createTempDirectory(base, PREFIX + ProcessHandle.current().pid() + "-");
        sweep(base, Files.getOwner(made));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(made), "scratch folder removal"));
        folder = made;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot make this process's scratch folder in " + base, e);
      }
    }
    return folder;
  }

  /** A new folder in this process's folder (owner-only, like it). */
  public static Path newFolder(String prefix) throws IOException {
    return Files.createTempDirectory(folder(), prefix);
  }

  /** A new empty file in this process's folder (owner-only). */
  public static Path newFile(String prefix, String suffix) throws IOException {
    return Files.createTempFile(folder(), prefix, suffix);
  }

  /**
   * Removes from {@code base} the folders of this kind whose process is gone and that belong to {@code owner};
   * returns how many. Symbolic links, other names and the folders of live processes stay.
   */
  public static int sweep(Path base, UserPrincipal owner) {
    int removed = 0;
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

  /**
   * True when {@code pid} (the digits of a scratch folder's name) names no live process on this host: its folder can
   * go. A name that is no pid is not ours to judge: false.
   */
  public static boolean gone(String pid) {
    try {
      return ProcessHandle.of(Long.parseLong(pid)).map(p -> !p.isAlive()).orElse(true);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Removes the folder and what is in it, without following links; what cannot be removed stays. */
  public static void deleteTree(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(StaleCopies::deleteQuietly);
    } catch (IOException | UncheckedIOException e) {
      // removed meanwhile, or unreadable: left as it is
    }
  }
}
