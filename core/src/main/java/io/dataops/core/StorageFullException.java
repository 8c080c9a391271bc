package io.dataops.core;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A write failed because its device is full (or a disk quota is reached): neither bad input nor a defect of the
 * platform. The message is one line naming the device and what was being written; the command line prints it as it
 * is (exit status 1) and logs the details.
 */
public class StorageFullException extends RuntimeException {
  /** Below this much usable space, an I/O error of SQLite on the device is taken for a full device. */
  private static final long NEARLY_FULL = 1L << 20;

  public StorageFullException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * True when {@code failure} or one of its causes is the operating system's "no space left" or quota error, or
   * SQLite's "database or disk is full" (SQLite says so itself instead of passing the operating system's error on).
   */
  public static boolean isCause(Throwable failure) {
    return anyCause(failure, c -> {
      String m = c.getMessage();
      return m != null && (c instanceof IOException && (m.contains("No space left on device")
          || m.contains("Disk quota exceeded")) || m.contains("[SQLITE_FULL]"));
    });
  }

  /**
   * What a command that failed for want of space says, when the place that failed did not say it itself: the
   * failure is recognized as {@link #isCause}, or as an I/O error of SQLite while {@code home}'s device has (almost)
   * no space left — on a full device SQLite cannot even map the shared memory of its write-ahead log to read, and
   * reports a plain I/O error. The command's steps are safe to run again (each is all or nothing, or resumes), which
   * is what the message asks.
   */
  public static Optional<StorageFullException> recognize(Throwable failure, Path home, String command) {
    if (failure instanceof StorageFullException full) {
      return Optional.of(full);
    }
    long free = usableSpace(home.toString());
    boolean full = isCause(failure) || free >= 0 && free < NEARLY_FULL
        && anyCause(failure, c -> c.getMessage() != null && c.getMessage().contains("[SQLITE_IOERR"));
    return full ? Optional.of(of(failure, "running " + command, "free some space, then run the same command again",
        java.util.List.of(home.toString()))) : Optional.empty();
  }

  /**
   * "no space left on the device while {@code doing} (DEVICE, N MB free now; ...): {@code advice}", naming the
   * device of each of {@code locations} (paths or file URIs; others as they are) once, with its free space now.
   */
  public static StorageFullException of(Throwable failure, String doing, String advice,
      java.util.List<String> locations) {
    java.util.Map<String, String> places = new java.util.LinkedHashMap<>();
    for (String location : locations) {
      places.computeIfAbsent(deviceOf(location), device -> {
        long free = usableSpace(location);
        return device + (free < 0 ? "" : ", " + (free < NEARLY_FULL ? free / 1024 + " KB" : free / NEARLY_FULL
            + " MB") + " free now");
      });
    }
    return new StorageFullException("no space left on the device while " + doing + " ("
        + String.join("; ", places.values()) + "): " + advice, failure);
  }

  /** The device a location is on, as "MOUNT POINT (DEVICE)" for a local path; else the location itself. */
  public static String deviceOf(String location) {
    try {
      Path path = localPath(location);
      return path == null ? location : Files.getFileStore(path).toString();
    } catch (IOException | RuntimeException e) {
      return location;
    }
  }

  /** The usable bytes of the device a location is on (the nearest existing folder's), or -1 if not known. */
  private static long usableSpace(String location) {
    try {
      Path p = localPath(location);
      FileStore store = p == null ? null : Files.getFileStore(p);
      return store == null ? -1 : store.getUsableSpace();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The nearest existing local path of a location (a path or a file URI), or null for other locations. */
  private static Path localPath(String location) {
    Path path;
    try {
      URI uri = URI.create(location);
      path = uri.getScheme() == null ? Path.of(location) : "file".equals(uri.getScheme()) ? Path.of(uri) : null;
    } catch (RuntimeException e) {
      path = Path.of(location); // not a URI (a path with spaces, say): a path as it is
    }
    path = path == null ? null : path.toAbsolutePath();
    while (path != null && !Files.exists(path)) {
      path = path.getParent();
    }
    return path;
  }

  /** Whether {@code test} holds for the failure, one of its causes, or one of their suppressed failures. */
  private static boolean anyCause(Throwable failure, java.util.function.Predicate<Throwable> test) {
    java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    java.util.ArrayDeque<Throwable> todo = new java.util.ArrayDeque<>();
    todo.add(failure);
    while (!todo.isEmpty()) {
      Throwable t = todo.poll();
      if (t == null || !seen.add(t)) {
        continue;
      }
      if (test.test(t)) {
        return true;
      }
      if (t.getCause() != null) {
        todo.add(t.getCause());
      }
      todo.addAll(java.util.Arrays.asList(t.getSuppressed()));
    }
    return false;
  }
}
