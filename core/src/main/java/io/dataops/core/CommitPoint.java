package io.dataops.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A test hook for the tests that kill a process between the steps of a commit (kill -9 at a commit point): with the
 * system property {@code dataops.test.pause-at} naming the point, the process writes the file {@code
 * dataops.test.pause-marker} names and waits there to be killed. Without the property it does nothing.
 */
public final class CommitPoint {
  private CommitPoint() {}

  /** The process reached {@code point} (e.g. {@code staged}, {@code published}, {@code landed}). */
  public static void reached(String point) {
    if (!point.equals(System.getProperty("dataops.test.pause-at"))) {
      return;
    }
    try {
      Files.writeString(Path.of(System.getProperty("dataops.test.pause-marker")), point);
      Thread.sleep(Long.MAX_VALUE);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("test pause at " + point + " failed", e);
    }
  }
}
