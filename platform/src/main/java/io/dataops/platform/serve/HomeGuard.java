package io.dataops.platform.serve;

import io.dataops.core.BadInputException;
import io.dataops.platform.config.Home;
import io.dataops.platform.config.HomeOrigin;
import io.dataops.platform.config.PlatformConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks, before each command, that the server's home is still the one it started with and opens as the command
 * would open it. A command given a home that is gone would make a new, empty one (and serve an empty platform); a home
 * moved, copied or misconfigured would be refused with its paths and settings, before the token was even checked.
 * Either is the server's failure, not the client's: the client is told only that the service is unavailable, the
 * details go to the log.
 */
final class HomeGuard {
  private static final Logger LOG = LoggerFactory.getLogger(HomeGuard.class);
  static final String UNAVAILABLE = "the service is unavailable: the server's home cannot be used (details in the "
      + "server's log)";

  /**
   * The home folder and its origin record as the file system knows them (device and inode on Linux); the record is
   * null when there was none (a home with its catalog elsewhere has none; one made later by another process is fine).
   */
  private record Identity(Object folder, Object record) {}

  private final Path home;
  private final Map<String, String> env;
  private final Identity started;

  HomeGuard(Path home, Map<String, String> env) {
    this.home = home;
    this.env = env;
    this.started = identity().orElseThrow(() -> new BadInputException("the home " + home + " is not a folder"));
  }

  /** Null when the home may be used now; else why not (for the log only), logged already. */
  String problem() {
    String problem;
    var now = identity();
    if (now.isEmpty()) {
      problem = "the home " + home + " is gone (deleted or moved away since the server started)";
    } else if (!now.get().folder().equals(started.folder())
        || started.record() != null && !started.record().equals(now.get().record())) {
      problem = "the home " + home + " is no longer the one the server started with (replaced, or its "
          + HomeOrigin.FILE + " rewritten)";
    } else {
      problem = opens();
    }
    if (problem != null) {
      LOG.error("refused a request (503): {}", problem);
    }
    return problem;
  }

  /** Null when the home opens as a command opens it; else the refusal's line. */
  private String opens() {
    try {
      HomeOrigin.check(PlatformConfig.load(Home.open(home, false), env));
      return null;
    } catch (RuntimeException e) {
      return e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    }
  }

  private java.util.Optional<Identity> identity() {
    try {
      BasicFileAttributes folder = Files.readAttributes(home, BasicFileAttributes.class); // through a link: same home
      if (!folder.isDirectory()) {
        return java.util.Optional.empty();
      }
      Path record = home.resolve(HomeOrigin.FILE);
      Object recordKey = Files.exists(record)
          ? Objects.requireNonNullElse(Files.readAttributes(record, BasicFileAttributes.class).fileKey(), "") : null;
      return java.util.Optional.of(new Identity(Objects.requireNonNullElse(folder.fileKey(), home), recordKey));
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
  }
}
