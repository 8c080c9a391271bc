package io.dataops.core.files;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Removes the copies of native libraries that JDBC drivers extract to the temporary directory and delete only at a
 * normal exit: a process killed (kill -9, an out-of-memory exit, a CI time-out) leaves its copy behind for good.
 */
public final class StaleCopies {
  private StaleCopies() {}

  /**
   * Removes the regular files of {@code dir} matching {@code glob} whose whole name matches {@code name}, last
   * modified before {@code before} (symbolic links and look-alikes stay); returns how many. Another user's copies in
   * a shared directory cannot be removed and are left alone.
   */
  public static int sweep(Path dir, String glob, Pattern name, Instant before) {
    int removed = 0;
    try (DirectoryStream<Path> copies = Files.newDirectoryStream(dir, glob)) {
      for (Path p : copies) {
        if (name.matcher(p.getFileName().toString()).matches()
            && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
            && Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(before)
            && deleteQuietly(p)) {
          removed++;
        }
      }
    } catch (IOException | RuntimeException e) {
      // the directory gone or unreadable: nothing of ours to clean
    }
    return removed;
  }

  /** Deletes {@code p} if it is there; false when it was not, or could not be removed. */
  public static boolean deleteQuietly(Path p) {
    try {
      return Files.deleteIfExists(p);
    } catch (IOException e) {
      return false;
    }
  }
}
