package io.dataops.lakehouse.storage;

import io.dataops.core.files.OwnerOnly;
import io.dataops.core.digest.DigestAlgorithm;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;

/**
 * Local copies of object-storage files for readers that take only a local path (DuckDB: its httpfs extension cannot
 * be installed here). A copy is named by a digest of the object's location and its size, and used only while its size
 * equals the object's (Iceberg never rewrites a data file in place: a new content is a new name). Copies are written
 * beside, then renamed, so a concurrent reader never sees half a file. The folder is owner-only (the files hold raw
 * data) and bounded: before a copy is made, the least recently used copies are removed until it fits, sparing those
 * used within the last minute (a reader may be about to open them; one that has opened a file keeps reading it).
 *
 * <p>Each copy has its object's location beside it ({@code <copy>.location}), and a cache drops the copies of objects
 * gone from the store (a destroyed version's files, maintenance's removals) at its first use in a process, at most
 * every ten minutes: a destruction removes the copies in its own process's cache only, and another user's or host's
 * cache (the default folder is per user) kept a destroyed version's rows until evicted (found by a probe).
 */
public final class ReadThroughCache {
  /** Catalog properties (so FileIO's {@code properties()} carry them to every reader of a table). */
  public static final String DIR = "dataops.cache.dir";
  public static final String MAX_BYTES = "dataops.cache.max-bytes";
  public static final long DEFAULT_MAX_BYTES = 2L << 30;
  private static final long SPARE_MILLIS = 60_000;
  private static final long SWEEP_MILLIS = 10 * 60_000;
  private static final String LOCATION = ".location";
  private static final String SWEPT = ".swept";
  private static final Map<Path, ReadThroughCache> OPEN = new ConcurrentHashMap<>();

  private final Path dir;
  private final long maxBytes;
  private volatile boolean checked;
  private volatile boolean swept;

  private final boolean shared;

  private ReadThroughCache(Path dir, long maxBytes, boolean shared) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.shared = shared;
  }

  /** The cache the properties name (one per folder in a JVM): {@link #DIR}, else a folder of the system's temp. */
  public static ReadThroughCache of(Map<String, String> properties) {
    String configured = properties.get(DIR);
    Path dir = configured != null ? Path.of(configured) : Path.of(System.getProperty("java.io.tmpdir"),
        "dataops-cache-" + System.getProperty("user.name", "user"));
    long max = Long.parseLong(properties.getOrDefault(MAX_BYTES, String.valueOf(DEFAULT_MAX_BYTES)));
    return OPEN.computeIfAbsent(dir.toAbsolutePath().normalize(), d -> new ReadThroughCache(d, max, configured == null));
  }

  public Path dir() {
    return dir;
  }

  /**
   * Makes the folder owner-only. The default one, {@code /tmp/dataops-cache-<user>}, has a name another local user
   * could make first, and then replace or remove the copies DuckDB reads: one that is not this user's owner-only folder
   * is refused. A configured {@code cache.dir} is the operator's choice (the copies in it are owner-only files).
   */
  private void checkFolder() throws IOException {
    if (checked) {
      return;
    }
    if (!shared) {
      OwnerOnly.directories(dir);
    } else {
      try {
        OwnerOnly.privateFolder(dir);
      } catch (IOException e) {
        throw new IOException("the read-through cache cannot be used (its copies are raw data): " + e.getMessage()
            + ", or set cache.dir", e);
      }
    }
    checked = true;
  }

  /** A local copy of the object, made now if there is none of its size. */
  public Path local(FileIO io, String location) {
    InputFile in = io.newInputFile(location);
    long size = in.getLength();
    Path copy = dir.resolve(name(location, size));
    try {
      checkFolder();
      if (!swept) {
        swept = true; // once per process: each command is one
        sweep(io);
      }
      if (Files.isRegularFile(copy) && Files.size(copy) == size) {
        Files.setLastModifiedTime(copy, FileTime.fromMillis(System.currentTimeMillis()));
        remember(copy, location); // a copy made before copies had their location beside them
        return copy;
      }
      makeRoom(size);
      Path part = dir.resolve(copy.getFileName() + "." + UUID.randomUUID() + ".part");
      try (InputStream stream = in.newStream()) {
        OwnerOnly.copy(stream, part);
      }
      if (Files.size(part) != size) {
        Files.deleteIfExists(part);
        throw new IllegalStateException("the copy of " + location + " has " + Files.size(part) + " bytes, the object "
            + size + ": it changed while read");
      }
      remember(copy, location);
      Files.move(part, copy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + location + " into the local cache " + dir, e);
    }
  }

  /** Writes the copy's object location beside it (before the copy takes its name), for {@link #sweep}. */
  private void remember(Path copy, String location) {
    Path where = dir.resolve(copy.getFileName() + LOCATION);
    if (!Files.isRegularFile(where)) {
      io.dataops.core.files.OutFiles.replace(where, location.getBytes(StandardCharsets.UTF_8),
          "the location of a cached copy");
    }
  }

  /**
   * Removes the local copies of these locations from the cache {@code io}'s properties name (a destroyed version's
   * files leave no copy behind); nothing for local locations, which are never copied.
   */
  public static int forget(FileIO io, List<String> locations) {
    List<String> objects = locations.stream().filter(ObjectStore::isObjectLocation).toList();
    return objects.isEmpty() ? 0 : of(io.properties()).forget(objects);
  }

  /** How many of these locations still have a local copy (the destruction post-check asks for none). */
  public static long copiesLeft(FileIO io, List<String> locations) {
    List<String> objects = locations.stream().filter(ObjectStore::isObjectLocation).toList();
    if (objects.isEmpty()) {
      return 0;
    }
    ReadThroughCache cache = of(io.properties());
    return cache.copies().stream().filter(c -> objects.stream()
        .anyMatch(l -> c.path().getFileName().toString().startsWith(digest(l) + "-"))).count();
  }

  /** Removes the copies of these locations (a destroyed version's files must leave no copy behind). */
  public int forget(List<String> locations) {
    int removed = 0;
    for (String location : locations) {
      String prefix = digest(location) + "-";
      try (DirectoryStream<Path> all = Files.newDirectoryStream(dir, prefix + "*")) {
        for (Path p : all) {
          boolean copy = !p.getFileName().toString().endsWith(LOCATION);
          removed += Files.deleteIfExists(p) && copy ? 1 : 0;
        }
      } catch (NoSuchFileException none) {
        return removed;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return removed;
  }

  /**
   * Drops the copies whose object is gone from the store, at most every ten minutes per folder (a look per copy: a
   * HEAD request in a bucket); the first copy a process asks for sweeps. A store that cannot be asked now leaves them
   * for the next sweep. Gives how many copies it removed.
   */
  public int sweep(FileIO io) throws IOException {
    Path marker = dir.resolve(SWEPT);
    if (Files.isRegularFile(marker)
        && System.currentTimeMillis() - Files.getLastModifiedTime(marker).toMillis() < SWEEP_MILLIS) {
      return 0;
    }
    OwnerOnly.write(marker, new byte[0]);
    int removed = 0;
    try (DirectoryStream<Path> all = Files.newDirectoryStream(dir, "*" + LOCATION)) {
      for (Path where : all) {
        String location;
        try {
          location = Files.readString(where, StandardCharsets.UTF_8);
        } catch (NoSuchFileException gone) {
          continue;
        }
        boolean exists;
        try {
          exists = io.newInputFile(location).exists();
        } catch (RuntimeException cannotAsk) {
          return removed; // the next sweep asks again
        }
        if (!exists) {
          removed += forget(List.of(location));
        }
      }
    }
    return removed;
  }

  /** The bytes the copies hold now. */
  public long bytes() {
    return copies().stream().mapToLong(Copy::size).sum();
  }

  private synchronized void makeRoom(long incoming) throws IOException {
    List<Copy> copies = copies();
    long total = copies.stream().mapToLong(Copy::size).sum();
    long spareAfter = System.currentTimeMillis() - SPARE_MILLIS;
    copies.sort(Comparator.comparingLong(Copy::lastUsed));
    for (Copy c : copies) {
      if (total + incoming <= maxBytes) {
        break;
      }
      if (c.lastUsed() < spareAfter) { // also a '.part' left by a process that died while copying
        if (Files.deleteIfExists(c.path())) {
          total -= c.size();
          Files.deleteIfExists(dir.resolve(c.path().getFileName() + LOCATION));
        }
      }
    }
  }

  private record Copy(Path path, long size, long lastUsed) {}

  private List<Copy> copies() {
    List<Copy> out = new ArrayList<>();
    try (DirectoryStream<Path> all = Files.newDirectoryStream(dir)) {
      for (Path p : all) {
        String name = p.getFileName().toString();
        if (name.equals(SWEPT) || name.endsWith(LOCATION)) {
          continue;
        }
        try {
          out.add(new Copy(p, Files.size(p), Files.getLastModifiedTime(p).toMillis()));
        } catch (NoSuchFileException gone) {
          // removed by another process meanwhile
        }
      }
    } catch (NoSuchFileException none) {
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static String name(String location, long size) {
    int dot = location.lastIndexOf('.');
    String ext = dot > location.lastIndexOf('/') ? location.substring(dot) : "";
    return digest(location) + "-" + size + ext;
  }

  private static String digest(String location) {
    return HexFormat.of().formatHex(DigestAlgorithm.SHA256.newDigest()
        .digest(location.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
  }
}
