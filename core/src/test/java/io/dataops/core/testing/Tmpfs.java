package io.dataops.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a folder, for tests that need a device that really fills up. Mounting needs root, which
 * CI has; without it the test fails saying so (it is never skipped). Close it to unmount.
 */
public final class Tmpfs implements AutoCloseable {
  private final Path dir;

  private Tmpfs(Path dir) {
    this.dir = dir;
  }

  public static Tmpfs mount(Path dir, int megabytes) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    run("mount a " + megabytes + " MB tmpfs (needs root, as CI runs)", "mount", "-t", "tmpfs", "-o",
        "size=" + megabytes + "m", "tmpfs", dir.toString());
    return new Tmpfs(dir);
  }

  public Path dir() {
    return dir;
  }

  /** Unmounts; a mount still busy (a file left open on it) is detached all the same, and the test told so. */
  @Override
  public void close() {
    try {
      run("unmount the tmpfs", "umount", dir.toString());
    } catch (IllegalStateException busy) {
      run("detach the tmpfs", "umount", "-l", dir.toString());
      throw busy;
    }
  }

  private static void run(String what, String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("could not " + what + ": " + String.join(" ", command) + ": " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
