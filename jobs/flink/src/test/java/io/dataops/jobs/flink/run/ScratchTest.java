package io.dataops.jobs.flink.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's local folders of processes now gone are removed by the next one; live and foreign ones stay. */
class ScratchTest {
  @TempDir Path dir;

  @Test
  void removesOnlyTheSiblingsOfProcessesThatAreGone() throws Exception {
    Process finished = new ProcessBuilder("true").start();
    finished.waitFor();
    long live = ProcessHandle.current().parent().orElseThrow().pid();
    Path mine = Files.createDirectories(dir.resolve("spill-" + ProcessHandle.current().pid()));
    Path dead = Files.createDirectories(dir.resolve("spill-" + finished.pid()));
    Files.writeString(dead.resolve("rows.bin"), "left by a killed client");
    Path alive = Files.createDirectories(dir.resolve("spill-" + live));
    Path foreign = Files.createDirectories(dir.resolve("spill-notapid"));
    Path otherRun = Files.createDirectories(dir.resolve("other-" + finished.pid()));

    Scratch.deleteDeadSiblings(mine);

    assertThat(dead).doesNotExist();
    assertThat(mine).exists();
    assertThat(alive).exists();
    assertThat(foreign).exists();
    assertThat(otherRun).exists();
  }
}
