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
 * the same process asking for a lock it holds is refused too.
 */
public final class ProcessLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private ProcessLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock on {@code file} (made owner-only if missing), or empty while another holds it. */
  public static Optional<ProcessLock> tryTake(Path file) throws IOException {
    if (!Files.exists(file)) {
      try {
        OwnerOnly.createFile(file);
      } catch (FileAlreadyExistsException raced) {
        // another process made it a moment ago: the lock decides
      }
    }
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
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
    ProcessHandle self = ProcessHandle.current();
    byte[] who = (self.pid() + " " + self.info().startInstant().map(Instant::toString).orElse("?"))
        .getBytes(StandardCharsets.UTF_8);
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(who), 0);
    return Optional.of(new ProcessLock(channel, lock));
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

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
