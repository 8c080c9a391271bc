package io.dataops.pipelines.sql;

import io.dataops.core.files.StaleCopies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Opens in-memory DuckDB connections, and keeps DuckDB's native library from piling up in the temporary directory.
 *
 * <p>Why: the driver copies its 58 MB library to {@code java.io.tmpdir} ({@code libduckdb_java<random>.so}) on
 * first use and deletes it only at a normal exit. Every process killed (kill -9, an out-of-memory exit, a CI
 * time-out) left one behind, and a machine running the kill tests filled its {@code /tmp}. On Linux a loaded library
 * stays mapped after its file is removed, so once DuckDB is loaded the file this process extracted (named in
 * {@code /proc/self/maps}) is removed at once, and copies older than {@link #STALE} left by killed processes are
 * swept. Elsewhere nothing changes: the driver's own delete at exit remains.
 */
public final class DuckDbConnections {
  /** Older than this, an extracted copy is no one's library about to be loaded (extraction and load take < 1 s). */
  static final Duration STALE = Duration.ofHours(1);
  private static final Pattern EXTRACTED = Pattern.compile("libduckdb_java\\d*\\.so");
  private static volatile boolean tidied;

  private DuckDbConnections() {}

  /** A new in-memory DuckDB database with {@code props} (the driver's settings, e.g. streamed results). */
  public static Connection open(Properties props) throws SQLException {
    Connection duck = DriverManager.getConnection("jdbc:duckdb:", props);
    if (!tidied) {
      tidy();
    }
    return duck;
  }

  /** As {@link #open(Properties)} with the driver's defaults. */
  public static Connection open() throws SQLException {
    return open(new Properties());
  }

  private static synchronized void tidy() {
    if (tidied) {
      return;
    }
    tidied = true;
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    for (Path loaded : loadedCopies(Path.of("/proc/self/maps"))) {
      if (sameDirectory(loaded.getParent(), tmp)) {
        StaleCopies.deleteQuietly(loaded);
      }
    }
    sweep(tmp, Instant.now().minus(STALE));
  }

  /** The extracted DuckDB libraries this process has mapped (none where there is no {@code /proc}). */
  static List<Path> loadedCopies(Path maps) {
    List<Path> out = new ArrayList<>();
    if (!Files.isReadable(maps)) {
      return out;
    }
    try (Stream<String> lines = Files.lines(maps)) {
      lines.forEach(line -> {
        // address perms offset device inode pathname; a removed file's path ends with " (deleted)"
        String[] fields = line.trim().split("\\s+", 6);
        if (fields.length == 6 && fields[5].startsWith("/") && !fields[5].endsWith(" (deleted)")) {
          Path p = Path.of(fields[5]);
          if (EXTRACTED.matcher(p.getFileName().toString()).matches() && !out.contains(p)) {
            out.add(p);
          }
        }
      });
    } catch (IOException | RuntimeException e) {
      // not knowing what is mapped only means the copy stays until exit, as the driver does it
    }
    return out;
  }

  /** Removes extracted copies in {@code dir} last modified before {@code before}; returns how many. */
  static int sweep(Path dir, Instant before) {
    return StaleCopies.sweep(dir, "libduckdb_java*.so", EXTRACTED, before);
  }

  private static boolean sameDirectory(Path a, Path b) {
    try {
      return a != null && Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }
}
