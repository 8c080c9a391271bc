package io.dataops.quality.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exact grouping in bounded memory: the same answer as a hash map, however small the budget. */
class SortedValueRecordsTest {
  @TempDir Path dir;

  @Test
  void groupsExactlyWhateverTheBudgetAndHashCollisions() throws Exception {
    for (long budget : new long[] {1L << 30, 200_000, 70_000}) {
      SortedValueRecords a = new SortedValueRecords(dir.resolve("a" + budget), budget);
      SortedValueRecords b = new SortedValueRecords(dir.resolve("b" + budget), budget);
      Map<String, Integer> truth = new HashMap<>();
      SplittableRandom r = new SplittableRandom(budget);
      for (int i = 0; i < 60_000; i++) {
        String v = "v" + r.nextInt(40_000);
        truth.merge(v, 1, Integer::sum);
        byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
        byte[] loc = ("k" + i).getBytes(StandardCharsets.UTF_8);
        (i % 2 == 0 ? a : b).add(hashFor(v), bytes, bytes.length, loc, loc.length);
      }
      a.absorb(b);
      long[] distinct = {0};
      long[] dupRows = {0};
      String[] prev = {null};
      long[] group = {0};
      a.forEachSorted(rec -> {
        String v = new String(rec.value(), StandardCharsets.UTF_8);
        if (v.equals(prev[0])) {
          group[0]++;
          dupRows[0] += group[0] == 2 ? 2 : 1;
        } else {
          distinct[0]++;
          group[0] = 1;
          prev[0] = v;
        }
      });
      long expectedDupRows = truth.values().stream().filter(c -> c > 1).mapToLong(Integer::longValue).sum();
      assertThat(distinct[0]).as("budget " + budget).isEqualTo(truth.size());
      assertThat(dupRows[0]).as("budget " + budget).isEqualTo(expectedDupRows);
      try (var files = Files.list(dir.resolve("a" + budget))) {
        assertThat(files).as("spill runs are removed after reading").isEmpty();
      } catch (java.nio.file.NoSuchFileException noSpill) {
        assertThat(budget).as("only the large budget never spills").isEqualTo(1L << 30);
      }
    }
  }

  @Test
  void sharedHashesAloneFindEveryDuplicateExactly() throws Exception {
    for (long budget : new long[] {1L << 30, 70_000}) {
      SortedValueRecords a = SortedValueRecords.forGrouping(dir.resolve("s" + budget), budget);
      SortedValueRecords b = SortedValueRecords.forGrouping(dir.resolve("t" + budget), budget);
      Map<String, Integer> truth = new HashMap<>();
      SplittableRandom r = new SplittableRandom(budget);
      for (int i = 0; i < 60_000; i++) {
        String v = "v" + r.nextInt(40_000);
        truth.merge(v, 1, Integer::sum);
        byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
        (i % 2 == 0 ? a : b).add(hashFor(v), bytes, bytes.length, new byte[0], 0);
      }
      a.absorb(b);
      Map<String, Integer> visited = new HashMap<>();
      long once = a.forEachSharedHash(rec -> visited.merge(new String(rec.value(), StandardCharsets.UTF_8), 1,
          Integer::sum));
      long truthOnce = truth.values().stream().filter(c -> c == 1).count();
      // Left out: values occurring once whose hash is their own; visited: everything else, each row once.
      assertThat(once + visited.values().stream().filter(c -> c == 1).count()).as("budget " + budget)
          .isEqualTo(truthOnce);
      truth.forEach((v, c) -> {
        if (c > 1) {
          assertThat(visited.get(v)).as(v).isEqualTo(c);
        }
      });
      assertThat(once).as("most values have a hash of their own").isPositive();
      try (var files = Files.list(dir.resolve("s" + budget))) {
        assertThat(files).as("spill runs are removed after reading").isEmpty();
      } catch (java.nio.file.NoSuchFileException noSpill) {
        assertThat(budget).as("only the large budget never spills").isEqualTo(1L << 30);
      }
    }
  }

  @Test
  void chineseValuesRepeatedAcrossSpillsAreReportedWithEveryRow() throws Exception {
    // Chinese names (3 bytes a character), a few repeated far apart (across many spilled runs and both halves),
    // half of all hashes forced onto eight values: each duplicated value's rows exactly, each row once.
    for (long budget : new long[] {1L << 30, 100_000}) {
      SortedValueRecords a = SortedValueRecords.forGrouping(dir.resolve("zh-a" + budget), budget);
      SortedValueRecords b = SortedValueRecords.forGrouping(dir.resolve("zh-b" + budget), budget);
      Map<String, java.util.List<Long>> rows = new HashMap<>();
      SplittableRandom r = new SplittableRandom(17);
      String family = "王李张刘陈杨赵黄周吴";
      for (long row = 0; row < 40_000; row++) {
        String v = row % 9_973 == 5 ? "欧阳娜娜" // the same value every ~10,000 rows
            : family.charAt(r.nextInt(family.length())) + "某" + r.nextInt(30_000);
        rows.computeIfAbsent(v, k -> new java.util.ArrayList<>()).add(row);
        byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
        byte[] loc = java.nio.ByteBuffer.allocate(8).putLong(row).array();
        (row % 2 == 0 ? a : b).add(hashFor(v), bytes, bytes.length, loc, loc.length);
      }
      a.absorb(b);
      Map<String, java.util.List<Long>> visited = new HashMap<>();
      long once = a.forEachSharedHash(rec -> visited.computeIfAbsent(new String(rec.value(), StandardCharsets.UTF_8),
          k -> new java.util.ArrayList<>()).add(java.nio.ByteBuffer.wrap(rec.locator()).getLong()));
      long truthOnce = rows.values().stream().filter(l -> l.size() == 1).count();
      assertThat(once + visited.values().stream().filter(l -> l.size() == 1).count()).as("budget " + budget)
          .isEqualTo(truthOnce);
      rows.forEach((v, l) -> {
        if (l.size() > 1) {
          assertThat(visited.get(v)).as(v).containsExactlyInAnyOrderElementsOf(l);
        }
      });
      assertThat(visited.get("欧阳娜娜")).hasSize(5);
    }
  }

  @Test
  void collectionsSharingARunsMemoryKeepWithinItAndGroupExactly() throws Exception {
    // Found by a probe: a hundred uniqueness rules, a few MB of records each and every value's hash, outgrew a 1 GB
    // heap. Six columns in two threads share a 1 MB pool here: records spill when it refuses, and so do the kept
    // hashes (sorted runs merged at the end), and the counts stay exact.
    ValueMemory memory = new ValueMemory(1 << 20);
    int columns = 6;
    int perColumn = 150_000; // 75,000 a thread: more than the hashes a collection keeps when refused
    long allowance = (long) columns * 2 * (12 << 10) + columns * 2L * (8L << 17); // first arrays, hashes held anyway
    java.util.List<Map<String, Integer>> truth = new java.util.ArrayList<>();
    java.util.List<SortedValueRecords[]> halves = new java.util.ArrayList<>();
    for (int c = 0; c < columns; c++) {
      truth.add(new HashMap<>());
      halves.add(new SortedValueRecords[] {
          SortedValueRecords.forGrouping(dir.resolve("pool"), 4 << 20, memory),
          SortedValueRecords.forGrouping(dir.resolve("pool"), 4 << 20, memory)});
    }
    SplittableRandom r = new SplittableRandom(7);
    long most = 0;
    for (int i = 0; i < perColumn; i++) {
      for (int c = 0; c < columns; c++) {
        String v = "c" + c + "-" + r.nextInt(perColumn * 4);
        truth.get(c).merge(v, 1, Integer::sum);
        byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
        halves.get(c)[i % 2].add(hashFor(v), bytes, bytes.length, new byte[0], 0);
      }
      most = Math.max(most, memory.held());
    }
    assertThat(most).as("held at most the pool and what each collection holds regardless")
        .isLessThanOrEqualTo(memory.total() + allowance);
    try (var files = Files.list(dir.resolve("pool"))) {
      assertThat(files.map(f -> f.getFileName().toString())).as("records and hashes spilled")
          .anyMatch(f -> f.startsWith("hashes")).anyMatch(f -> f.startsWith("values"));
    }
    for (int c = 0; c < columns; c++) {
      SortedValueRecords a = halves.get(c)[0];
      a.absorb(halves.get(c)[1]);
      Map<String, Integer> visited = new HashMap<>();
      long once = a.forEachSharedHash(rec -> visited.merge(new String(rec.value(), StandardCharsets.UTF_8), 1,
          Integer::sum));
      Map<String, Integer> t = truth.get(c);
      assertThat(once + visited.values().stream().filter(n -> n == 1).count()).as("column " + c)
          .isEqualTo(t.values().stream().filter(n -> n == 1).count());
      t.forEach((v, n) -> {
        if (n > 1) {
          assertThat(visited.get(v)).as(v).isEqualTo(n);
        }
      });
    }
    assertThat(memory.held()).as("every collection gave its memory back").isZero();
    try (var files = Files.list(dir.resolve("pool"))) {
      assertThat(files).as("spill runs are removed after reading").isEmpty();
    }
  }

  /** Half the values share one of a few hashes, so collisions are common. */
  private static long hashFor(String v) {
    byte[] b = v.getBytes(StandardCharsets.UTF_8);
    long h = KeyBuffer.hash(b, 0, b.length);
    return (h & 1) == 0 ? (h & 7) : h;
  }
}
