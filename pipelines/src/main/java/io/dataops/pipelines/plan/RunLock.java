package io.dataops.pipelines.plan;

import io.dataops.core.BadInputException;
import io.dataops.core.files.OwnerOnly;
import io.dataops.core.files.ProcessLock;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One process at a time runs a run, on any engine: the run holds a {@link ProcessLock} on a file of its own for as
 * long as it goes on. A second process asking for the same run is refused at once (two at once each ran, and the
 * loser failed as an internal error); the lock goes with its process, even by SIGKILL, so a later command resumes a
 * dead run.
 */
public final class RunLock {
  private RunLock() {}

  /** The lock on {@code file} (its folder made owner-only), or the refusal naming the process that holds it. */
  public static ProcessLock take(Path file) throws IOException {
    OwnerOnly.directories(file.getParent());
    return ProcessLock.tryTake(file).orElseThrow(() -> new BadInputException("this run is already going on in "
        + ProcessLock.holder(file) + "; wait for it to end (the same command then reports its product version)"));
  }
}
