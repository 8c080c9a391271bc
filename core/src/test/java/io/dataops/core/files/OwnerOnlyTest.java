package io.dataops.core.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
  void aPrivateFolderIsMadeOwnerOnlyAndOneOthersCouldUseIsRefused() throws Exception {
    Path made = OwnerOnly.privateFolder(dir.resolve("made"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made))).isEqualTo("rwx------");
    assertThat(OwnerOnly.privateFolder(made)).as("an owner-only folder of this user is used again").isEqualTo(made);

    Path open = Files.createDirectory(dir.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path readable = Files.createDirectory(dir.resolve("readable"));
    Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), made);
    Path file = Files.writeString(dir.resolve("file"), "x");
    assertThatThrownBy(() -> OwnerOnly.privateFolder(open)).isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("is open to other users (rwxrwxrwx)");
    assertThatThrownBy(() -> OwnerOnly.privateFolder(readable)).hasMessageContaining("is open to other users");
    assertThatThrownBy(() -> OwnerOnly.privateFolder(link)).hasMessageContaining("is not a folder");
    assertThatThrownBy(() -> OwnerOnly.privateFolder(file)).hasMessageContaining("is not a folder");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(open))).as("left as it was")
        .isEqualTo("rwxrwxrwx");
  }

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
