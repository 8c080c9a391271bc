package io.dataops.scheduler.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The lease as an operating-system lock on a file beside an embedded (SQLite) database: released by the kernel the
 * moment its holder dies, so a restart after kill -9 takes over at once, and renewing it writes nothing. (A lease
 * renewed by writing to SQLite every tick would collide with a running job's transactions: SQLite's WAL refuses a
 * read transaction's upgrade to a write after another connection wrote, SQLITE_BUSY_SNAPSHOT.)
 */
public final class FileLease implements SchedulerLease {
  private final Path file;
  private FileChannel channel;
  private FileLock lock;
  private String owner;

  public FileLease(Path file) {
    this.file = file;
  }

  @Override
  public synchronized boolean acquire(String owner, long now) {
    if (lock != null && lock.isValid()) {
      return true;
    }
    try {
      if (channel == null) {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      }
      lock = channel.tryLock();
      if (lock == null) {
        return false;
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(owner.getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(false);
      this.owner = owner;
      return true;
    } catch (OverlappingFileLockException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + file, e);
    }
  }

  /**
   * Who holds it, or null. Not read while this process holds the lock: POSIX drops a process's lock on a file when
   * the process closes any descriptor of that file, so the file is opened here only when the lock is not ours.
   */
  @Override
  public synchronized String holder() {
    if (lock != null && lock.isValid()) {
      return owner;
    }
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : null;
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public synchronized void release(String owner) {
    try {
      if (lock != null) {
        lock.release();
        lock = null;
      }
      if (channel != null) {
        channel.close();
        channel = null;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unlock " + file, e);
    }
  }
}
