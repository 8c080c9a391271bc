package io.dataops.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A test hook for the tests that kill a process between the steps of a commit (kill -9 at a commit point): with the
 * system property {@code dataops.test.pause-at} naming the point, the process writes the file {@code
 * dataops.test.pause-marker} names and waits there to be killed, or, when {@code dataops.test.resume-marker} names a
 * file, until that file appears (a test that changes something under a paused command). Without the property it does
 * nothing.
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
      String resume = System.getProperty("dataops.test.resume-marker");
      if (resume == null) {
        Thread.sleep(Long.MAX_VALUE);
      }
      while (!Files.exists(Path.of(resume))) {
        Thread.sleep(20);
      }
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("test pause at " + point + " failed", e);
    }
  }
}
