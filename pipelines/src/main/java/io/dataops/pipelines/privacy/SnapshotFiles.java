package io.dataops.pipelines.privacy;

import io.dataops.core.digest.Digests;
import io.dataops.core.files.CheckedFiles;
import io.dataops.core.files.OwnerOnly;
import io.dataops.lakehouse.catalog.Lakehouse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.slf4j.LoggerFactory;

/**
 * The files of a cache of what was computed from input snapshots (the raw values of a snapshot never change): one file
 * per key digest, {@code <table>/<snapshot>-<digest>.bin} under the cache folder, owner-only, written aside and moved
 * in (a reader never sees half of one). A file starts with the cache's magic number and the key's digest and ends with
 * the SHA-256 of everything before it, so a torn, altered or foreign file is refused (and removed), never used.
 * Entries of snapshots that expired or tables that were dropped are removed by {@link #prune}, and so are the files a
 * process killed while saving left aside.
 */
final class SnapshotFiles {
  /** Writes an entry's content. */
  interface Content extends CheckedFiles.Content {
  }

  /** Reads an entry's content back; throws on anything it does not expect. */
  interface Reader<T> extends CheckedFiles.Reader<T> {
  }

  private final Path dir;
  private final long magic;
  private final String what;

  /** @param what what an entry is, for the warning when one is refused */
  SnapshotFiles(Path dir, long magic, String what) {
    this.dir = dir;
    this.magic = magic;
    this.what = what;
  }

  /** The entry of {@code digest}; empty when there is none or it fails its checks (then it is removed). */
  <T> Optional<T> load(String table, long snapshotId, String digest, Reader<T> reader) {
    Path file = file(table, snapshotId, digest);
    try {
      return Optional.of(CheckedFiles.read(file, magic, in -> {
        if (!digest.equals(in.readUTF())) {
          throw new IOException("not the entry of this key");
        }
        return reader.readFrom(in);
      }));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      // Torn by a crash, altered, or of another format: computed again (and saved again) by the caller.
      LoggerFactory.getLogger(SnapshotFiles.class).warn("cached {} {} refused ({}): computing it again", what,
          dir.relativize(file), e.getMessage());
      deleteQuietly(file);
      return Optional.empty();
    }
  }

  /** Saves the entry of {@code digest}. */
  void save(String table, long snapshotId, String digest, Content content) throws IOException {
    Path file = file(table, snapshotId, digest);
    OwnerOnly.directories(file.getParent());
    // Written aside under a name of its own (two runs, processes or threads of one server, may save the same key at
    // once) that names the writing process, so that what a killed one left can be removed (prune).
    CheckedFiles.write(file, magic, out -> {
      out.writeUTF(digest);
      content.writeTo(out);
    });
  }

  /**
   * Removes the entries of {@code tables} (all cached tables when null) whose snapshot the table no longer has, or
   * whose table is gone, and what a killed save left aside ({@link CheckedFiles#abandonedAside}); returns how many files were removed.
   */
  int prune(Lakehouse lakehouse, Collection<String> tables) throws IOException {
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
            if (table == null || table.snapshot(snapshotOf(f)) == null || CheckedFiles.abandonedAside(f)) {
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

  /** The SHA-256 of the class files of {@code classes}: a key part that changes with the code that computes. */
  static String classDigest(List<Class<?>> classes) {
    MessageDigest md = io.dataops.core.digest.DigestAlgorithm.SHA256.newDigest();
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

  private Path file(String table, long snapshotId, String digest) {
    if (!table.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("not a table name: " + table);
    }
    return dir.resolve(table).resolve(snapshotId + "-" + digest.substring(0, 32) + ".bin");
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

  private static void deleteQuietly(Path f) {
    try {
      Files.deleteIfExists(f);
    } catch (IOException ignored) {
      // a leftover is refused by its digest or pruned later
    }
  }
}
