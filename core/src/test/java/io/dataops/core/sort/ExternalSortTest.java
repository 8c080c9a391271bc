package io.dataops.core.sort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sorting in memory, spilling runs and merging them gives what one sort of everything in memory gives. */
class ExternalSortTest {
  @TempDir Path dir;

  private static final int STRIDE = 3;
  private static final int[] KEY = {0, 2};

  @Test
  void spilledRunsMergeToTheInMemoryOrder() throws IOException {
    SplittableRandom r = new SplittableRandom(7);
    int n = 10_000;
    long[] all = new long[n * STRIDE];
    for (int i = 0; i < all.length; i++) {
      all[i] = r.nextInt(50) - 25; // many equal keys, negative ones too
    }
    long[] expected = all.clone();
    RecordSort.strided(expected, n, STRIDE, KEY);
    for (int i = 1; i < n; i++) {
      assertThat(RecordSort.compare(expected, (i - 1) * STRIDE, expected, i * STRIDE, KEY)).isLessThanOrEqualTo(0);
    }
    assertThat(sum(expected)).as("a permutation of the records").isEqualTo(sum(all));

    // A budget of 700 records: 14 runs spilled, the last one kept in memory.
    int budget = 700;
    Path runsDir = dir.resolve("runs");
    List<LongRecords> sources = new ArrayList<>();
    try (SpillRuns runs = new SpillRuns(runsDir, "test-")) {
      for (int from = 0; from < n; from += budget) {
        int count = Math.min(budget, n - from);
        long[] chunk = Arrays.copyOfRange(all, from * STRIDE, (from + count) * STRIDE);
        RecordSort.strided(chunk, count, STRIDE, KEY);
        if (from + count < n) {
          runs.write(out -> LongRecords.write(out, chunk, count, STRIDE));
        } else {
          sources.add(LongRecords.of(chunk, count, STRIDE));
        }
      }
      assertThat(runs.size()).isEqualTo(14);
      if (Files.getFileAttributeView(runsDir, java.nio.file.attribute.PosixFileAttributeView.class) != null) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(runs.files().get(0))))
            .isEqualTo("rw-------");
      }
      for (Path run : runs.files()) {
        sources.add(LongRecords.read(run, STRIDE));
      }
      long[] merged = new long[n * STRIDE];
      int m = 0;
      try (RunMerge<LongRecords> merge = new RunMerge<>(sources,
          (a, b) -> RecordSort.compare(a.record, 0, b.record, 0, KEY))) {
        for (LongRecords s = merge.next(); s != null; s = merge.next()) {
          System.arraycopy(s.record, 0, merged, m++ * STRIDE, STRIDE);
        }
      }
      assertThat(m).isEqualTo(n);
      for (int i = 0; i < n; i++) {
        assertThat(RecordSort.compare(merged, i * STRIDE, expected, i * STRIDE, KEY)).as("record " + i).isZero();
      }
      assertThat(sum(merged)).isEqualTo(sum(all));
    }
    try (var left = Files.list(runsDir)) {
      assertThat(left).as("closing deletes the runs").isEmpty();
    }
  }

  @Test
  void keyedRunsSkipUnwantedKeysAndMergeByKey() throws IOException {
    SplittableRandom r = new SplittableRandom(3);
    List<long[]> written = new ArrayList<>();
    try (SpillRuns runs = new SpillRuns(dir, "keyed-")) {
      for (int run = 0; run < 5; run++) {
        long[] keys = new long[400];
        for (int i = 0; i < keys.length; i++) {
          keys[i] = r.nextLong() % 1000;
        }
        int[] order = RecordSort.radixOrder(keys, keys.length);
        runs.write(out -> {
          for (int idx : order) {
            byte[] payload = Long.toString(keys[idx]).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            KeyedRecords.write(out, keys[idx], payload, 0, payload.length);
          }
        });
        written.add(keys);
      }
      List<KeyedRecords> sources = new ArrayList<>();
      for (Path p : runs.files()) {
        sources.add(KeyedRecords.read(p, k -> k % 2 == 0));
      }
      long[] expected = written.stream().flatMapToLong(Arrays::stream).filter(k -> k % 2 == 0).sorted().toArray();
      List<Long> got = new ArrayList<>();
      try (RunMerge<KeyedRecords> merge = new RunMerge<>(sources, Comparator.comparingLong(s -> s.key))) {
        for (KeyedRecords s = merge.next(); s != null; s = merge.next()) {
          assertThat(new String(s.buf, s.offset, s.length, java.nio.charset.StandardCharsets.UTF_8))
              .isEqualTo(Long.toString(s.key));
          got.add(s.key);
        }
      }
      assertThat(got).containsExactly(Arrays.stream(expected).boxed().toArray(Long[]::new));
    }
    try (var left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void spreadSortGivesTheSortedKeysInBlocksAndConsumesTheChunks() {
    SplittableRandom r = new SplittableRandom(11);
    for (int n : new int[] {0, 1, 5_000, 16_384, 16_385, 300_001, 1_200_000}) {
      List<long[]> chunks = new ArrayList<>();
      List<Long> all = new ArrayList<>();
      for (int left = n; left > 0; ) {
        int size = Math.min(left, 1 + r.nextInt(200_000)); // uneven chunks, as kept hashes grow and merge
        long[] c = new long[size];
        for (int i = 0; i < size; i++) {
          // Mostly spread hashes; some repeated, some clustered, some at the extremes (the sign bit must sort first).
          c[i] = switch (r.nextInt(20)) {
            case 0 -> r.nextInt(50) - 25;
            // Clustered: the same high bits, differing only low down (one crowded sub-bucket of a bucket).
            case 3 -> 0x1234_5000_0000_0000L + r.nextInt(1 << 20);
            case 1 -> Long.MIN_VALUE + r.nextInt(3);
            case 2 -> Long.MAX_VALUE - r.nextInt(3);
            default -> r.nextLong();
          };
          all.add(c[i]);
        }
        chunks.add(c);
        left -= size;
      }
      long[] expected = all.stream().mapToLong(Long::longValue).sorted().toArray();
      long[] got = new long[n];
      int[] filled = {0};
      RecordSort.sortSpread(chunks, (keys, from, to) -> {
        System.arraycopy(keys, from, got, filled[0], to - from);
        filled[0] += to - from;
      });
      assertThat(filled[0]).as("n " + n).isEqualTo(n);
      assertThat(got).as("n " + n).isEqualTo(expected);
      assertThat(chunks).as("every chunk is dropped once read").allMatch(c -> c == null);
    }
  }

  @Test
  void keyedRecordsWrittenInBlocksReadBackWholeOrSkipped() throws IOException {
    SplittableRandom r = new SplittableRandom(5);
    List<byte[]> payloads = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      // Records around and across the 64 KB block, a huge one larger than it, and empty ones.
      int len = i == 100 ? 300_000 : i % 97 == 0 ? 0 : 1 + r.nextInt(i % 10 == 0 ? 70_000 : 40);
      byte[] p = new byte[len];
      r.nextBytes(p);
      payloads.add(p);
    }
    try (SpillRuns runs = new SpillRuns(dir, "blocks-")) {
      Path run = runs.write(out -> {
        KeyedRecords.Writer w = new KeyedRecords.Writer(out);
        for (int i = 0; i < payloads.size(); i++) {
          w.write(i, payloads.get(i), 0, payloads.get(i).length);
        }
        w.flush();
      });
      for (int step : new int[] {1, 3}) {
        KeyedRecords in = KeyedRecords.read(run, k -> k % step == 0);
        int expect = 0;
        while (in.advance()) {
          assertThat(in.key).isEqualTo(expect);
          assertThat(Arrays.copyOfRange(in.buf, in.offset, in.offset + in.length)).isEqualTo(payloads.get(expect));
          expect += step;
        }
        in.close();
        assertThat(expect).isGreaterThanOrEqualTo(payloads.size());
      }
    }
  }

  @Test
  void radixOrderIsAStableSignedSort() {
    long[] keys = {5, -1, Long.MIN_VALUE, 5, Long.MAX_VALUE, 0, -1};
    assertThat(RecordSort.radixOrder(keys, keys.length)).containsExactly(2, 1, 6, 5, 0, 3, 4);
  }

  @Test
  void aRunThatFailsHalfWrittenIsDeleted() throws IOException {
    try (SpillRuns runs = new SpillRuns(dir, "failing-")) {
      assertThatThrownBy(() -> runs.write(out -> {
        out.writeLong(1);
        throw new IOException("disk full");
      })).hasMessageContaining("cannot spill to").hasRootCauseMessage("disk full");
      assertThat(runs.isEmpty()).isTrue();
      try (var left = Files.list(dir)) {
        assertThat(left).isEmpty();
      }
    }
  }

  private static long sum(long[] a) {
    long s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * (i % STRIDE + 1) * 31;
    }
    return s;
  }
}
