package io.dataops.core.files;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Files and folders only their owner can read (0600, 0700): the home holds raw personal data. POSIX folders pass no
 * permissions on to what is created in them, and Java cannot set its process's umask, so everything the platform
 * creates under the home is created through here (libraries that create files themselves are configured to do the
 * same: Hadoop's local file system, SQLite, the log file). Existing files and folders keep their permissions. On a file
 * system without POSIX permissions these are the plain operations.
 */
public final class OwnerOnly {
  public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  public static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private OwnerOnly() {}

  /** Whether these permissions let anyone but the owner read, change or run the file (a secret must not). */
  private static boolean othersMayUse(Set<PosixFilePermission> permissions) {
    return !FOLDER.containsAll(permissions);
  }

  /**
   * The mode of a secret's file (a keys, password or credentials file) when others than its owner may read, change or
   * run it, shown as {@code rw-r--r--}; empty when only the owner may, or on a file system without POSIX modes (there
   * the folder's own protection applies). Every secret file is refused on the same rule: a container secret is mounted
   * owner-only for the user that reads it (Compose {@code mode: 0400}, Kubernetes {@code defaultMode: 0400}).
   *
   * @throws IOException when the file's mode cannot be read (it does not exist, say)
   */
  public static java.util.Optional<String> modeOpenToOthers(Path file) throws IOException {
    Set<PosixFilePermission> mode;
    try {
      mode = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException notPosix) {
      return java.util.Optional.empty();
    }
    return othersMayUse(mode) ? java.util.Optional.of(PosixFilePermissions.toString(mode)) : java.util.Optional.empty();
  }

  /** Creates the folder and its missing parents, each owner-only. */
  public static Path directories(Path dir) throws IOException {
    return POSIX ? Files.createDirectories(dir, attribute(FOLDER)) : Files.createDirectories(dir);
  }

  /** Creates an empty owner-only file unless the file exists (then it is left as it is). */
  public static Path createFile(Path file) throws IOException {
    try {
      return POSIX ? Files.createFile(file, attribute(FILE)) : Files.createFile(file);
    } catch (FileAlreadyExistsException exists) {
      return file;
    }
  }

  /**
   * Like {@link Files#newOutputStream}: by default creates or truncates; a file it creates is owner-only.
   */
  public static OutputStream newOutputStream(Path file, OpenOption... options) throws IOException {
    Set<OpenOption> opts = new HashSet<>(Arrays.asList(options));
    if (opts.isEmpty()) {
      opts.addAll(List.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING));
    }
    opts.add(StandardOpenOption.WRITE);
    return Channels.newOutputStream(POSIX ? Files.newByteChannel(file, opts, attribute(FILE))
        : Files.newByteChannel(file, opts));
  }

  /** UTF-8 text, like {@link Files#newBufferedWriter(Path, OpenOption...)}. */
  public static BufferedWriter newBufferedWriter(Path file) throws IOException {
    return new BufferedWriter(new OutputStreamWriter(newOutputStream(file), StandardCharsets.UTF_8));
  }

  public static Path write(Path file, byte[] bytes) throws IOException {
    try (OutputStream out = newOutputStream(file)) {
      out.write(bytes);
    }
    return file;
  }

  /** UTF-8 text, like {@link Files#writeString}. */
  public static Path writeString(Path file, CharSequence text) throws IOException {
    return write(file, text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Copies the bytes of {@code in} into {@code file} (created owner-only, or truncated). */
  public static Path copy(InputStream in, Path file) throws IOException {
    try (OutputStream out = newOutputStream(file)) {
      in.transferTo(out);
    }
    return file;
  }

  /** Copies a file's bytes (not its permissions) into {@code target} (created owner-only, or truncated). */
  public static Path copy(Path source, Path target) throws IOException {
    try (InputStream in = Files.newInputStream(source)) {
      return copy(in, target);
    }
  }

  /**
   * A folder under a name others could have made first ({@code /tmp/dataops-...-<user>}): made owner-only if missing;
   * if it exists it must be a folder, not a link, of this process's user, and closed to everyone else, else this throws
   * an {@link IOException} saying which of these it is not, and the caller writes nothing there (another user owning
   * it could read, replace or remove what is put in it).
   */
  public static Path privateFolder(Path dir) throws IOException {
    if (!POSIX) {
      return Files.createDirectories(dir);
    }
    try {
      return Files.createDirectory(dir, attribute(FOLDER));
    } catch (FileAlreadyExistsException exists) {
      PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      Path self = Path.of("/proc/self"); // owned by the process's user
      String me = Files.exists(self) ? Files.getOwner(self).getName() : System.getProperty("user.name");
      String problem = !a.isDirectory() ? "is not a folder (a link or a file)"
          : !a.owner().getName().equals(me) ? "belongs to " + a.owner().getName() + ", not " + me
          : !FOLDER.containsAll(a.permissions()) ? "is open to other users ("
              + PosixFilePermissions.toString(a.permissions()) + ")" : null;
      if (problem != null) {
        throw new IOException(dir + " " + problem + "; remove it (it is made again, owner-only)");
      }
      return dir;
    }
  }

  /** Makes a file or folder that a library created owner-only. */
  public static Path restrict(Path path) throws IOException {
    if (POSIX) {
      Files.setPosixFilePermissions(path, Files.isDirectory(path) ? FOLDER : FILE);
    }
    return path;
  }

  private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> permissions) {
    return PosixFilePermissions.asFileAttribute(permissions);
  }
}
