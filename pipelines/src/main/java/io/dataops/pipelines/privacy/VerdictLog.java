package io.dataops.pipelines.privacy;

import io.dataops.core.files.OwnerOnly;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * The verdict of every class, appended in hash order: held in memory while it fits the budget (16 bytes and a bit per
 * class), else written to a scratch file. {@link #select} then loads only the kept or only the suppressed classes.
 */
final class VerdictLog implements AutoCloseable {
  private final Path dir;
  private final long maxInMemory;
  private AnonymityCheck.LongPairs pairs = new AnonymityCheck.LongPairs();
  private final BitSet kept = new BitSet();
  private Path file;
  private DataOutputStream out;
  private long spilled;

  VerdictLog(Path dir, long memoryBudget) {
    this.dir = dir;
    this.maxInMemory = Math.max(1024, memoryBudget / 17);
  }

  void add(long h1, long h2, boolean isKept) {
    try {
      if (out == null && pairs.size() >= maxInMemory) {
        OwnerOnly.directories(dir);
        file = Files.createTempFile(dir, "verdicts-", ".bin");
        out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
        for (int i = 0; i < pairs.size(); i++) {
          write(pairs.a[2 * i], pairs.a[2 * i + 1], kept.get(i));
        }
        pairs = new AnonymityCheck.LongPairs();
        kept.clear();
      }
      if (out != null) {
        write(h1, h2, isKept);
      } else {
        kept.set(pairs.size(), isKept);
        pairs.add(h1, h2);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write class verdicts to " + dir, e);
    }
  }

  private void write(long h1, long h2, boolean isKept) throws IOException {
    out.writeLong(h1);
    out.writeLong(h2);
    out.writeBoolean(isKept);
    spilled += 17;
  }

  long spilledBytes() {
    return spilled;
  }

  /** The classes whose verdict is {@code keptOnes}, in hash order. */
  AnonymityCheck.LongPairs select(boolean keptOnes) {
    AnonymityCheck.LongPairs selected = new AnonymityCheck.LongPairs();
    if (out == null) {
      for (int i = 0; i < pairs.size(); i++) {
        if (kept.get(i) == keptOnes) {
          selected.add(pairs.a[2 * i], pairs.a[2 * i + 1]);
        }
      }
      return selected;
    }
    try {
      out.close();
      out = null;
      try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
        long records = Files.size(file) / 17;
        for (long i = 0; i < records; i++) {
          long h1 = in.readLong();
          long h2 = in.readLong();
          if (in.readBoolean() == keptOnes) {
            selected.add(h1, h2);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return selected;
  }

  @Override
  public void close() {
    try {
      if (out != null) {
        out.close();
      }
      if (file != null) {
        Files.deleteIfExists(file);
      }
    } catch (IOException ignored) {
      // scratch space
    }
  }
}
