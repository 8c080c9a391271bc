package io.dataops.core.db;

import io.dataops.core.files.OwnerOnly;
import io.dataops.core.files.StaleCopies;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;

/**
 * Gives the SQLite driver its native library from a per-user cache instead of a new copy in the temporary directory
 * at every start.
 *
 * <p>Why: sqlite-jdbc copies its 1 MB library to {@code java.io.tmpdir} under a random name in every process, reads
 * the copy back a byte at a time to compare it with the jar's (a tenth of the samples of a {@code dataops table
 * list}), and deletes it only at a normal exit, so every killed process left one behind (254 on a test machine in a
 * day). Here the library is extracted once, into {@code <cache>/native/sqlite-jdbc-<version>-<os>-<crc>/}, where
 * {@code <cache>} is {@code $XDG_CACHE_HOME/dataops} or {@code ~/.cache/dataops}; the copy is checked against the jar
 * entry's CRC-32 and size when written, and later used only while it has that size and it and its folders belong
 * to this user and no one else may write them. The driver is pointed at it with its {@code org.sqlite.lib.path} and
 * {@code org.sqlite.lib.name} properties (unless the operator set them). Copies the driver left in the temporary
 * directory more than {@link #STALE} ago are removed. Where any of this is not possible (no {@code /proc}, no
 * writable cache) nothing changes: the driver extracts its library as before.
 */
public final class SqliteLibrary {
  static final Duration STALE = Duration.ofHours(1);
  private static final String PATH_PROPERTY = "org.sqlite.lib.path";
  private static final String NAME_PROPERTY = "org.sqlite.lib.name";
  /** The driver's own extraction: {@code sqlite-<version>-<uuid>-libsqlitejdbc.so} and its lock file. */
  private static final Pattern EXTRACTED =
      Pattern.compile("sqlite-[0-9.]+-[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}-libsqlitejdbc\\.so(\\.lck)?");
  private static final Set<PosixFilePermission> OTHERS_WRITE =
      Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
  private static volatile boolean prepared;

  private SqliteLibrary() {}

  /** Before the first SQLite connection of this process: points the driver at the cached library. */
  static void prepare() {
    if (!prepared) {
      prepareOnce();
    }
  }

  private static synchronized void prepareOnce() {
    if (prepared) {
      return;
    }
    prepared = true;
    if (System.getProperty(PATH_PROPERTY) != null || System.getProperty(NAME_PROPERTY) != null) {
      return;
    }
    Path cache = cacheFolder(System.getenv(), System.getProperty("user.home"));
    Path library = cache == null ? null : cachedCopy(cache);
    if (library != null) {
      System.setProperty(PATH_PROPERTY, library.getParent().toString());
      System.setProperty(NAME_PROPERTY, library.getFileName().toString());
    }
    StaleCopies.sweep(Path.of(System.getProperty("java.io.tmpdir")), "sqlite-*", EXTRACTED,
        Instant.now().minus(STALE));
  }

  /** {@code $XDG_CACHE_HOME/dataops} (when absolute), else {@code <home>/.cache/dataops}; null without either. */
  static Path cacheFolder(Map<String, String> env, String userHome) {
    String xdg = env.get("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg, "dataops");
    }
    return userHome == null || userHome.isBlank() ? null : Path.of(userHome, ".cache", "dataops");
  }

  /** The library in {@code cache}, extracted now if it is missing or not to be trusted; null when that fails. */
  static Path cachedCopy(Path cache) {
    String name = System.mapLibraryName("sqlitejdbc");
    try {
      String os = nativeFolder();
      URL url = org.sqlite.JDBC.class.getResource("/org/sqlite/native/" + os + "/" + name);
      if (url == null) {
        return null;
      }
      URLConnection connection = url.openConnection();
      if (!(connection instanceof JarURLConnection jar)) {
        return null;
      }
      jar.setUseCaches(false);
      try (var jarFile = jar.getJarFile()) {
        JarEntry entry = jar.getJarEntry();
        if (entry.getCrc() < 0 || entry.getSize() < 0) {
          return null;
        }
        Path folder = cache.resolve("native").resolve("sqlite-jdbc-" + org.sqlite.SQLiteJDBCLoader.getVersion()
            + "-" + os.replace('/', '-') + "-" + Long.toHexString(entry.getCrc()));
        Path library = folder.resolve(name);
        if (usable(library, entry.getSize(), cache)) {
          return library;
        }
        OwnerOnly.directories(folder);
        Path part = Files.createTempFile(folder, name, ".part");
        try (InputStream in = new CheckedInputStream(jarFile.getInputStream(entry), new CRC32());
            OutputStream out = Files.newOutputStream(part)) {
          long copied = in.transferTo(out);
          long crc = ((CheckedInputStream) in).getChecksum().getValue();
          if (copied != entry.getSize() || crc != entry.getCrc()) {
            Files.deleteIfExists(part);
            return null;
          }
        }
        Files.setPosixFilePermissions(part, OwnerOnly.FOLDER); // rwx------: a library is mapped executable
        Files.move(part, library, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return usable(library, entry.getSize(), cache) ? library : null;
      }
    } catch (IOException | RuntimeException | LinkageError e) {
      return null;
    }
  }

  /**
   * The driver's folder of native libraries for this machine ({@code Linux/x86_64}), as its {@code OSInfo} names it.
   * On Linux outside Android the answer is worked out here: {@code OSInfo} asks whether it runs in Termux by starting
   * {@code uname -o}, a child process (about 35 ms) at every start. A machine without {@code /system} runs no Android,
   * Termux included; elsewhere {@code OSInfo} decides. Musl is told the same way as {@code OSInfo} tells it, from one
   * read of {@code /proc/self/maps} instead of a readlink per mapping in {@code /proc/self/map_files} (3 ms for a
   * small JVM's 93 mappings; a {@code dataops} process maps hundreds).
   */
  static String nativeFolder() {
    String osName = System.getProperty("os.name", "");
    boolean androidRuntime = System.getProperty("java.runtime.name", "").toLowerCase(Locale.ROOT)
        .contains("android");
    if (osName.contains("Linux") && !androidRuntime && !Files.exists(Path.of("/system"))) {
      return (isMusl() ? "Linux-Musl" : "Linux") + "/" + org.sqlite.util.OSInfo.getArchName();
    }
    return org.sqlite.util.OSInfo.getNativeLibFolderPathForCurrentOS();
  }

  /**
   * {@code OSInfo.isMusl()}'s answer: a file mapped into this process whose path names musl, else an Alpine
   * {@code /etc/os-release}. Where {@code /proc/self/maps} cannot be read, {@code OSInfo} answers itself.
   */
  static boolean isMusl() {
    String maps;
    try {
      maps = Files.readString(Path.of("/proc/self/maps"), java.nio.charset.StandardCharsets.ISO_8859_1);
    } catch (IOException | RuntimeException e) {
      return org.sqlite.util.OSInfo.isMusl();
    }
    return isMusl(maps, Path.of("/etc/os-release"));
  }

  /** The decision of {@link #isMusl()} from the text of a maps file and an os-release file (which may be missing). */
  static boolean isMusl(String maps, Path osRelease) {
    if (maps.toLowerCase(Locale.ROOT).contains("musl")) {
      return true;
    }
    try (var lines = Files.lines(osRelease)) {
      return lines.anyMatch(l -> l.startsWith("ID") && l.toLowerCase(Locale.ROOT).contains("alpine"));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Whether {@code library} may be loaded: a regular file of {@code size} bytes, and it and each folder up to
   * {@code cache} (inclusive) owned by this process's user and writable by no one else, so no one else can have put
   * another library there.
   */
  static boolean usable(Path library, long size, Path cache) throws IOException {
    if (!Files.isRegularFile(library, LinkOption.NOFOLLOW_LINKS) || Files.size(library) != size) {
      return false;
    }
    Object me = ownUid();
    if (me == null) {
      return false;
    }
    for (Path p = library; p != null; p = p.getParent()) {
      if (Files.isSymbolicLink(p) || !me.equals(Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS))
          || Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS).stream().anyMatch(OTHERS_WRITE::contains)) {
        return false;
      }
      if (p.equals(cache)) {
        return true;
      }
    }
    return false;
  }

  /** This process's user id: the owner of {@code /proc/self} (Linux); null elsewhere. */
  private static Object ownUid() {
    try {
      return Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
