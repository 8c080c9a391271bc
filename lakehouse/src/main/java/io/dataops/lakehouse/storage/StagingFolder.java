package io.dataops.lakehouse.storage;

import io.dataops.core.files.OwnerOnly;
import io.dataops.core.files.StaleCopies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
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
 * the FileIO); one that exists but is a link, another user's, or open to others is refused, and the write with it
 * ({@link OwnerOnly#privateFolder}). Staging files older than {@link #STALE} are a killed process's and are removed (a
 * part is written and uploaded in minutes).
 */
final class StagingFolder {
  static final String PROPERTY = "s3.staging-dir";
  static final Duration STALE = Duration.ofDays(1);
  private static final Pattern STAGED = Pattern.compile("s3fileio-[0-9]+\\.tmp");
  private static final Set<String> CHECKED = ConcurrentHashMap.newKeySet();

  private StagingFolder() {}

  /** This user's staging folder in this process's temporary directory (not yet made). */
  static String defaultPath() {
    String user = System.getProperty("user.name", "").replaceAll("[^A-Za-z0-9._-]", "_");
    return Path.of(System.getProperty("java.io.tmpdir"), "dataops-s3-staging-" + (user.isEmpty() ? "user" : user))
        .toString();
  }

  /** Makes {@code folder} owner-only if it is missing, refuses it if it is not owner-only; once per process. */
  static void ensure(String folder) {
    if (folder == null || CHECKED.contains(folder)) {
      return;
    }
    Path dir = Path.of(folder);
    try {
      OwnerOnly.privateFolder(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("the S3 staging folder cannot be used, so nothing is written (uploads stage raw "
          + "rows there): " + e.getMessage(), e);
    }
    StaleCopies.sweep(dir, "s3fileio-*.tmp", STAGED, Instant.now().minus(STALE));
    CHECKED.add(folder);
  }
}
