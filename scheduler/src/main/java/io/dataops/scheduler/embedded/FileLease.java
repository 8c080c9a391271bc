package io.dataops.scheduler.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lease as an operating-system lock on a file beside an embedded (SQLite) database: released by the kernel the
 * moment its holder dies, so a restart after kill -9 takes over at once, and renewing it writes nothing. (A lease
 * renewed by writing to SQLite every tick would collide with a running job's transactions: SQLite's WAL refuses a
 * read transaction's upgrade to a write after another connection wrote, SQLITE_BUSY_SNAPSHOT.)
 *
 * <p>The lock is on the file's inode, not its name: a lock file removed (or replaced) by hand leaves its holder
 * locking an inode no other scheduler opens, and the next one locks a new file. Each renewal therefore checks that
 * the name still leads to the inode locked, and gives the lease up when it does not (found by a probe: two schedulers
 * ran at once, and one run was executed twice at the same time).
 */
public final class FileLease implements SchedulerLease {
  private static final Logger LOG = LoggerFactory.getLogger(FileLease.class);
  private final Path file;
  private FileChannel channel;
  /** The identity (inode and device, where the platform has one) of the file {@link #channel} was opened on. */
  private Object opened;
  private FileLock lock;
  private String owner;

  public FileLease(Path file) {
    this.file = file;
  }

  @Override
  public synchronized boolean acquire(String owner, long now) {
    if (lock != null && lock.isValid()) {
      if (Objects.equals(key(), opened)) {
        return true;
      }
      LOG.error("the scheduler lock file {} was removed or replaced while {} held its lock: giving the lease up (another"
          + " scheduler may have locked the new file)", file, owner);
      release(owner);
      return false;
    }
    try {
      if (channel == null) {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        opened = key();
      }
      lock = channel.tryLock();
      if (lock == null) {
        return false;
      }
      if (opened == null || !opened.equals(key())) {
        // removed or replaced while this one waited on it: its lock (released by the holder that noticed) is on a
        // name no longer there; the file at the name is opened afresh next time
        release(owner);
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
   * The identity of the file at the name now (stat: no descriptor is opened, so no lock of this process is dropped),
   * or null when there is none. A platform without file keys gives a constant: the check then passes, as before.
   */
  private Object key() {
    try {
      Object key = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
      return key == null ? Boolean.TRUE : key;
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
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
        opened = null;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unlock " + file, e);
    }
  }
}
