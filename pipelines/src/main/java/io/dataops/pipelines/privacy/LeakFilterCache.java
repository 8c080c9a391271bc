package io.dataops.pipelines.privacy;

import io.dataops.core.digest.Digests;
import io.dataops.core.files.OwnerOnly;
import io.dataops.lakehouse.catalog.Lakehouse;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.slf4j.LoggerFactory;

/**
 * Leak filters of input snapshots, kept between runs: the raw values of a snapshot never change, so a re-run, or
 * another pipeline reading the same personal columns of the same snapshot, takes the filter from here instead of
 * reading every raw value again. One file per {@link Key}, in {@code <table>/<snapshot>-<key digest>.bin} under the
 * cache folder. A file holds what the filter holds (bits of hashes and a count, never a value) and is as protected as
 * raw data all the same (owner-only: the bits answer "was this value among the raw values?"). It ends with the SHA-256
 * of everything before it, so a torn or altered file is refused (and removed), never used. Entries of snapshots that
 * expired or tables that were dropped are removed by {@link #prune}.
 */
public final class LeakFilterCache {
  private static final long MAGIC = 0xD0_1F_17_7E_CA_C4_E0_01L;
  private static final String SHA256 = "SHA-256";

  private final Path dir;

  public LeakFilterCache(Path dir) {
    this.dir = dir;
  }

  /** The cache of a home's pipeline runs: beside the runs' folders in the executors' work folder. */
  public static LeakFilterCache in(Path workRoot) {
    return new LeakFilterCache(workRoot.resolve("leak-filters"));
  }

  /**
   * What a cached filter was built from: the input snapshot (and the snapshot an incremental read starts after), the
   * data files read, the personal columns with their types, the filter's sizing, and a digest of the code that turns
   * raw values into bits (a build that hashes or reads values otherwise must not use an older build's filter).
   *
   * @param columns column name → type, as the reader reads them
   */
  public record Key(String table, long snapshotId, Long fromExclusive, List<String> dataFiles,
      Map<String, String> columns, long expectedRaw, long maxFilterBytes, String code) {
    public Key {
      dataFiles = List.copyOf(dataFiles);
      columns = java.util.Collections.unmodifiableMap(new TreeMap<>(columns));
    }

    /** The key's digest: names the file and is checked against the one written in it. */
    String digest() {
      StringBuilder b = new StringBuilder("leak-filter-cache/1\n").append(table).append('\n').append(snapshotId)
          .append('\n').append(fromExclusive).append('\n').append(expectedRaw).append('\n').append(maxFilterBytes)
          .append('\n').append(code).append('\n');
      columns.forEach((c, t) -> b.append(c).append('\t').append(t).append('\n'));
      dataFiles.forEach(f -> b.append(f).append('\n'));
      return Digests.sha256(b.toString());
    }
  }

  /**
   * The digest of the classes that turn raw values into a filter's bits ({@link LeakFilter} and its hashing, plus the
   * engine's {@code readers} of raw values), for {@link Key#code}.
   */
  public static String codeDigest(Class<?>... readers) {
    MessageDigest md = sha256();
    List<Class<?>> classes = new ArrayList<>(List.of(LeakFilter.class, ValueKey.class, Hash128.class,
        io.dataops.lakehouse.types.ValueType.class));
    classes.addAll(Arrays.asList(readers));
    for (Class<?> c : classes) {
      try (InputStream in = c.getResourceAsStream(c.getName().substring(c.getName().lastIndexOf('.') + 1)
          + ".class")) {
        if (in == null) {
          throw new IllegalStateException("no class file of " + c.getName());
        }
        md.update(in.readAllBytes());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return Digests.toHex(md.digest());
  }

  /** The cached filter of {@code key}; empty when there is none or it fails its digest (then it is removed). */
  public Optional<LeakFilter> load(Key key) {
    Path file = file(key);
    String digest = key.digest();
    MessageDigest md = sha256();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        DigestInputStream in = new DigestInputStream(raw, md)) {
      DataInputStream data = new DataInputStream(in);
      if (data.readLong() != MAGIC || !digest.equals(data.readUTF())) {
        throw new IOException("not the filter of this key");
      }
      LeakFilter filter = LeakFilter.readFrom(data);
      in.on(false);
      byte[] expected = md.digest();
      byte[] stored = data.readNBytes(expected.length);
      if (!MessageDigest.isEqual(expected, stored) || data.read() != -1) {
        throw new IOException("digest mismatch");
      }
      return Optional.of(filter);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      // Torn by a crash, altered, or of another format: built again (and saved again) by the caller.
      LoggerFactory.getLogger(LeakFilterCache.class).warn("cached leak filter {} refused ({}): building it again",
          dir.relativize(file), e.getMessage());
      deleteQuietly(file);
      return Optional.empty();
    }
  }

  /** Saves the filter of {@code key} (owner-only, written aside and moved in, so a reader never sees half of it). */
  public void save(Key key, LeakFilter filter) throws IOException {
    Path file = file(key);
    OwnerOnly.directories(file.getParent());
    // A name of its own: two runs (processes, or threads of one server) may save the same key at once.
    Path tmp = file.resolveSibling(file.getFileName() + "." + java.util.UUID.randomUUID() + ".tmp");
    try {
      MessageDigest md = sha256();
      try (OutputStream out = OwnerOnly.newOutputStream(tmp)) {
        DigestOutputStream digesting = new DigestOutputStream(new java.io.BufferedOutputStream(out, 1 << 16), md);
        DataOutputStream data = new DataOutputStream(digesting);
        data.writeLong(MAGIC);
        data.writeUTF(key.digest());
        filter.writeTo(data);
        data.flush();
        digesting.on(false);
        digesting.write(md.digest());
        digesting.flush();
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      deleteQuietly(tmp);
    }
  }

  /**
   * Removes the entries of {@code tables} (all cached tables when null) whose snapshot the table no longer has, or
   * whose table is gone; returns how many files were removed. Run after snapshots expire or tables are dropped.
   */
  public int prune(Lakehouse lakehouse, java.util.Collection<String> tables) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int removed = 0;
    try (DirectoryStream<Path> folders = Files.newDirectoryStream(dir, Files::isDirectory)) {
      for (Path folder : folders) {
        String name = folder.getFileName().toString();
        if (tables != null && !tables.contains(name)) {
          continue;
        }
        TableIdentifier id = TableIdentifier.parse(name);
        Table table = lakehouse.exists(id) ? lakehouse.load(id) : null;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
          for (Path f : files) {
            if (table == null || table.snapshot(snapshotOf(f)) == null) {
              deleteQuietly(f);
              removed++;
            }
          }
        }
        if (table == null) {
          deleteQuietly(folder);
        }
      }
    }
    return removed;
  }

  private Path file(Key key) {
    if (!key.table().matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("not a table name: " + key.table());
    }
    return dir.resolve(key.table()).resolve(key.snapshotId() + "-" + key.digest().substring(0, 32) + ".bin");
  }

  /** The snapshot id a cache file names (-1 for a file that is not an entry: pruned as well). */
  private static long snapshotOf(Path file) {
    String name = file.getFileName().toString();
    int dash = name.indexOf('-', 1);
    try {
      return dash < 0 ? -1 : Long.parseLong(name.substring(0, dash));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance(SHA256);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteQuietly(Path f) {
    try {
      Files.deleteIfExists(f);
    } catch (IOException ignored) {
      // a leftover is refused by its digest or pruned later
    }
  }
}
