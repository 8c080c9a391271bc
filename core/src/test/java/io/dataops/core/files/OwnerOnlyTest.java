package io.dataops.core.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyTest {
  @TempDir Path dir;

  @Test
  void whatItCreatesOnlyTheOwnerCanReadAndWhatExistsKeepsItsPermissions() throws Exception {
    Path folder = OwnerOnly.directories(dir.resolve("a/b/c"));
    for (Path p : new Path[] {dir.resolve("a"), dir.resolve("a/b"), folder}) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).as(p.toString()).isEqualTo("rwx------");
    }
    Path text = OwnerOnly.writeString(folder.resolve("t.txt"), "数据");
    Path copied = OwnerOnly.copy(text, folder.resolve("copy.txt"));
    Path streamed = OwnerOnly.copy(new ByteArrayInputStream(new byte[] {1, 2}), folder.resolve("s.bin"));
    Path empty = OwnerOnly.createFile(folder.resolve("empty"));
    try (OutputStream out = OwnerOnly.newOutputStream(folder.resolve("o.bin"))) {
      out.write(7);
    }
    for (Path p : new Path[] {text, copied, streamed, empty, folder.resolve("o.bin")}) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).as(p.toString()).isEqualTo("rw-------");
    }
    assertThat(Files.readString(copied, StandardCharsets.UTF_8)).isEqualTo("数据");
    assertThat(Files.readAllBytes(streamed)).containsExactly(1, 2);

    Path shared = Files.writeString(dir.resolve("shared.txt"), "old");
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-r--r--"));
    OwnerOnly.writeString(shared, "new");
    assertThat(Files.readString(shared)).isEqualTo("new");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared))).isEqualTo("rw-r--r--");
    OwnerOnly.restrict(shared);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared))).isEqualTo("rw-------");
  }
}
