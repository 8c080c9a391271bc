package io.dataops.core.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

/**
 * A lock one process holds on a file while it does what no other process may do at the same time (a pipeline run).
 * The operating system releases it when the process ends, even by SIGKILL, so a later process can tell a holder that
 * is gone from one that still works. The file names the holder (its pid and start), for messages. Another thread of
 * the same process asking for a lock it holds is refused too. A holder may remove the file as it ends ({@link
 * #closeRemoving}): a process that opened the file before it went finds it marked removed once it gets the lock on it,
 * and takes the lock on the file of that name instead, so that it never holds a lock beside the next holder's.
 */
public final class ProcessLock implements AutoCloseable {
  /** What a removed lock file holds: its last holder wrote it before removing the file, then released the lock. */
  private static final byte[] REMOVED = "removed".getBytes(StandardCharsets.UTF_8);

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private ProcessLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock on {@code file} (made owner-only if missing), or empty while another holds it. */
  public static Optional<ProcessLock> tryTake(Path file) throws IOException {
    while (true) {
      if (!Files.exists(file)) {
        try {
          OwnerOnly.createFile(file);
        } catch (FileAlreadyExistsException raced) {
          // another process made it a moment ago: the lock decides
        }
      }
      FileChannel channel;
      try {
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      } catch (java.nio.file.NoSuchFileException removedMeanwhile) {
        continue; // its holder removed it as it ended: make it again
      }
      Optional<ProcessLock> taken = lock(file, channel);
      if (taken != null) {
        return taken;
      }
    }
  }

  /**
   * The lock on the file {@code channel} opened, or empty while another holds it; null when the file was removed by
   * its holder since it was opened (the lock is then to be taken on the file of that name, made again).
   */
  static Optional<ProcessLock> lock(Path file, FileChannel channel) throws IOException {
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException inThisProcess) {
      lock = null;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      return Optional.empty();
    }
    try {
      ByteBuffer last = ByteBuffer.allocate(REMOVED.length + 1);
      channel.read(last, 0);
      if (java.util.Arrays.equals(java.util.Arrays.copyOf(last.array(), last.position()), REMOVED)) {
        lock.release();
        channel.close();
        return null;
      }
      ProcessHandle self = ProcessHandle.current();
      byte[] who = (self.pid() + " " + self.info().startInstant().map(Instant::toString).orElse("?"))
          .getBytes(StandardCharsets.UTF_8);
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(who), 0);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    return Optional.of(new ProcessLock(file, channel, lock));
  }

  /** Who holds the lock on {@code file}, as a message says it: "process 4711", or "another process". */
  public static String holder(Path file) {
    try {
      String pid = Files.readString(file).trim().split(" ")[0];
      return pid.matches("\\d{1,10}") ? "process " + pid : "another process";
    } catch (IOException unreadable) { // gone with its holder, or not written yet
      return "another process";
    }
  }

  /**
   * Releases the lock and removes its file (nothing is left of a run that ended): the file is marked removed first,
   * for a process that opened it before it went and gets the lock on it once released.
   */
  public void closeRemoving() throws IOException {
    try {
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(REMOVED), 0);
      Files.deleteIfExists(file);
    } finally {
      close();
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
