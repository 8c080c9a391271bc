package io.dataops.pipelines.privacy;

import io.dataops.core.sort.LongRecords;
import io.dataops.core.sort.RecordSort;
import io.dataops.core.sort.RunMerge;
import io.dataops.core.sort.SpillRuns;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The leak check's candidates once they outgrow memory, and their exact confirmation by a sort-merge: candidates go to
 * sorted runs of (h1, h2, column &lt;&lt; 1 | rebuilt) through core's external sort ({@link SpillRuns}, {@link
 * RecordSort}, {@link RunMerge}), in a folder private to the check; their hashes also go into a small filter of their
 * own. The hashes of every raw value then stream past once: those that hit that filter (the true matches and a few
 * chance ones) are kept, sorted and spilled the same way, and one merge of both sides settles every candidate. The
 * files hold hashes only, never a value (the output values' texts are not kept at all). Memory: a run's buffer
 * ({@code perRun} records, both sides) and the filter (at most 16 MB), whatever the number of candidates or raw values.
 * Not thread-safe (the check holds its candidates' lock around every call).
 */
final class SpilledCandidates implements AutoCloseable {
  static final int STRIDE = 3;
  /** By hash, h1 then h2 (signed, as {@link #byHash} orders them). */
  private static final Comparator<LongRecords> BY_HASH = (a, b) -> {
    int c = Long.compare(a.record[0], b.record[0]);
    return c != 0 ? c : Long.compare(a.record[1], b.record[1]);
  };

  private final SpillRuns runs;
  private final SpillRuns rawRuns;
  private final int perRun;
  private final LeakFilter hashes;
  private long count;
  private long[] raw;
  private int rawN;
  private boolean confirming;

  /**
   * @param dir the check's private folder (created owner-only with the first run)
   * @param perRun records a run holds in memory before it is written
   */
  SpilledCandidates(Path dir, int perRun) {
    this.runs = new SpillRuns(dir, "candidates-");
    this.rawRuns = new SpillRuns(dir, "raw-hits-");
    this.perRun = perRun;
    this.hashes = new LeakFilter(8L * perRun, 16L << 20);
  }

  /** Candidates written so far. */
  long count() {
    return count;
  }

  /** Sorts the first {@code n} records of {@code records} (in place) and writes them as a run. */
  void spill(long[] records, int n) {
    if (confirming) {
      throw new IllegalStateException("candidates after the confirmation began");
    }
    if (n == 0) {
      return;
    }
    long[] sorted = byHash(records, n, STRIDE);
    for (int i = 0; i < n; i++) {
      hashes.insert(sorted[STRIDE * i], sorted[STRIDE * i + 1]);
    }
    runs.write(out -> LongRecords.write(out, sorted, n, STRIDE));
    count += n;
  }

  /** The hash of a raw value (every one, any order, repeats allowed): kept when it may equal a candidate's. */
  void rawHash(long h1, long h2) {
    confirming = true;
    if (!hashes.mightContain(h1, h2)) {
      return;
    }
    if (raw == null) {
      raw = new long[2 * perRun];
    }
    raw[2 * rawN] = h1;
    raw[2 * rawN + 1] = h2;
    if (++rawN == perRun) {
      spillRaw();
    }
  }

  private void spillRaw() {
    int n = sortDistinct(raw, rawN);
    rawRuns.write(out -> LongRecords.write(out, raw, n, 2));
    rawN = 0;
  }

  /**
   * Counts the candidates per column into {@code equal} and {@code fromRebuild}: those a raw hash confirmed, or every
   * one when {@code confirmedOnly} is false (an unconfirmed candidate counts as a leak).
   */
  void count(long[] equal, long[] fromRebuild, boolean confirmedOnly) {
    List<LongRecords> rawSources = new ArrayList<>();
    try (RunMerge<LongRecords> candidates = new RunMerge<>(open(runs, STRIDE), BY_HASH)) {
      if (confirmedOnly) {
        if (rawN > 0) {
          spillRaw();
        }
        rawSources.addAll(open(rawRuns, 2));
      }
      try (RunMerge<LongRecords> raws = new RunMerge<>(rawSources, BY_HASH)) {
        for (LongRecords c = candidates.next(); c != null; c = candidates.next()) {
          long h1 = c.record[0];
          long h2 = c.record[1];
          boolean hit = !confirmedOnly;
          if (confirmedOnly) {
            LongRecords r = raws.peek();
            while (r != null && (r.record[0] < h1 || r.record[0] == h1 && r.record[1] < h2)) {
              raws.next();
              r = raws.peek();
            }
            hit = r != null && r.record[0] == h1 && r.record[1] == h2;
          }
          if (hit) {
            long meta = c.record[2];
            ((meta & 1) != 0 ? fromRebuild : equal)[(int) (meta >>> 1)]++;
          }
        }
      }
    }
  }

  /** Receives records in hash order. */
  interface RecordSink {
    void accept(long h1, long h2, long meta) throws IOException;
  }

  /** Every candidate, in hash order (merged from the runs). */
  void forEach(RecordSink sink) throws IOException {
    try (RunMerge<LongRecords> candidates = new RunMerge<>(open(runs, STRIDE), BY_HASH)) {
      for (LongRecords c = candidates.next(); c != null; c = candidates.next()) {
        sink.accept(c.record[0], c.record[1], c.record[2]);
      }
    }
  }

  private static List<LongRecords> open(SpillRuns runs, int stride) {
    List<LongRecords> sources = new ArrayList<>();
    try {
      for (Path run : runs.files()) {
        sources.add(LongRecords.read(run, stride));
      }
    } catch (IOException e) {
      sources.forEach(LongRecords::close);
      throw new UncheckedIOException("cannot read the leak check's spilled candidates", e);
    }
    return sources;
  }

  /**
   * The first {@code n} records of {@code a} ({@code stride} longs each, starting h1, h2) in hash order, in a new
   * array: two stable radix passes of core's sort (by h2, then by h1), so that repeats — one output value in a million
   * rows, one raw birth date among thousands of people — cost what distinct hashes cost. (The in-place quicksort
   * takes quadratic time on a run of equal keys: a 20M-row run's write step spent half an hour in it.)
   */
  static long[] byHash(long[] a, int n, int stride) {
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      keys[i] = a[stride * i + 1];
    }
    int[] byH2 = RecordSort.radixOrder(keys, n);
    for (int i = 0; i < n; i++) {
      keys[i] = a[stride * byH2[i]];
    }
    int[] byH1 = RecordSort.radixOrder(keys, n);
    long[] out = new long[n * stride];
    for (int i = 0; i < n; i++) {
      System.arraycopy(a, stride * byH2[byH1[i]], out, stride * i, stride);
    }
    return out;
  }

  /** Sorts the first {@code n} (h1, h2) pairs and drops repeats, in place; returns how many are left. */
  private static int sortDistinct(long[] pairs, int n) {
    System.arraycopy(byHash(pairs, n, 2), 0, pairs, 0, 2 * n);
    int m = 0;
    for (int i = 0; i < n; i++) {
      if (m == 0 || pairs[2 * m - 2] != pairs[2 * i] || pairs[2 * m - 1] != pairs[2 * i + 1]) {
        pairs[2 * m] = pairs[2 * i];
        pairs[2 * m + 1] = pairs[2 * i + 1];
        m++;
      }
    }
    return m;
  }

  /** Deletes every run. */
  @Override
  public void close() {
    runs.close();
    rawRuns.close();
  }
}
