package io.dataops.governance.identity;

import io.dataops.core.BadInputException;
import io.dataops.core.files.OwnerOnly;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The API tokens a person keeps for the command line: {@code <home>/secrets/credentials.properties}, readable by its
 * owner only, with lines {@code default = USER} and {@code token.USER = dop_...}. The token for {@code --as USER}
 * comes from {@code DATAOPS_TOKEN} when it is set, else from this file. Like ssh with a private key, a file that
 * others may read or write is refused: its tokens must be taken as seen by others.
 */
public final class Credentials {
  public static final String ENV_TOKEN = "DATAOPS_TOKEN";
  private static final String DEFAULT = "default";
  private static final String TOKEN = "token.";

  private final Path file;

  private Credentials(Path file) {
    this.file = file;
  }

  public static Credentials of(Path home) {
    return new Credentials(home.resolve("secrets").resolve("credentials.properties"));
  }

  public Path file() {
    return file;
  }

  /**
   * A token and whose it should be ({@code null} user: whoever the token names). {@link #toString()} leaves the token
   * out.
   *
   * @param source where the token came from, for messages: {@code DATAOPS_TOKEN} or the file
   */
  public record Credential(String user, String token, String source) {
    @Override
    public String toString() {
      return "Credential[user=" + user + ", source=" + source + "]";
    }
  }

  /**
   * A credential presented and unusable: a token that is no dataops token, an {@code --as} that is no user name.
   * Unlike a missing one it is a failed login, and the session records it as one ({@code auth.refused}).
   *
   * @param reason the audit trail's reason ({@code malformed token}, {@code invalid user name})
   * @param user the user it was for, when a valid name was given (else null)
   */
  public static final class Unusable extends BadInputException {
    private final String reason;
    private final String user;

    Unusable(String message, String reason, String user) {
      super(message);
      this.reason = reason;
      this.user = user;
    }

    public String reason() {
      return reason;
    }

    public String user() {
      return user;
    }
  }

  /**
   * The token to act with.
   *
   * @param asUser the {@code --as} user, or null for the file's default user (or whoever {@code DATAOPS_TOKEN} names)
   */
  public Credential resolve(String asUser, Map<String, String> env) {
    if (asUser != null) {
      try {
        Names.user(asUser);
      } catch (BadInputException invalid) {
        throw new Unusable(invalid.getMessage(), "invalid user name", null);
      }
    }
    String fromEnv = env.get(ENV_TOKEN);
    if (fromEnv != null && !fromEnv.isBlank()) {
      if (!ApiTokens.wellFormed(fromEnv.strip())) {
        throw new Unusable(ENV_TOKEN + " does not hold a dataops API token (dop_ followed by 43 characters)",
            "malformed token", asUser);
      }
      return new Credential(asUser, fromEnv.strip(), ENV_TOKEN);
    }
    if (!Files.exists(file)) {
      throw new BadInputException("no API token: set " + ENV_TOKEN + " or put 'token.USER = dop_...' in " + file);
    }
    Map<String, String> entries = load();
    String user = asUser != null ? asUser : entries.get(DEFAULT);
    if (user == null) {
      throw new BadInputException("no user to act as: pass --as USER or put 'default = USER' in " + file);
    }
    String token = entries.get(TOKEN + user);
    if (token == null) {
      throw new BadInputException("no API token for " + Names.shown(user) + " in " + file + ": set " + ENV_TOKEN
          + " or add 'token." + Names.shown(user) + " = dop_...'");
    }
    if (!ApiTokens.wellFormed(token)) {
      throw new Unusable(file + ": token." + Names.shown(user)
          + " is not a dataops API token (dop_ followed by 43 characters)", "malformed token", validUser(user));
    }
    return new Credential(Names.user(user), token, file.toString());
  }

  /** The file's user name when it is one (a default line may hold anything), else null: not echoed into the trail. */
  private static String validUser(String name) {
    try {
      return Names.user(name);
    } catch (BadInputException invalid) {
      return null;
    }
  }

  /**
   * Runs {@code work} holding the home's credentials lock ({@code secrets/credentials.lock}): other processes and
   * threads wait for it, and a thread already holding it runs on. {@link #save} reads, changes and replaces the whole
   * file under it, so two processes saving at once (two {@code user add --save}) both keep their tokens (the later
   * move replaced the earlier one's file before); a process that bootstraps a home's admin holds it until the token
   * is saved, so one that finds the admin a moment later can wait for the token instead of failing.
   */
  public <T> T locked(Supplier<T> work) {
    if (THIS_PROCESS.isHeldByCurrentThread()) {
      return work.get();
    }
    // A file lock is the process's: threads of one process take turns on this lock first.
    THIS_PROCESS.lock();
    Path lockFile = file.resolveSibling("credentials.lock");
    try {
      ownerOnlyFolder();
      OwnerOnly.createFile(lockFile); // an empty file, owner-only as everything in the home
      try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
        return work.get();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + lockFile, e);
    } finally {
      THIS_PROCESS.unlock();
    }
  }

  private static final ReentrantLock THIS_PROCESS = new ReentrantLock();

  /**
   * Refuses now what {@link #save} would refuse (a file others may read, one that cannot be read): asked before a
   * token is issued to be saved, so that a token is not made and recorded only for its saving to fail, live and
   * never shown to anyone (found by a probe).
   */
  public void checkSavable() {
    if (Files.exists(file)) {
      locked(this::load);
    }
  }

  /** Keeps a user's token (replacing an older one), owner-only; the first user saved becomes the default. */
  public void save(String user, String token, boolean makeDefault) {
    Names.user(user);
    if (!ApiTokens.wellFormed(token)) {
      throw new IllegalArgumentException("not a dataops API token");
    }
    locked(() -> {
      saveLocked(user, token, makeDefault);
      return null;
    });
  }

  private void saveLocked(String user, String token, boolean makeDefault) {
    Map<String, String> entries = new TreeMap<>();
    if (Files.exists(file)) {
      // Only what this file is for is kept (and so written back without any need of escapes).
      load().forEach((k, v) -> {
        boolean kept = k.equals(DEFAULT) ? valid(v) : k.startsWith(TOKEN) && valid(k.substring(TOKEN.length()))
            && ApiTokens.wellFormed(v);
        if (kept) {
          entries.put(k, v);
        }
      });
    }
    entries.put(TOKEN + user, token);
    if (makeDefault || !entries.containsKey(DEFAULT)) {
      entries.put(DEFAULT, user);
    }
    write(entries);
  }

  private static boolean valid(String name) {
    try {
      Names.user(name);
      return true;
    } catch (BadInputException e) {
      return false;
    }
  }

  private Map<String, String> load() {
    checkOwnerOnly();
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new BadInputException("cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
    Map<String, String> out = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> out.put(k.strip(), p.getProperty(k).strip()));
    return out;
  }

  private void checkOwnerOnly() {
    try {
      OwnerOnly.modeOpenToOthers(file).ifPresent(mode -> {
        throw new BadInputException(file + " may be read or changed by others (mode " + mode + "); its tokens are "
            + "refused: run chmod 600 " + file + ", and revoke the tokens if others could read them");
      });
    } catch (IOException e) {
      throw new BadInputException("cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
    // Whoever owns the file, or may replace it in its folder, chooses whose tokens this user's commands run with (a
    // probe's file owned by another user, and one in a world-writable folder, were taken), as sshd refuses such keys.
    try {
      Object owner = Files.getAttribute(file, "unix:uid");
      long self = new com.sun.security.auth.module.UnixSystem().getUid();
      if (owner instanceof Integer uid && uid != self) {
        throw new BadInputException(file + " belongs to another user (uid " + uid + ", this process runs as uid " + self
            + "); its tokens are refused: the credentials file must be the user's own");
      }
      Set<PosixFilePermission> folder = Files.getPosixFilePermissions(file.getParent());
      if (folder.contains(PosixFilePermission.GROUP_WRITE) || folder.contains(PosixFilePermission.OTHERS_WRITE)) {
        throw new BadInputException(file.getParent() + " may be changed by others (mode "
            + PosixFilePermissions.toString(folder) + "), who could put their own credentials file there; its tokens"
            + " are refused: run chmod 700 " + file.getParent());
      }
    } catch (UnsupportedOperationException | IllegalArgumentException notUnix) {
      // no owner ids here: the modes above are what can be checked
    } catch (IOException e) {
      throw new BadInputException("cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** The file's folder, made owner-only (created when missing). */
  private Path ownerOnlyFolder() throws IOException {
    Path dir = file.getParent();
    Files.createDirectories(dir);
    try {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException notPosix) {
      // not a POSIX file system
    }
    return dir;
  }

  /** Writes a new file beside the old one, owner-only from its creation, and moves it into place. */
  private void write(Map<String, String> entries) {
    try {
      Path dir = ownerOnlyFolder();
      Path tmp;
      try {
        tmp = Files.createTempFile(dir, "credentials", ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        tmp = Files.createTempFile(dir, "credentials", ".tmp");
      }
      try {
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
          w.write("# API tokens of dataops users (keep this file private: chmod 600).\n");
          for (Map.Entry<String, String> e : entries.entrySet()) {
            w.write(e.getKey() + " = " + e.getValue() + "\n");
          }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
