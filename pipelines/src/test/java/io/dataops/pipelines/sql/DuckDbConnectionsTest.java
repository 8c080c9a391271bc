package io.dataops.pipelines.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckDbConnectionsTest {
  @TempDir Path dir;

  @Test
  void onceDuckDbIsLoadedItsExtractedLibraryIsGoneFromTheTemporaryDirectoryAndQueriesStillRun() throws Exception {
    Path maps = Path.of("/proc/self/maps");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(maps), "needs Linux's /proc");
    try (Connection duck = DuckDbConnections.open(); Statement s = duck.createStatement();
         ResultSet r = s.executeQuery("SELECT sum(i) FROM range(1000) t(i)")) {
      assertThat(r.next()).isTrue();
      assertThat(r.getLong(1)).isEqualTo(499_500L);
    }
    // The library is still mapped (the process uses it), but its file in the temporary directory is removed.
    assertThat(Files.readString(maps)).contains("libduckdb_java");
    assertThat(DuckDbConnections.loadedCopies(maps)).isEmpty();
    // A second connection after the removal works: the library is loaded once per process.
    try (Connection again = DuckDbConnections.open(); Statement s = again.createStatement();
         ResultSet r = s.executeQuery("SELECT 42")) {
      assertThat(r.next()).isTrue();
      assertThat(r.getInt(1)).isEqualTo(42);
    }
  }

  @Test
  void copiesLeftByKilledProcessesAreSweptButFreshOnesAndOtherFilesAreKept() throws Exception {
    Instant now = Instant.parse("2026-12-01T12:00:00Z");
    Path stale = Files.write(dir.resolve("libduckdb_java1234567890.so"), new byte[] {1});
    Path fresh = Files.write(dir.resolve("libduckdb_java987654321.so"), new byte[] {2});
    Path other = Files.write(dir.resolve("libduckdb_java_notes.so"), new byte[] {3});
    Path unrelated = Files.write(dir.resolve("libother1234.so"), new byte[] {4});
    Path link = Files.createSymbolicLink(dir.resolve("libduckdb_java55.so"), unrelated);
    for (Path p : List.of(stale, other, unrelated)) {
      Files.setLastModifiedTime(p, FileTime.from(now.minus(DuckDbConnections.STALE).minusSeconds(60)));
    }
    Files.setLastModifiedTime(fresh, FileTime.from(now.minusSeconds(5)));

    assertThat(DuckDbConnections.sweep(dir, now.minus(DuckDbConnections.STALE))).isEqualTo(1);
    assertThat(stale).doesNotExist();
    assertThat(fresh).exists();
    assertThat(other).exists();
    assertThat(unrelated).exists();
    assertThat(Files.isSymbolicLink(link)).isTrue();
  }

  @Test
  void mapsLinesAreReadForExtractedCopiesOnly() throws Exception {
    Path maps = Files.writeString(dir.resolve("maps"), String.join("\n",
        "7f00-7f10 r-xp 00000000 fd:01 123 /tmp/libduckdb_java4242.so",
        "7f10-7f20 r--p 00100000 fd:01 123 /tmp/libduckdb_java4242.so",
        "7f20-7f30 r-xp 00000000 fd:01 124 /tmp/libduckdb_java77.so (deleted)",
        "7f30-7f40 r-xp 00000000 fd:01 125 /usr/lib/libc.so.6",
        "7f40-7f50 rw-p 00000000 00:00 0 ",
        "7f50-7f60 r-xp 00000000 fd:01 126 /home/x/a dir/libduckdb_java9.so",
        "7f60-7f70 r-xp 00000000 fd:01 127 /home/x/my libduckdb_java9.so"));
    assertThat(DuckDbConnections.loadedCopies(maps))
        .containsExactly(Path.of("/tmp/libduckdb_java4242.so"), Path.of("/home/x/a dir/libduckdb_java9.so"));
  }
}
