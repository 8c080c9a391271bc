package io.dataops.platform.build;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A build step (platform/pom.xml, before the class-data training run): moves DuckDB's Linux JNI libraries out of the
 * runtime copy of its driver jar into files beside it. The driver copies a library it finds inside its jar into
 * {@code java.io.tmpdir} in every process that opens DuckDB: 58 MB inflated, about 0.45 s of CPU per command, and a
 * copy left in /tmp by every process killed before its exit. Without the entry in the jar, the driver loads
 * {@code libduckdb_java.so_<os>_<arch>} from its jar's folder in place. The library files are the jar's entries byte
 * for byte; the other entries are copied unchanged (their compressed bytes as they were). Other systems' libraries stay
 * in the jar, so the driver behaves there as it always did. Run again, it leaves a rewritten jar alone.
 */
public final class NativeLibraryFiles {
  /** The driver's own names for its Linux libraries, one per architecture. */
  static final String PREFIX = "libduckdb_java.so_linux_";

  private NativeLibraryFiles() {}

  /** {@code args[0]}: the folder of runtime jars (platform/target/lib). */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: NativeLibraryFiles LIB_DIR");
    }
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of(args[0]), "duckdb_jdbc-*.jar")) {
      for (Path jar : jars) {
        List<String> moved = moveOut(jar);
        if (!moved.isEmpty()) {
          System.out.println("native libraries moved beside " + jar.getFileName() + ": " + String.join(", ", moved));
        }
      }
    }
  }

  /**
   * Writes each Linux library of {@code jar} to a file beside it, then removes the entries from the jar; returns the
   * names moved (none when the jar holds none). A file is complete before its entry goes: an interrupted build leaves
   * the library at least in the jar, and the next build finishes the move.
   */
  public static List<String> moveOut(Path jar) throws IOException {
    List<String> names = new ArrayList<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (ZipEntry e : java.util.Collections.list(zip.entries())) {
        if (isLinuxLibrary(e.getName())) {
          Path file = jar.resolveSibling(e.getName());
          Path part = jar.resolveSibling(e.getName() + ".part");
          try (InputStream in = zip.getInputStream(e)) {
            Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
          }
          Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          names.add(e.getName());
        }
      }
    }
    if (names.isEmpty()) {
      return names;
    }
    // Java's zip file system rewrites the jar on close, copying the entries left as they are stored.
    try (FileSystem fs = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of())) {
      for (String name : names) {
        Files.delete(fs.getPath(name));
      }
    }
    return names;
  }

  /** A Linux JNI library of the driver, at the jar's top level (where the driver looks for it). */
  static boolean isLinuxLibrary(String entry) {
    return entry.startsWith(PREFIX) && entry.indexOf('/') < 0 && entry.length() > PREFIX.length();
  }
}
