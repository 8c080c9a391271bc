package io.dataops.lakehouse.storage;

import io.dataops.core.files.OwnerOnly;
import io.dataops.core.files.StaleCopies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Where Iceberg's S3FileIO stages what it uploads: {@code <java.io.tmpdir>/dataops-s3-staging-<user>}, a folder only its
 * owner can enter.
 *
 * <p>Why: S3FileIO writes every data file it uploads (up to a part, 32 MB, at a time) to a local staging file first,
 * by default straight into the temporary directory and readable by every local user (Java's {@code File.createTempFile}
 * leaves the permissions to the umask): on the production profile every landed feed's raw rows passed through
 * {@code /tmp/s3fileio-*.tmp}, and a process killed mid-upload left its file there for good. The folder is made
 * owner-only where it is first needed, on whichever host writes (a Flink task manager too: the setting travels with
 * the FileIO); one that exists but is a link, another user's, or open to others is refused, and the write with it.
 * Staging files older than {@link #STALE} are a killed process's and are removed (a part is written and uploaded in
 * minutes).
 */
final class StagingFolder {
  static final String PROPERTY = "s3.staging-dir";
  static final Duration STALE = Duration.ofDays(1);
  private static final Pattern STAGED = Pattern.compile("s3fileio-[0-9]+\\.tmp");
  private static final Set<PosixFilePermission> OTHERS = Set.of(PosixFilePermission.GROUP_READ,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
  private static final Set<String> CHECKED = ConcurrentHashMap.newKeySet();

  private StagingFolder() {}

  /** This user's staging folder in this process's temporary directory (not yet made). */
  static String defaultPath() {
    String user = System.getProperty("user.name", "");
    String safe = user.replaceAll("[^A-Za-z0-9._-]", "_");
    return Path.of(System.getProperty("java.io.tmpdir"), "dataops-s3-staging-" + (safe.isEmpty() ? "user" : safe))
        .toString();
  }

  /** Makes {@code folder} owner-only if it is missing, refuses it if it is not owner-only; once per process. */
  static void ensure(String folder) {
    if (folder == null || CHECKED.contains(folder)) {
      return;
    }
    Path dir = Path.of(folder);
    String problem = null;
    try {
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OwnerOnly.FOLDER));
      } catch (FileAlreadyExistsException exists) {
        problem = problemOf(dir);
      } catch (UnsupportedOperationException noPosix) {
        Files.createDirectories(dir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make the S3 staging folder " + dir, e);
    }
    if (problem != null) {
      String refused = "the S3 staging folder " + dir + " " + problem + ": uploads stage raw rows there, so nothing is "
          + "written; remove it (it is made again, owner-only)";
      throw new UncheckedIOException(refused, new IOException(refused));
    }
    StaleCopies.sweep(dir, "s3fileio-*.tmp", STAGED, Instant.now().minus(STALE));
    CHECKED.add(folder);
  }

  /** Why an existing {@code dir} cannot be the staging folder; null when it can. */
  private static String problemOf(Path dir) throws IOException {
    PosixFileAttributes a;
    try {
      a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (UnsupportedOperationException noPosix) {
      return null;
    }
    Path self = Path.of("/proc/self"); // owned by the process's user
    String me = Files.exists(self) ? Files.getOwner(self).getName() : System.getProperty("user.name");
    return !a.isDirectory() ? "is not a folder (a link or a file)"
        : !a.owner().getName().equals(me) ? "belongs to " + a.owner().getName() + ", not " + me
        : a.permissions().stream().anyMatch(OTHERS::contains) ? "is open to other users ("
            + PosixFilePermissions.toString(a.permissions()) + ")" : null;
  }
}
