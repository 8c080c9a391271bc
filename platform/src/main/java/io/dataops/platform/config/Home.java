package io.dataops.platform.config;

import io.dataops.core.BadInputException;
import io.dataops.core.files.OwnerOnly;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The home folder as a command opens it: created owner-only when missing (it holds raw personal data). A file in its
 * place, a home that cannot be created, or — for a command that changes the home — one this user cannot write, is
 * refused with the reason; commands that only read work on a read-only home.
 */
public final class Home {
  private Home() {}

  public static Path open(Path home, boolean changes) {
    if (Files.exists(home)) {
      if (!Files.isDirectory(home)) {
        throw new BadInputException("the home " + home + " is a file, not a folder: give --home a folder (or set "
            + "DATAOPS_HOME)");
      }
      if (changes && !writable(home)) {
        throw new BadInputException("the home " + home + " is read-only for this user, and this command changes it "
            + "(commands that only read it work)");
      }
      return home;
    }
    Path existing = home.getParent();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing != null && !Files.isDirectory(existing)) {
      throw new BadInputException("cannot create the home " + home + ": " + existing + " is a file, not a folder");
    }
    try {
      return OwnerOnly.directories(home);
    } catch (AccessDeniedException e) {
      throw new BadInputException("cannot create the home " + home + ": permission denied");
    } catch (IOException e) {
      throw new BadInputException("cannot create the home " + home + ": " + e.getClass().getSimpleName());
    }
  }

  /** Whether this process can change the home: the folder and, when there, the embedded catalog file. */
  public static boolean writable(Path home) {
    Path catalog = home.resolve("catalog.db");
    return Files.isWritable(home) && (!Files.exists(catalog) || Files.isWritable(catalog));
  }
}
