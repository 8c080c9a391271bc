package io.dataops.jobs.flink.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * The states a run's tasks and its client hand each other (partial class counts, leak filter parts, the verdict, the
 * merged filter, the candidates' hashes): files in one folder of the warehouse, written and read through Iceberg's
 * FileIO, so that tasks on other machines reach them as they reach the data (a local folder or S3 alike). They hold
 * hashes and counts, never a value; the folder (outside every table's) is removed when the run ends.
 */
final class RunScratch implements Serializable {
  private static final long serialVersionUID = 1L;

  private final FileIO io;
  private final String folder;
  private final List<String> written = new ArrayList<>();

  RunScratch(FileIO io, String folder) {
    this.io = io;
    this.folder = folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder;
  }

  /** The location of a file of this run. */
  String location(String name) {
    return folder + "/" + name;
  }

  /** Writes a file of this run (replacing one of the same name). */
  OutputStream create(String name) {
    String location = location(name);
    synchronized (written) {
      written.add(location);
    }
    return io.newOutputFile(location).createOrOverwrite();
  }

  InputStream open(String location) {
    return io.newInputFile(location).newStream();
  }

  byte[] read(String location) {
    try (InputStream in = open(location)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the run's state " + location, e);
    }
  }

  void write(String name, byte[] bytes) {
    try (OutputStream out = create(name)) {
      out.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the run's state " + name, e);
    }
  }

  /** Results larger than this go to a file of the run, not through an accumulator (the cluster's RPC frames). */
  static final int ACCUMULATOR_BYTES = 256 << 10;

  /**
   * A task's result as an accumulator carries it: the bytes themselves when they are small, else (a flag byte, then)
   * the location of a file of this run holding them; {@link #large} reads either.
   */
  static byte[] small(RunScratch scratch, String what, org.apache.flink.api.common.TaskInfo task, byte[] bytes) {
    byte[] out;
    if (bytes.length <= ACCUMULATOR_BYTES) {
      out = new byte[bytes.length + 1];
      System.arraycopy(bytes, 0, out, 1, bytes.length);
      return out;
    }
    String name = what + "-" + task.getIndexOfThisSubtask() + "-" + task.getAttemptNumber() + ".bin";
    scratch.write(name, bytes);
    return located(scratch.location(name));
  }

  /** What an accumulator carries for a result written to a file of this run (as {@link #small} does a large one). */
  static byte[] located(String location) {
    byte[] bytes = location.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] out = new byte[bytes.length + 1];
    out[0] = 1;
    System.arraycopy(bytes, 0, out, 1, bytes.length);
    return out;
  }

  /** The bytes {@link #small} carried. */
  byte[] large(byte[] carried) {
    byte[] rest = java.util.Arrays.copyOfRange(carried, 1, carried.length);
    return carried[0] == 0 ? rest : read(new String(rest, java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The same, streamed from its file when it has one (a result too large to hold, e.g. spilled leak findings). */
  InputStream stream(byte[] carried) {
    byte[] rest = java.util.Arrays.copyOfRange(carried, 1, carried.length);
    return carried[0] == 0 ? new java.io.ByteArrayInputStream(rest)
        : open(new String(rest, java.nio.charset.StandardCharsets.UTF_8));
  }

  /** A location as a plain path where it is local ({@code file:///a/b} and {@code file:/a/b} are {@code /a/b}). */
  static String path(String location) {
    return location.replaceFirst("^file:/+", "/");
  }

  /** Removes the folder: everything in it, whoever wrote it. */
  void clear() {
    List<String> files;
    synchronized (written) {
      files = new ArrayList<>(written);
      written.clear();
    }
    remove(io, folder, files, f -> false);
  }

  /**
   * Removes the files in {@code folder} (as listed, and {@code known} ones a listing may miss) but those {@code keep}
   * holds, then the folder and its parent when they are local and empty.
   */
  static void remove(FileIO io, String folder, List<String> known, java.util.function.Predicate<String> keep) {
    java.util.Set<String> files = new java.util.LinkedHashSet<>(known);
    if (io instanceof SupportsPrefixOperations prefixed) {
      try {
        for (FileInfo f : prefixed.listPrefix(folder + "/")) {
          files.add(f.location());
        }
      } catch (RuntimeException notThere) {
        // nothing was written yet
      }
    }
    for (String f : files) {
      if (keep.test(f) || keep.test(path(f))) {
        continue;
      }
      try {
        io.deleteFile(f);
      } catch (RuntimeException ignored) {
        // already gone
      }
    }
    if (folder.startsWith("file:") || folder.startsWith("/")) {
      try {
        java.nio.file.Path dir = java.nio.file.Path.of(java.net.URI.create(folder.startsWith("/") ? "file://" + folder
            : folder.startsWith("file:/") && !folder.startsWith("file://") ? "file://" + folder.substring(5) : folder));
        java.nio.file.Files.deleteIfExists(dir);
        java.nio.file.Files.deleteIfExists(dir.getParent());
      } catch (IOException | RuntimeException ignored) {
        // not empty (another attempt of the run, kept files) or not a local folder
      }
    }
  }
}
