package io.dataops.core.sort;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A sorted run of fixed-width records of {@code stride} longs, read a record at a time into {@link #record}: from an
 * array (a run still in memory) or from a spilled file ({@link #write} wrote it: the longs, nothing else).
 */
public abstract class LongRecords implements RunMerge.Source {
  public final long[] record;

  private LongRecords(int stride) {
    this.record = new long[stride];
  }

  /** The first {@code n} records of {@code a}. */
  public static LongRecords of(long[] a, int n, int stride) {
    return new LongRecords(stride) {
      private int next;

      @Override
      public boolean advance() {
        if (next == n) {
          return false;
        }
        System.arraycopy(a, next++ * stride, record, 0, stride);
        return true;
      }
    };
  }

  /** The records of a run file. */
  public static LongRecords read(Path run, int stride) throws IOException {
    long count = Files.size(run) / (8L * stride);
    DataInputStream in = SpillRuns.input(run);
    return new LongRecords(stride) {
      private long left = count;

      @Override
      public boolean advance() throws IOException {
        if (left == 0) {
          close();
          return false;
        }
        left--;
        for (int i = 0; i < stride; i++) {
          record[i] = in.readLong();
        }
        return true;
      }

      @Override
      public void close() {
        SpillRuns.closeQuietly(in);
      }
    };
  }

  /** Writes the first {@code n} records of {@code a} as a run. */
  public static void write(DataOutputStream out, long[] a, int n, int stride) throws IOException {
    for (int i = 0; i < n * stride; i++) {
      out.writeLong(a[i]);
    }
  }
}
