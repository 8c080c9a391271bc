package io.dataops.pipelines.plan;

import io.dataops.core.BadInputException;
import io.dataops.core.db.DatabaseLock;
import io.dataops.core.db.PlatformDatabase;
import io.dataops.core.files.OwnerOnly;
import io.dataops.core.files.ProcessLock;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process at a time runs a run, on any engine: the run holds a {@link ProcessLock} on a file of its own for as
 * long as it goes on, and with a PostgreSQL platform database also a {@link DatabaseLock} named by its run key, which
 * the processes of every host sharing that database see (their work folders are their own). A second process asking
 * for the same run is refused at once (two at once each ran, and the loser failed as an internal error); both locks
 * go with their process, even by SIGKILL (the server ends a dead client's session), so a later command resumes a
 * dead run.
 */
public final class RunLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);
  private final ProcessLock file;
  private final DatabaseLock database;

  private RunLock(ProcessLock file, DatabaseLock database) {
    this.file = file;
    this.database = database;
  }

  /**
   * The run's locks: on {@code file} (its folder made owner-only) and, when the platform database of {@code db} is
   * PostgreSQL, on the run key there; or the refusal naming the process that holds one.
   */
  public static RunLock take(Path file, LakehouseConfig db, String runKey) throws IOException {
    OwnerOnly.directories(file.getParent());
    ProcessLock local = ProcessLock.tryTake(file).orElseThrow(() -> refused(ProcessLock.holder(file)));
    String url = db.catalogUri();
    if (!url.startsWith("jdbc:postgresql:")) {
      return new RunLock(local, null);
    }
    try {
      java.util.Properties props = PlatformDatabase.prepare(url, db.catalogUser(), db.catalogPassword());
      String name = "pipeline run " + runKey;
      DatabaseLock shared = DatabaseLock.tryTake(url, props, name)
          .orElseThrow(() -> refused(DatabaseLock.holder(url, props, name)));
      return new RunLock(local, shared);
    } catch (RuntimeException e) {
      local.close();
      throw e;
    }
  }

  private static BadInputException refused(String holder) {
    return new BadInputException("this run is already going on in " + holder + "; wait for it to end (the same "
        + "command then reports its product version)");
  }

  /**
   * Ends the run's hold and removes its lock file (a run that ended, in any way, leaves none; a process that opened
   * the file meanwhile takes the lock on a new one: {@link ProcessLock#closeRemoving}).
   */
  public void closeRemoving() {
    close(true);
  }

  @Override
  public void close() {
    close(false);
  }

  private void close(boolean removing) {
    try {
      if (database != null) {
        database.close();
      }
    } finally {
      try {
        if (removing) {
          file.closeRemoving();
        } else {
          file.close();
        }
      } catch (IOException e) {
        // the system releases the lock with the channel's process; nothing else holds it
        LOG.warn("releasing the run's lock failed", e);
      }
    }
  }
}
