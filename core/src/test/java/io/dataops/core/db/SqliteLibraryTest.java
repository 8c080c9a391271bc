package io.dataops.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.core.files.StaleCopies;
import io.dataops.core.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite driver loads its native library from the per-user cache, extracted once and checked, instead of a new
 * copy in the temporary directory per process; a copy that is not to be trusted is replaced or refused.
 */
class SqliteLibraryTest {
  @TempDir Path dir;

  @Test
  void theNativeFolderIsTheOneTheDriverWouldChooseAndHoldsItsLibrary() {
    String folder = SqliteLibrary.nativeFolder();
    assertThat(folder).isEqualTo(org.sqlite.util.OSInfo.getNativeLibFolderPathForCurrentOS());
    assertThat(org.sqlite.JDBC.class.getResource("/org/sqlite/native/" + folder + "/"
        + System.mapLibraryName("sqlitejdbc"))).isNotNull();
  }

  @Test
  void tellsMuslAsTheDriverDoes() throws Exception {
    assertThat(SqliteLibrary.isMusl()).isEqualTo(org.sqlite.util.OSInfo.isMusl());

    Path debian = Files.writeString(dir.resolve("debian"), "PRETTY_NAME=\"Debian GNU/Linux 12\"\nID=debian\n");
    Path alpine = Files.writeString(dir.resolve("alpine"), "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.0\n");
    String glibc = "7f0c1a000000-7f0c1a028000 r--p 00000000 08:01 1234 /usr/lib/x86_64-linux-gnu/libc.so.6\n";
    String musl = "7f0c1a000000-7f0c1a014000 r--p 00000000 08:01 99 /lib/ld-musl-x86_64.so.1\n";
    assertThat(SqliteLibrary.isMusl(glibc, debian)).isFalse();
    assertThat(SqliteLibrary.isMusl(glibc + musl, debian)).as("musl's loader mapped").isTrue();
    assertThat(SqliteLibrary.isMusl(glibc, alpine)).as("Alpine, whatever is mapped").isTrue();
    assertThat(SqliteLibrary.isMusl(glibc, dir.resolve("missing"))).isFalse();
  }

  @Test
  void theLibraryIsExtractedOnceOwnerOnlyAndReused() throws Exception {
    assumeLinux();
    Path cache = dir.resolve("cache");
    Path library = SqliteLibrary.cachedCopy(cache);
    assertThat(library).isNotNull().startsWith(cache.resolve("native"));
    assertThat(library.getParent().getFileName().toString()).startsWith("sqlite-jdbc-");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(library))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(library.getParent())))
        .isEqualTo("rwx------");
    FileTime written = FileTime.from(Instant.parse("2026-01-01T00:00:00Z"));
    Files.setLastModifiedTime(library, written);
    assertThat(SqliteLibrary.cachedCopy(cache)).isEqualTo(library);
    assertThat(Files.getLastModifiedTime(library)).as("reused, not written again").isEqualTo(written);
    try (var folder = Files.list(library.getParent())) {
      assertThat(folder).as("no part file left").containsExactly(library);
    }
  }

  @Test
  void aCopyCutShortOrASymbolicLinkIsReplaced() throws Exception {
    assumeLinux();
    Path cache = dir.resolve("cache");
    Path library = SqliteLibrary.cachedCopy(cache);
    long size = Files.size(library);
    Files.write(library, new byte[100]);
    assertThat(SqliteLibrary.cachedCopy(cache)).isEqualTo(library);
    assertThat(Files.size(library)).isEqualTo(size);

    Path elsewhere = Files.copy(library, dir.resolve("planted.so"));
    Files.delete(library);
    Files.createSymbolicLink(library, elsewhere);
    assertThat(SqliteLibrary.cachedCopy(cache)).isEqualTo(library);
    assertThat(Files.isSymbolicLink(library)).isFalse();
    assertThat(Files.size(library)).isEqualTo(size);
  }

  @Test
  void aFolderOthersMayWriteIsNotTrusted() throws Exception {
    assumeLinux();
    Path cache = dir.resolve("cache");
    Path library = SqliteLibrary.cachedCopy(cache);
    Files.setPosixFilePermissions(cache.resolve("native"), PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThat(SqliteLibrary.usable(library, Files.size(library), cache)).isFalse();
    assertThat(SqliteLibrary.cachedCopy(cache)).as("the driver extracts its own copy instead").isNull();
    Files.setPosixFilePermissions(cache.resolve("native"), PosixFilePermissions.fromString("rwx------"));
    Files.setPosixFilePermissions(library, PosixFilePermissions.fromString("rwxrw----"));
    assertThat(SqliteLibrary.usable(library, Files.size(library), cache)).isFalse();
    assertThat(SqliteLibrary.cachedCopy(cache)).as("a file others may write is replaced").isEqualTo(library);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(library))).isEqualTo("rwx------");
  }

  @Test
  void theCacheFolderFollowsXdgElseTheHome() {
    assertThat(SqliteLibrary.cacheFolder(Map.of("XDG_CACHE_HOME", "/var/cache/op"), "/home/op"))
        .isEqualTo(Path.of("/var/cache/op/dataops"));
    assertThat(SqliteLibrary.cacheFolder(Map.of("XDG_CACHE_HOME", "relative"), "/home/op"))
        .isEqualTo(Path.of("/home/op/.cache/dataops"));
    assertThat(SqliteLibrary.cacheFolder(Map.of(), "/home/op")).isEqualTo(Path.of("/home/op/.cache/dataops"));
    assertThat(SqliteLibrary.cacheFolder(Map.of(), null)).isNull();
  }

  @Test
  void aProcessLoadsTheCachedLibraryAndLeavesNoCopyInItsTemporaryFolder() throws Exception {
    assumeLinux();
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Path cache = dir.resolve("xdg");
    ProcessBuilder child = new ProcessBuilder(ChildJvm.command(Child.class, List.of("-Djava.io.tmpdir=" + tmp),
        List.of(dir.resolve("db.sqlite").toString())))
        .redirectErrorStream(true).redirectOutput(dir.resolve("child.out").toFile());
    child.environment().put("XDG_CACHE_HOME", cache.toString());
    Process p = child.start();
    p.getOutputStream().close();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(dir.resolve("child.out"));
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("select 42");
    List<String> mapped = out.lines().filter(l -> l.startsWith("mapped ")).toList();
    assertThat(mapped).isNotEmpty()
        .allSatisfy(l -> assertThat(l).startsWith("mapped " + cache.resolve("dataops/native/sqlite-jdbc-")));
    try (var left = Files.list(tmp)) {
      assertThat(left.map(f -> f.getFileName().toString())).noneMatch(n -> n.contains("sqlitejdbc"));
    }
  }

  /** Opens a SQLite database the platform's way, then prints the library it mapped. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      try (Connection c = DriverManager.getConnection(PlatformDatabase.url("jdbc:sqlite:" + args[0]));
          ResultSet r = c.createStatement().executeQuery("select 42")) {
        r.next();
        System.out.println("select " + r.getInt(1));
      }
      for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
        if (line.contains("sqlitejdbc")) {
          System.out.println("mapped " + line.substring(line.indexOf('/')));
        }
      }
    }
  }

  @Test
  void copiesKilledProcessesLeftAreSweptAfterAnHour() throws Exception {
    Pattern name = Pattern.compile("sqlite-[0-9.]+-[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}-libsqlitejdbc\\.so(\\.lck)?");
    String uuid = "00e890c8-8e64-4059-ad0f-9d0d8870c8f1";
    Path old = Files.write(dir.resolve("sqlite-3.53.0.0-" + uuid + "-libsqlitejdbc.so"), new byte[10]);
    Path oldLock = Files.write(dir.resolve("sqlite-3.53.0.0-" + uuid + "-libsqlitejdbc.so.lck"), new byte[0]);
    Path fresh = Files.write(dir.resolve("sqlite-3.53.0.0-11e890c8-8e64-4059-ad0f-9d0d8870c8f1-libsqlitejdbc.so"),
        new byte[10]);
    Path lookAlike = Files.write(dir.resolve("sqlite-3.53.0.0-notauuid-libsqlitejdbc.so"), new byte[10]);
    Path link = Files.createSymbolicLink(dir.resolve("sqlite-3.53.0.0-22e890c8-8e64-4059-ad0f-9d0d8870c8f1-"
        + "libsqlitejdbc.so"), old);
    FileTime twoHoursAgo = FileTime.from(Instant.now().minusSeconds(7200));
    for (Path p : List.of(old, oldLock, lookAlike)) {
      Files.setLastModifiedTime(p, twoHoursAgo);
    }
    int removed = StaleCopies.sweep(dir, "sqlite-*", name, Instant.now().minus(SqliteLibrary.STALE));
    assertThat(removed).isEqualTo(2);
    assertThat(old).doesNotExist();
    assertThat(oldLock).doesNotExist();
    assertThat(fresh).exists();
    assertThat(lookAlike).exists();
    assertThat(Files.isSymbolicLink(link)).isTrue();
  }

  private static void assumeLinux() {
    Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs /proc (Linux)");
  }
}
