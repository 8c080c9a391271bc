package io.dataops.core.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessLockTest {
  @TempDir
  Path dir;

  @Test
  void aLockFileItsHolderRemovedIsNotLockedBesideTheNextHolders() throws Exception {
    Path file = dir.resolve("run.lock");
    ProcessLock first = ProcessLock.tryTake(file).orElseThrow();
    // a second process opened the file while the first held it, and asks for the lock once the first has ended
    FileChannel openedBefore = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    first.closeRemoving();
    assertThat(file).as("nothing is left of the lock").doesNotExist();

    try (ProcessLock next = ProcessLock.tryTake(file).orElseThrow()) {
      Optional<ProcessLock> late = ProcessLock.lock(file, openedBefore);
      try {
        assertThat(late).as("the removed file's lock is not a lock beside the next holder's").isNull();
      } finally {
        if (late != null && late.isPresent()) {
          late.get().close();
        }
      }
      assertThat(ProcessLock.tryTake(file)).as("the next holder's lock holds").isEmpty();
    }
    assertThat(Files.readString(file)).startsWith(ProcessHandle.current().pid() + " ");
  }
}
