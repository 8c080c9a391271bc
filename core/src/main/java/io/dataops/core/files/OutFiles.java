package io.dataops.core.files;

import io.dataops.core.BadInputException;
import io.dataops.core.StorageFullException;
import io.dataops.core.digest.Digests;
import io.dataops.core.text.VisibleText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Files written where the caller said ({@code --out}): the name of the file written first beside it, and why such a
 * path cannot be written, in words the caller can act on. A probe found a legal 244-character name refused ("File name
 * too long" only in the log: the part file's suffix took it past the limit) and a file or {@code /proc} as the folder
 * reported as an internal error.
 */
public final class OutFiles {
  /** The longest file name, in bytes, of the file systems the platform runs on (ext4, xfs, btrfs, tmpfs, APFS). */
  public static final int NAME_MAX = 255;

  private OutFiles() {}

  /**
   * The file beside {@code target} named its name followed by {@code suffix}; when that would be longer than
   * {@link #NAME_MAX}, the name is cut short and ends with a hash of it instead (two long names stay apart).
   */
  public static Path beside(Path target, String suffix) {
    return target.resolveSibling(fitted(target.getFileName().toString(), NAME_MAX - bytes(suffix)) + suffix);
  }

  /**
   * {@code target} made absolute and cleaned as the operating system resolves it: a {@code ..} after a link goes up
   * from where the link leads, not from the link's folder (found by a probe: {@code lnk/../x.csv} was written to the
   * folder of {@code lnk}, the command saying it wrote the name typed, where no file was). Only such a link is
   * resolved; the rest, and the last name (a link there is replaced, never followed), stay as written.
   */
  public static Path resolved(Path target) {
    Path abs = target.toAbsolutePath();
    Path at = abs.getRoot();
    for (Path part : abs) {
      String name = part.toString();
      if (name.equals(".")) {
        continue;
      }
      if (name.equals("..")) {
        if (Files.isSymbolicLink(at) && Files.exists(at)) {
          try {
            at = at.toRealPath();
          } catch (IOException e) {
            // left as written: writing there fails with the reason, which is what the user needs to know
          }
        }
        at = at.getParent() == null ? at : at.getParent();
        continue;
      }
      at = at.resolve(name);
    }
    return at;
  }

  /**
   * Writes {@code bytes} as the file {@code target} ({@code what} names it in errors): into an owner-only file beside
   * it, then moved over the name. A link at the name is replaced, never followed (a probe's dangling link at --out
   * led a DAG file into the platform home), and no half-written file is left under the name. A folder that does not
   * exist yet is made, owner-only, as {@code product deliver} makes it (found by a probe: here it was "no such folder").
   */
  public static Path replace(Path target, byte[] bytes, String what) {
    Path abs = resolved(target);
    if (Files.isDirectory(abs)) {
      throw new BadInputException("--out names a folder (" + abs + "); name the file to write");
    }
    Path part = null;
    try {
      checkName(abs);
      if (abs.getParent() != null && !Files.isDirectory(abs.getParent())) {
        OwnerOnly.directories(abs.getParent());
      }
      part = beside(abs, ".part-" + Long.toHexString(System.nanoTime()));
      OwnerOnly.write(part, bytes);
      Files.move(part, abs, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException e) {
      if (part != null) {
        try {
          Files.deleteIfExists(part);
        } catch (IOException cleanup) {
          e.addSuppressed(cleanup);
        }
      }
      throw failure(what, abs, e);
    }
  }

  /**
   * Throws the file system's "File name too long" for a target whose name passes {@link #NAME_MAX}: known before a
   * part file (whose name is shortened) is written and recorded, not only at the move into place.
   */
  public static Path checkName(Path target) throws FileSystemException {
    if (target.getFileName() != null && bytes(target.getFileName().toString()) > NAME_MAX) {
      throw new FileSystemException(target.toString(), null, "File name too long");
    }
    return target;
  }

  /** {@code name} if it takes at most {@code room} bytes in UTF-8; else its start and a hash of it, within room. */
  public static String fitted(String name, int room) {
    if (bytes(name) <= room) {
      return name;
    }
    String hash = "~" + Digests.sha256(name).substring(0, 12);
    StringBuilder start = new StringBuilder();
    int used = bytes(hash);
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      int n = bytes(new String(Character.toChars(cp)));
      if (used + n > room) {
        break;
      }
      start.appendCodePoint(cp);
      used += n;
      i += Character.charCount(cp);
    }
    return start + hash;
  }

  /**
   * The failure to write {@code what} to {@code where}: bad input naming the reason when the path is the reason (not
   * a directory, no such folder, permission denied, a read-only file system, a name too long); a full device as
   * {@link StorageFullException} naming that device; otherwise the I/O failure as it is.
   */
  public static RuntimeException failure(String what, Path where, IOException e) {
    if (StorageFullException.isCause(e)) {
      // The device of --out, not the home's: the generic message named the home's disk, with gigabytes free.
      return StorageFullException.of(e, "writing " + what + " to " + where, "nothing was written there; free some"
          + " space on that device (or write elsewhere), then run the same command again", List.of(where.toString()));
    }
    String shown = VisibleText.value(where.toString()); // a line feed in the name keeps the message one line
    return reason(e).<RuntimeException>map(r -> new BadInputException("cannot write " + what + " to " + shown + ": "
        + r, e)).orElseGet(() -> new UncheckedIOException("cannot write " + what + " to " + shown, e));
  }

  /** Why a path could not be written, if the path itself is why. */
  public static Optional<String> reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return Optional.of("permission denied");
    }
    if (e instanceof NotDirectoryException) {
      return Optional.of("not a directory");
    }
    if (e instanceof FileAlreadyExistsException f && f.getFile() != null && !Files.isDirectory(Path.of(f.getFile()))) {
      // Creating the folders found a file where a folder should be.
      return Optional.of(f.getFile() + " is not a directory");
    }
    if (e instanceof DirectoryNotEmptyException) {
      return Optional.of("it is a folder");
    }
    if (e instanceof NoSuchFileException f) {
      Path parent = f.getFile() == null ? null : Path.of(f.getFile()).getParent();
      return Optional.of(parent != null && Files.isDirectory(parent)
          ? "no such file or directory (" + parent + " takes no new files)" : "no such folder");
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return switch (f.getReason().toLowerCase(Locale.ROOT)) {
        case "not a directory" -> Optional.of("not a directory");
        case "is a directory" -> Optional.of("it is a folder");
        case "read-only file system" -> Optional.of("read-only file system");
        case "file name too long" -> Optional.of("name too long (at most " + NAME_MAX + " bytes)");
        case "permission denied", "operation not permitted" -> Optional.of("permission denied");
        default -> Optional.empty();
      };
    }
    return Optional.empty();
  }

  private static int bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
