package io.dataops.platform.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build step that moves DuckDB's Linux libraries beside its jar, run on the real driver jar. */
class NativeLibraryFilesTest {
  @TempDir Path dir;

  @Test
  void theLibrariesLeaveTheJarByteForByteAndTheDriverLoadsThemInPlaceWithoutACopyInTmp() throws Exception {
    Path original = Path.of(org.duckdb.DuckDBDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path lib = Files.createDirectories(dir.resolve("lib"));
    Path jar = lib.resolve(original.getFileName());
    Files.copy(original, jar);
    Map<String, byte[]> before = contents(original);
    List<String> linux = before.keySet().stream().filter(NativeLibraryFiles::isLinuxLibrary).toList();
    assertThat(linux).as("the driver ships Linux libraries in its jar").contains(
        "libduckdb_java.so_linux_amd64", "libduckdb_java.so_linux_arm64");

    assertThat(NativeLibraryFiles.moveOut(jar)).containsExactlyInAnyOrderElementsOf(linux);

    Map<String, byte[]> after = contents(jar);
    for (String name : linux) {
      assertThat(Files.readAllBytes(lib.resolve(name))).as(name).isEqualTo(before.remove(name));
    }
    assertThat(after.keySet()).containsExactlyInAnyOrderElementsOf(before.keySet());
    before.forEach((name, bytes) -> assertThat(after.get(name)).as(name).isEqualTo(bytes));
    assertThat(after.keySet()).as("other systems keep their libraries in the jar").anyMatch(
        n -> n.startsWith("libduckdb_java.so_osx"));
    try (Stream<Path> files = Files.list(lib)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
    }

    long size = Files.size(jar);
    assertThat(NativeLibraryFiles.moveOut(jar)).as("a second build finds nothing to move").isEmpty();
    assertThat(Files.size(jar)).isEqualTo(size);

    if (System.getProperty("os.name").toLowerCase().contains("linux")) {
      // A real process on the rewritten jar: DuckDB answers, its library is mapped from the jar's folder, and nothing
      // was copied into the process's temporary directory.
      Path tmp = Files.createDirectories(dir.resolve("tmp"));
      Path probe = dir.resolve("Probe.java");
      Files.writeString(probe, String.join("\n",
          "public class Probe {",
          "  public static void main(String[] a) throws Exception {",
          "    try (var c = java.sql.DriverManager.getConnection(\"jdbc:duckdb:\");",
          "        var r = c.createStatement().executeQuery(\"SELECT 6 * 7\")) {",
          "      r.next();",
          "      System.out.println(\"answer \" + r.getInt(1));",
          "    }",
          "    for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(\"/proc/self/maps\"))) {",
          "      if (line.contains(\"libduckdb_java\")) {",
          "        System.out.println(\"mapped \" + line.substring(line.indexOf('/')));",
          "        break;",
          "      }",
          "    }",
          "  }",
          "}"));
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Djava.io.tmpdir=" + tmp, "-cp", jar.toString(), probe.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
      assertThat(out).contains("answer 42");
      String arch = System.getProperty("os.arch").contains("aarch64") ? "arm64" : "amd64";
      assertThat(out).contains("mapped " + lib.toRealPath().resolve("libduckdb_java.so_linux_" + arch));
      try (Stream<Path> files = Files.list(tmp)) {
        assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("libduckdb_java"));
      }
    }
  }

  @Test
  void onlyTopLevelLinuxLibrariesMove() {
    assertThat(NativeLibraryFiles.isLinuxLibrary("libduckdb_java.so_linux_amd64")).isTrue();
    assertThat(NativeLibraryFiles.isLinuxLibrary("libduckdb_java.so_linux_arm64")).isTrue();
    assertThat(NativeLibraryFiles.isLinuxLibrary("libduckdb_java.so_osx_universal")).isFalse();
    assertThat(NativeLibraryFiles.isLinuxLibrary("libduckdb_java.so_windows_amd64")).isFalse();
    assertThat(NativeLibraryFiles.isLinuxLibrary("libduckdb_java.so_linux_")).isFalse();
    assertThat(NativeLibraryFiles.isLinuxLibrary("org/duckdb/libduckdb_java.so_linux_amd64")).isFalse();
  }

  /** Every entry of {@code jar}, by name, as it reads uncompressed. */
  static Map<String, byte[]> contents(Path jar) throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (ZipEntry e : new ArrayList<>(java.util.Collections.list(zip.entries()))) {
        try (InputStream in = zip.getInputStream(e)) {
          entries.put(e.getName(), in.readAllBytes());
        }
      }
    }
    return entries;
  }
}
