package io.dataops.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.core.testing.Tmpfs;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which failures are a full device, and what the one line says. */
class StorageFullExceptionTest {
  @TempDir Path dir;

  @Test
  void theOperatingSystemsAndSqlitesWordsForAFullDeviceAreFoundAmongCausesAndSuppressedFailures() {
    assertThat(StorageFullException.isCause(new UncheckedIOException(new IOException("No space left on device"))))
        .isTrue();
    assertThat(StorageFullException.isCause(new IOException("Disk quota exceeded"))).isTrue();
    SQLException sqlite = new SQLException("[SQLITE_FULL] Insertion failed because database is full (database or "
        + "disk is full)");
    assertThat(StorageFullException.isCause(new IllegalStateException("JDBC commit failed", sqlite))).isTrue();
    IllegalStateException step = new IllegalStateException("pipeline failed");
    step.addSuppressed(new RuntimeException("the other branch", new IOException("No space left on device")));
    assertThat(StorageFullException.isCause(step)).as("a suppressed failure's cause").isTrue();

    assertThat(StorageFullException.isCause(new RuntimeException("No space left on device")))
        .as("only an I/O error says so").isFalse();
    assertThat(StorageFullException.isCause(new IOException("Permission denied"))).isFalse();
    RuntimeException loop = new RuntimeException("a");
    RuntimeException other = new RuntimeException("b", loop);
    loop.initCause(other);
    loop.addSuppressed(other);
    assertThat(StorageFullException.isCause(loop)).as("a cycle of causes ends").isFalse();
  }

  @Test
  void aPlainIoErrorOfSqliteIsAFullDeviceOnlyWhenTheHomesDeviceHasNoSpace() throws Exception {
    SQLException shm = new SQLException("[SQLITE_IOERR_SHMSIZE] I/O error within xShmMap while trying to resize an "
        + "existing shared memory segment (disk I/O error)");
    RuntimeException failure = new IllegalStateException("cannot migrate the governance tables", shm);
    assertThat(StorageFullException.recognize(failure, dir, "dataops org list")).as("a device with space").isEmpty();
    try (Tmpfs disk = Tmpfs.mount(dir.resolve("disk"), 1)) {
      Path home = disk.dir().resolve("home");
      Files.createDirectories(home);
      try (OutputStream out = Files.newOutputStream(disk.dir().resolve("filler"))) {
        byte[] block = new byte[4096];
        while (true) {
          out.write(block);
          out.flush();
        }
      } catch (IOException full) {
        assertThat(full).hasMessageContaining("No space left on device");
      }
      assertThat(StorageFullException.recognize(failure, home, "dataops org list")).get()
          .extracting(Throwable::getMessage).isEqualTo("no space left on the device while running dataops org list ("
              + disk.dir() + " (tmpfs), 0 KB free now): free some space, then run the same command again");
      assertThat(StorageFullException.recognize(new IllegalStateException("a defect"), home, "dataops org list"))
          .as("not every failure on a full device is the device's").isEmpty();
    }
  }

  @Test
  void eachDeviceIsNamedOnceWithItsFreeSpace() throws Exception {
    Path a = Files.createDirectories(dir.resolve("a"));
    StorageFullException full = StorageFullException.of(new IOException("No space left on device"), "writing x",
        "free some space", java.util.List.of(a.toString(), a.toUri().toString(), dir.resolve("not yet/made").toString(),
            "s3://bucket/warehouse/t"));
    String device = StorageFullException.deviceOf(a.toString());
    assertThat(full.getMessage()).matches("no space left on the device while writing x \\("
        + java.util.regex.Pattern.quote(device) + ", \\d+ (KB|MB) free now; s3://bucket/warehouse/t\\): "
        + "free some space");
  }
}
