package io.dataops.core.sort;

import io.dataops.core.files.OwnerOnly;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The sorted runs an external sort spilled: owner-only scratch files in one folder (the rows they come from may be
 * personal data), created, handed between sorts and deleted here — on {@link #close}, and at once when writing one
 * fails. Part of the one external sort of the platform, with {@link RecordSort} (the in-memory sort up to a budget)
 * and {@link RunMerge} (the k-way merge): the quality engine's exact grouping and the privacy check's class counts
 * keep their own record layout and use these three. It lives in core because it knows bytes and longs, no domain
 * object, and both users depend on core; lakehouse would bring Iceberg to a sort for nothing. Not thread-safe.
 */
public final class SpillRuns implements AutoCloseable {
  /** Writes one run's records. */
  public interface Writer {
    void write(DataOutputStream out) throws IOException;
  }

  private final Path dir;
  private final String prefix;
  private final List<Path> files = new ArrayList<>();

  /** Runs in {@code dir} (created owner-only when the first run is written), named {@code prefix*.run}. */
  public SpillRuns(Path dir, String prefix) {
    this.dir = dir;
    this.prefix = prefix;
  }

  /** A new empty run file, kept here (so deleted with the others); write it through {@link #output}. */
  public Path create() {
    try {
      OwnerOnly.directories(dir);
      // createTempFile makes the file 0600 on POSIX: owner-only like the folder.
      Path run = Files.createTempFile(dir, prefix, ".run");
      files.add(run);
      return run;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot spill to " + dir, e);
    }
  }

  /** Writes a run and keeps it; a run that fails half-written is deleted before the failure is thrown. */
  public Path write(Writer writer) {
    Path run = create();
    try (DataOutputStream out = output(run)) {
      writer.write(out);
    } catch (IOException | RuntimeException e) {
      delete(run);
      throw e instanceof IOException io ? new UncheckedIOException("cannot spill to " + dir, io) : (RuntimeException) e;
    }
    return run;
  }

  public static DataOutputStream output(Path run) throws IOException {
    return new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(run), 1 << 16));
  }

  public static DataInputStream input(Path run) throws IOException {
    return new DataInputStream(new BufferedInputStream(Files.newInputStream(run), 1 << 16));
  }

  /** The runs, oldest first. */
  public List<Path> files() {
    return Collections.unmodifiableList(files);
  }

  public boolean isEmpty() {
    return files.isEmpty();
  }

  public int size() {
    return files.size();
  }

  /** Takes over {@code other}'s runs without reading them; {@code other} is left without runs. */
  public void adopt(SpillRuns other) {
    files.addAll(other.files);
    other.files.clear();
  }

  /** Deletes one run (read to its end, or merged into another). */
  public void delete(Path run) {
    files.remove(run);
    deleteQuietly(run);
  }

  /** Deletes every run. */
  @Override
  public void close() {
    for (Path run : files) {
      deleteQuietly(run);
    }
    files.clear();
  }

  /** Closes a run being read: reading is over, whatever closing says. */
  static void closeQuietly(java.io.Closeable in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // nothing was written through it
    }
  }

  private static void deleteQuietly(Path run) {
    try {
      Files.deleteIfExists(run);
    } catch (IOException ignored) {
      // scratch space in the run's own folder, which its owner removes as a whole too
    }
  }
}
