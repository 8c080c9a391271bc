package io.dataops.core.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessScratchTest {
  @TempDir Path dir;

  @Test
  void theFolderIsOwnerOnlyAndWhatItMakesIsInIt() throws Exception {
    Path folder = ProcessScratch.folder();
    assertThat(folder.getParent()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir")));
    assertThat(folder.getFileName().toString()).startsWith(ProcessScratch.PREFIX + ProcessHandle.current().pid() + "-");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
    Path sub = ProcessScratch.newFolder("rows");
    Path file = ProcessScratch.newFile("feed-", ".xlsx");
    assertThat(sub.getParent()).isEqualTo(folder);
    assertThat(file.getParent()).isEqualTo(folder);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(ProcessScratch.folder()).as("one per process").isEqualTo(folder);
  }

  @Test
  void theSweepRemovesOnlyTheFoldersOfGoneProcessesAndFollowsNoLink() throws Exception {
    Process ended = new ProcessBuilder("true").start();
    assertThat(ended.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Path gone = Files.createDirectories(dir.resolve(ProcessScratch.PREFIX + ended.pid() + "-42/rows"));
    Files.writeString(gone.resolve("spill"), "raw rows");
    Path live = Files.createDirectories(dir.resolve(ProcessScratch.PREFIX + ProcessHandle.current().pid() + "-7"));
    Path other = Files.createDirectories(dir.resolve(ProcessScratch.PREFIX + "notes"));
    Path outside = Files.createDirectories(dir.resolve("elsewhere"));
    Files.writeString(outside.resolve("keep"), "not ours to remove");
    Path link = Files.createSymbolicLink(dir.resolve(ProcessScratch.PREFIX + ended.pid() + "-43"), outside);

    assertThat(ProcessScratch.sweep(dir, Files.getOwner(live))).isEqualTo(1);

    assertThat(dir.resolve(ProcessScratch.PREFIX + ended.pid() + "-42")).doesNotExist();
    assertThat(live).exists();
    assertThat(other).exists();
    assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).as("a link is not followed nor removed").isTrue();
    assertThat(outside.resolve("keep")).exists();
  }
}
