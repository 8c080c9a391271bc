package io.dataops.jobs.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.core.files.ProcessScratch;
import io.dataops.core.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local Flink job keeps its temporary files (its shuffle files hold raw rows) in its process's owner-only folder, and
 * nothing of it outlives the process: its own folder goes at exit, a killed process's with the next process's first
 * Flink job.
 */
class LocalTempTest {
  @TempDir Path dir;

  @Test
  void aJobsTemporaryFilesStayInItsProcesssPrivateFolderAndNothingOutlivesTheProcesses() throws Exception {
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Path marker = dir.resolve("held");
    Process held = child(tmp, marker.toString());
    Path folder;
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (!Files.exists(marker) && held.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(marker).as("the job held after its exchange: " + Files.readString(dir.resolve("child.log"))).exists();

      List<Path> entries = flinks(tmp);
      assertThat(entries).as("all of the running job's temporary files in one folder").hasSize(1);
      folder = entries.get(0);
      assertThat(folder.getFileName().toString()).startsWith(ProcessScratch.PREFIX + held.pid() + "-");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
      List<String> inside = list(folder).stream().map(p -> p.getFileName().toString()).toList();
      assertThat(inside).as("the RPC jar and the mini-cluster's folders")
          .anyMatch(n -> n.startsWith("flink-rpc-") && n.endsWith(".jar"))
          .anyMatch(n -> n.startsWith("flink-netty-shuffle-"))
          .anyMatch(n -> n.startsWith("flink-io-"));
      try (Stream<Path> all = Files.walk(folder)) {
        assertThat(all.filter(p -> p.getFileName().toString().endsWith(".shuffle.data")).toList())
            .as("the exchanged rows written to files").isNotEmpty();
      }

      held.destroyForcibly(); // kill -9: no shutdown hook runs
      assertThat(held.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(flinks(tmp)).as("what the killed process left").containsExactly(folder);
    } finally {
      held.destroyForcibly(); // also when an assertion failed: the held child would wait for ever
    }

    Process next = child(tmp, null);
    try {
      assertThat(next.waitFor(3, TimeUnit.MINUTES)).isTrue();
    } finally {
      next.destroyForcibly();
    }
    assertThat(next.exitValue()).as(Files.readString(dir.resolve("child.log"))).isZero();
    assertThat(flinks(tmp)).as("the killed process's folder removed by the next, the next's own at its exit").isEmpty();
  }

  @Test
  void onlyThePlannersOwnCopiesOlderThanAnHourAreRemoved() throws Exception {
    Path oldCopy = Files.writeString(dir.resolve("flink-table-planner_0f8fad5b-d9cb-469f-a165-70867728950e.jar"), "j");
    Files.setLastModifiedTime(oldCopy, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
    Path newCopy = Files.writeString(dir.resolve("flink-table-planner_1f8fad5b-d9cb-469f-a165-70867728950e.jar"), "j");
    Path lookAlike = Files.writeString(dir.resolve("flink-table-planner_mine.jar"), "j");
    Files.setLastModifiedTime(lookAlike, FileTime.from(Instant.now().minus(Duration.ofHours(2))));

    assertThat(LocalTemp.sweepPlannerCopies(dir, Instant.now().minus(LocalTemp.STALE))).isEqualTo(1);
    assertThat(oldCopy).doesNotExist();
    assertThat(newCopy).exists();
    assertThat(lookAlike).exists();
  }

  private Process child(Path tmp, String marker) throws IOException {
    List<String> command = ChildJvm.command(LocalTempChild.class, List.of("-Xmx512m", "-Djava.io.tmpdir=" + tmp),
        List.of());
    if (marker != null) {
      command.add(marker);
    }
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile())
        .start();
  }

  /**
   * What Flink and this module put in the temporary directory (lz4-java's copy of its native library is left out: the
   * library extracts it itself, for the process's life, and it holds no data).
   */
  private static List<Path> flinks(Path tmp) throws IOException {
    return list(tmp).stream().filter(p -> !p.getFileName().toString().startsWith("liblz4-java-")).toList();
  }

  private static List<Path> list(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.toList();
    }
  }
}
