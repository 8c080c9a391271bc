package io.dataops.core.files;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Files a later step or process trusts without computing them again (a run's leak filter and privacy decision, the
 * caches of input snapshots): owner-only, written aside and moved in, starting with a magic number that names what
 * they hold and ending with the SHA-256 of everything before it. A move makes a file whole or absent after a kill, but
 * not after a power failure: a file moved in before its blocks reached the disk can come back empty, cut short or full
 * of zeros, and a leak filter of zeros would pass every value. {@link #read} refuses any such file ({@link Refused}),
 * so the caller computes it again instead of failing forever or trusting it.
 */
public final class CheckedFiles {
  private static final String SHA256 = "SHA-256";
  /** A file written aside: {@code <file>.<writer's pid>-<random>.tmp}. */
  private static final Pattern ASIDE = Pattern.compile("\\.(\\d{1,18})-[^.]+\\.tmp$");

  private CheckedFiles() {}

  /** Writes a file's content (after the magic number). */
  public interface Content {
    void writeTo(DataOutputStream out) throws IOException;
  }

  /** Reads a file's content (after the magic number), exactly as {@link Content} wrote it. */
  public interface Reader<T> {
    T readFrom(DataInputStream in) throws IOException;
  }

  /** The file is not one {@link #write} finished with this magic number: torn, altered, or of another kind. */
  public static final class Refused extends IOException {
    Refused(Path file, String why) {
      super(file.getFileName() + " " + why);
    }
  }

  /**
   * Writes {@code file} aside (a name of its own, naming this process: {@link #abandonedAside}) and moves it in.
   * Nothing is left aside when writing fails.
   */
  public static void write(Path file, long magic, Content content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + "-" + UUID.randomUUID()
        + ".tmp");
    try {
      MessageDigest md = sha256();
      try (OutputStream out = OwnerOnly.newOutputStream(tmp)) {
        DigestOutputStream digesting = new DigestOutputStream(new BufferedOutputStream(out, 1 << 16), md);
        DataOutputStream data = new DataOutputStream(digesting);
        data.writeLong(magic);
        content.writeTo(data);
        data.flush();
        digesting.on(false);
        digesting.write(md.digest());
        digesting.flush();
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException | Error e) {
      // The write's own failure is what the caller must see; a failed clean-up only goes with it.
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /**
   * The content of {@code file}; {@link Refused} unless it starts with {@code magic}, {@code reader} reads it to its
   * digest and the digest matches ({@link java.nio.file.NoSuchFileException} when there is no file).
   */
  public static <T> T read(Path file, long magic, Reader<T> reader) throws IOException {
    MessageDigest md = sha256();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        DigestInputStream in = new DigestInputStream(raw, md)) {
      DataInputStream data = new DataInputStream(in);
      T value;
      try {
        if (data.readLong() != magic) {
          throw new Refused(file, "is not of this kind (or was written by an older build)");
        }
        value = reader.readFrom(data);
      } catch (Refused e) {
        throw e;
      } catch (IOException | RuntimeException e) {
        throw new Refused(file, "cannot be read (" + e.getMessage() + ")");
      }
      in.on(false);
      byte[] expected = md.digest();
      byte[] stored = data.readNBytes(expected.length);
      if (!MessageDigest.isEqual(expected, stored) || data.read() != -1) {
        throw new Refused(file, "does not match its digest");
      }
      return value;
    }
  }

  /**
   * Whether {@code f} was written aside by {@link #write} in a process that is gone: a write killed before its move,
   * which nothing reads and nothing else removes. Files of this or another live process may still be in progress.
   */
  public static boolean abandonedAside(Path f) {
    Matcher m = ASIDE.matcher(f.getFileName().toString());
    if (!m.find()) {
      return false;
    }
    long pid = Long.parseLong(m.group(1));
    return pid != ProcessHandle.current().pid() && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance(SHA256);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
