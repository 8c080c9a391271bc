package io.dataops.platform.cli;

import io.dataops.core.BadInputException;
import io.dataops.core.files.OutFiles;
import io.dataops.platform.config.PlatformConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Where a command may write a file the caller names ({@code --out}): anywhere but the platform's home. The home holds
 * the platform database, the keys, the tables and the certificates; a delivery or a statement written over one of
 * them (a typo, or a partner naming {@code catalog.db}) destroyed the audit trail and every grant, or replaced the
 * keys so that no pseudonym could be matched again. The platform's own outputs go to the home's outbox by default.
 * Nor over a device, a pipe or a socket: a file is written beside the name and then moved over it, which replaced
 * {@code /dev/null} with a regular file when run as root, and {@code /dev/stdout} failed as an internal error.
 */
final class OutputPaths {
  private OutputPaths() {}

  /**
   * {@code out}, unless it lies in the home (links followed, so that a planted one cannot lead there) or names
   * something other than a file or a folder.
   */
  static Path outsideHome(PlatformConfig config, Path out, String option) {
    return outsideHome(config.home(), out, option);
  }

  /** As {@link #outsideHome(PlatformConfig, Path, String)}, for a command that does not open the home it names. */
  static Path outsideHome(Path platformHome, Path out, String option) {
    Path home;
    try {
      home = real(platformHome);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve the platform home " + platformHome, e);
    }
    Path abs = OutFiles.resolved(out); // as the OS resolves it: a .. after a link could lead into the home
    if (Files.exists(abs) && !Files.isRegularFile(abs) && !Files.isDirectory(abs)) {
      throw new BadInputException(option + " " + out + " is a device, a pipe or a socket, which the written file would"
          + " replace: name a file (new, or one to replace) or a folder");
    }
    boolean inside;
    try {
      inside = abs.startsWith(home) || real(abs).startsWith(home)
          || abs.getParent() != null && real(abs.getParent()).startsWith(home);
    } catch (IOException e) {
      throw new BadInputException(option + " " + out + " cannot be resolved (" + e.getClass().getSimpleName() + ": "
          + e.getMessage() + "): name a file or a folder", e);
    }
    if (inside) {
      throw new BadInputException(option + " " + out + " is inside the platform home (" + platformHome + "), whose "
          + "database, keys, tables and certificates a written file must never replace: write it outside the home");
    }
    return out;
  }

  /**
   * The path with the links of its existing part resolved; a part that does not exist yet is kept as written. A
   * dangling link is followed to where it points (a probe's link to a file not yet in the home passed as outside it).
   */
  private static Path real(Path p) throws IOException {
    return real(p, 0);
  }

  private static Path real(Path p, int hops) throws IOException {
    Path abs = OutFiles.resolved(p);
    Path existing = abs;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return abs;
    }
    if (!Files.exists(existing) && Files.isSymbolicLink(existing)) {
      if (hops >= 40) {
        throw new java.nio.file.FileSystemException(p.toString(), null, "Too many levels of symbolic links");
      }
      Path target = existing.resolveSibling(Files.readSymbolicLink(existing));
      return real(target.resolve(existing.relativize(abs)), hops + 1);
    }
    return existing.toRealPath().resolve(existing.relativize(abs)).normalize();
  }
}
