package io.dataops.pipelines.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Partial class counts of parallel parts, shipped as bytes and merged, give what one pass over all rows gives. */
class ClassCountsTest {
  @TempDir Path dir;

  private static final List<String> QI = List.of("age_band", "gender", "street");
  private static final String[] STREETS = {"华富街道", "园岭街道", "南园街道", "莲花街道", "香蜜湖街道"};

  /** One output row as the first pass sees it. */
  private record Row(Object[] qi, Object sensitive, long weight) {}

  /** The privacy settings every part and the finishing check share. */
  private record Settings(int k, Integer l, String sensitive, String weight) {
    AnonymityCheck check(Path spill, long budget) {
      return new AnonymityCheck(k, l, sensitive, weight, QI, Map.of("street", "mask address keeps the street"), spill,
          budget);
    }
  }

  private static List<Row> rows(SplittableRandom r, int n, int ages, boolean weighted, boolean withSensitive) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Object age = r.nextInt(20) == 0 ? null : (20 + 10 * r.nextInt(ages)) + "-" + (29 + 10 * r.nextInt(ages));
      Object[] qi = {age, r.nextBoolean() ? "M" : "F", STREETS[r.nextInt(STREETS.length)]};
      Object s = withSensitive && r.nextInt(10) > 0 ? "诊断" + r.nextInt(6) : null;
      rows.add(new Row(qi, s, weighted ? r.nextInt(5) : 1));
    }
    return rows;
  }

  private Verdicts singlePass(Settings s, List<Row> rows, long budget) throws IOException {
    try (AnonymityCheck check = s.check(dir.resolve("single"), budget)) {
      rows.forEach(row -> check.add(row.qi(), row.sensitive(), row.weight()));
      return Verdicts.of(check.finish(), rows, dir.resolve("single.verdict"));
    }
  }

  /** The rows dealt at random over {@code n} checks, each part's counts handed over. */
  private List<ClassCounts> parts(Settings s, List<Row> rows, int n, SplittableRandom r, long budget) {
    List<AnonymityCheck> checks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      checks.add(s.check(dir.resolve("part" + i), budget));
    }
    rows.forEach(row -> checks.get(r.nextInt(n)).add(row.qi(), row.sensitive(), row.weight()));
    List<ClassCounts> out = new ArrayList<>();
    for (AnonymityCheck c : checks) {
      out.add(c.counts());
      c.close();
    }
    return out;
  }

  /** Merges the states two at a time, picked at random, until one is left. */
  private static ClassCounts mergeRandomly(List<ClassCounts> states, SplittableRandom r) {
    List<ClassCounts> left = new ArrayList<>(states);
    while (left.size() > 1) {
      ClassCounts a = left.remove(r.nextInt(left.size()));
      ClassCounts b = left.remove(r.nextInt(left.size()));
      left.add(r.nextBoolean() ? a.merge(b) : b.merge(a));
    }
    return left.get(0);
  }

  /** What a verdict decides: its report, its saved form and the answer for every row. */
  private record Verdicts(PrivacyReport report, byte[] saved, List<Boolean> suppressed) {
    static Verdicts of(AnonymityCheck.Verdict v, List<Row> rows, Path file) throws IOException {
      v.writeTo(file);
      return new Verdicts(v.report(), Files.readAllBytes(file), rows.stream().map(r -> v.suppressed(r.qi())).toList());
    }

    /** The report without the disk it took (how much spilled depends on how the work was split, not on the rows). */
    PrivacyReport withoutSpill() {
      PrivacyReport r = report;
      return new PrivacyReport(r.k(), r.l(), r.sensitive(), r.weightColumn(), r.quasiIdentifiers(), r.added(),
          r.recordsIn(), r.recordsOut(), r.recordsSuppressed(), r.classes(), r.classesSuppressed(), r.smallestClass(),
          r.maxRisk(), r.avgRisk(), 0);
    }
  }

  @Test
  void randomRowsSplitOverRandomPartsAndMergedInRandomOrdersGiveTheSinglePassVerdictAndReport() throws Exception {
    for (int seed = 0; seed < 40; seed++) {
      SplittableRandom r = new SplittableRandom(seed);
      boolean diverse = r.nextBoolean();
      Settings s = new Settings(2 + r.nextInt(4), diverse ? 2 + r.nextInt(3) : null, diverse ? "diagnosis" : null,
          r.nextBoolean() ? "people" : null);
      List<Row> rows = rows(r, 200 + r.nextInt(3000), 1 + r.nextInt(6), s.weight() != null, diverse);
      Verdicts single = singlePass(s, rows, 1 << 20);

      int n = 1 + r.nextInt(6);
      List<ClassCounts> shipped = new ArrayList<>();
      for (ClassCounts part : parts(s, rows, n, r, 1 << 20)) {
        // Every part travels as bytes, as between parallel subtasks.
        shipped.add(ClassCounts.fromBytes(part.toBytes(), dir.resolve("received"), 1 << 20));
        part.close();
      }
      try (ClassCounts merged = mergeRandomly(shipped, r); AnonymityCheck finisher = s.check(dir.resolve("f"), 1 << 20)) {
        Verdicts fromParts = Verdicts.of(finisher.finish(merged), rows, dir.resolve("merged.verdict"));
        String what = "seed " + seed + ": " + rows.size() + " rows over " + n + " parts, " + s;
        assertThat(fromParts.report()).as(what).isEqualTo(single.report());
        assertThat(fromParts.saved()).as(what).isEqualTo(single.saved());
        assertThat(fromParts.suppressed()).as(what).isEqualTo(single.suppressed());
        assertThat(single.report().recordsSuppressed()).as(what).isLessThanOrEqualTo(single.report().recordsIn());
      }
    }
  }

  @Test
  void theWrittenStateDependsOnlyOnTheRowsNotOnTheSplitOrTheMergeOrder() throws Exception {
    SplittableRandom r = new SplittableRandom(11);
    Settings s = new Settings(3, 3, "diagnosis", "people");
    List<Row> rows = rows(r, 5000, 5, true, true);
    byte[] whole;
    try (AnonymityCheck check = s.check(dir, 1 << 20)) {
      rows.forEach(row -> check.add(row.qi(), row.sensitive(), row.weight()));
      try (ClassCounts all = check.counts()) {
        whole = all.toBytes();
      }
    }
    for (int attempt = 0; attempt < 5; attempt++) {
      try (ClassCounts merged = mergeRandomly(parts(s, rows, 2 + attempt, r, 1 << 20), r)) {
        assertThat(merged.toBytes()).as("split over " + (2 + attempt)).isEqualTo(whole);
      }
    }
  }

  @Test
  void aStateRoundTripsThroughBytesAndThroughAStreamThatGoesOn() throws Exception {
    Settings s = new Settings(2, 2, "diagnosis", "people");
    List<Row> rows = rows(new SplittableRandom(3), 2000, 4, true, true);
    try (AnonymityCheck check = s.check(dir, 1 << 20); ClassCounts state = check.counts()) {
      assertThat(state.l()).isEqualTo(2);
      assertThat(state.quasiIdentifiers()).isEqualTo(QI);
    }
    ClassCounts state = parts(s, rows, 1, new SplittableRandom(1), 1 << 20).get(0);
    byte[] bytes = state.toBytes();

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    state.writeTo(out);
    out.write("next".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    ByteArrayInputStream in = new ByteArrayInputStream(out.toByteArray());
    try (ClassCounts back = ClassCounts.readFrom(in, dir, 1 << 20)) {
      assertThat(back.toBytes()).isEqualTo(bytes);
      assertThat(in.readAllBytes()).as("only the state's bytes were read").isEqualTo("next".getBytes());
    }
    state.close();

    assertThatThrownBy(() -> ClassCounts.fromBytes(Arrays.copyOf(bytes, bytes.length - 9), dir, 1 << 20))
        .isInstanceOf(IOException.class).hasMessage("the class-count state is cut short");
    byte[] other = bytes.clone();
    other[0] = 'x';
    assertThatThrownBy(() -> ClassCounts.fromBytes(other, dir, 1 << 20)).isInstanceOf(IOException.class)
        .hasMessage("not a class-count state (unknown header)");
    byte[] newer = bytes.clone();
    newer[4] = 5;
    assertThatThrownBy(() -> ClassCounts.fromBytes(newer, dir, 1 << 20)).isInstanceOf(IOException.class)
        .hasMessage("a class-count state of format version 5; this build reads version 3 (and 4, the generalization "
            + "search's)");
    try (var files = Files.list(dir)) {
      assertThat(files.filter(f -> f.toString().endsWith(".run"))).as("no scratch file left").isEmpty();
    }
  }

  @Test
  void lDiversityCountsTheDistinctSensitiveValuesOfAllPartsCappedAtL() throws Exception {
    Settings s = new Settings(2, 2, "diagnosis", null);
    Object[] twoParts = {"30-39", "F", "华富街道"};
    Object[] sameValue = {"40-49", "M", "园岭街道"};
    Object[] manyValues = {"50-59", "F", "南园街道"};
    try (AnonymityCheck a = s.check(dir, 1 << 20); AnonymityCheck b = s.check(dir, 1 << 20);
        AnonymityCheck finisher = s.check(dir, 1 << 20)) {
      a.add(twoParts, "flu", 1);
      a.add(twoParts, "flu", 1);
      b.add(twoParts, "asthma", 1); // alone each part knows one diagnosis; together the class has two
      a.add(sameValue, "flu", 1);
      b.add(sameValue, "flu", 1); // the same diagnosis in both parts is still one
      for (int i = 0; i < 6; i++) {
        a.add(manyValues, "a" + i, 1);
        b.add(manyValues, "b" + i, 1);
      }
      try (ClassCounts merged = a.counts().merge(b.counts())) {
        AnonymityCheck.Verdict v = finisher.finish(merged);
        assertThat(v.suppressed(twoParts)).isFalse();
        assertThat(v.suppressed(sameValue)).isTrue();
        assertThat(v.suppressed(manyValues)).isFalse();
        assertThat(v.report().classesSuppressed()).isEqualTo(1);
        assertThat(v.report().recordsOut()).isEqualTo(15);
        // Written: the header (its last byte: no t-closeness), then per class a marker, h1, h2, weight, a count and
        // at most l sensitive hashes (two, two of twelve and one here), then the end marker.
        int header = 4 + 1 + 4 + 4 + QI.stream().mapToInt(q -> 2 + q.length()).sum() + 1 + 2 + "diagnosis".length()
            + 1 + 1;
        assertThat(merged.toBytes()).hasSize(header + 3 * (1 + 24 + 1) + 8 * (2 + 2 + 1) + 1);
      }
    }
  }

  @Test
  void weightsOfOneClassInSeveralPartsAdd() throws Exception {
    Settings s = new Settings(5, null, null, "people");
    Object[] cell = {"90-99", "F", "华富街道"};
    Object[] small = {"80-89", "M", "华富街道"};
    try (AnonymityCheck a = s.check(dir, 1 << 20); AnonymityCheck b = s.check(dir, 1 << 20);
        AnonymityCheck c = s.check(dir, 1 << 20); AnonymityCheck finisher = s.check(dir, 1 << 20)) {
      a.add(cell, null, 3);
      b.add(cell, null, 2); // 3 + 2 people: k reached only together
      c.add(small, null, 4);
      c.add(small, null, 0);
      try (ClassCounts merged = c.counts().merge(a.counts().merge(b.counts()))) {
        AnonymityCheck.Verdict v = finisher.finish(merged);
        assertThat(v.suppressed(cell)).isFalse();
        assertThat(v.suppressed(small)).isTrue();
        assertThat(v.report().recordsIn()).isEqualTo(9);
        assertThat(v.report().recordsOut()).isEqualTo(5);
        assertThat(v.report().smallestClass()).isEqualTo(5);
      }
    }
  }

  /**
   * A budget far too small for the classes: the parts spill sorted runs, reading a shipped state spills, merging
   * spills and, past 64 scratch files, rewrites them as one. The answer is the one of a pass in ample memory.
   */
  @Test
  void underATinyMemoryBudgetPartsSpillAndMergeToTheSameAnswer() throws Exception {
    SplittableRandom r = new SplittableRandom(5);
    Settings s = new Settings(2, 3, "diagnosis", null);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 120_000; i++) {
      rows.add(new Row(new Object[] {r.nextInt(60_000), i % 2 == 0 ? "M" : "F", STREETS[r.nextInt(5)]},
          r.nextInt(4) == 0 ? null : "d" + r.nextInt(5), 1));
    }
    Verdicts ample = singlePass(s, rows, 1L << 30);
    assertThat(ample.report().spilledBytes()).isZero();
    byte[] ampleState;
    try (AnonymityCheck check = s.check(dir, 1L << 30)) {
      rows.forEach(row -> check.add(row.qi(), row.sensitive(), row.weight()));
      try (ClassCounts all = check.counts()) {
        ampleState = all.toBytes();
      }
    }

    long tiny = 1; // the floor: 1024 classes in memory
    Path spill = dir.resolve("tiny");
    List<ClassCounts> parts = parts(s, rows, 3, r, tiny);
    assertThat(parts).allSatisfy(p -> assertThat(p.spilledBytes()).isPositive());
    List<ClassCounts> shipped = new ArrayList<>();
    for (ClassCounts p : parts) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      p.writeTo(out);
      p.close();
      shipped.add(ClassCounts.readFrom(new ByteArrayInputStream(out.toByteArray()), spill, tiny));
    }
    assertThat(shipped).allSatisfy(p -> assertThat(p.spilledBytes()).as("read beyond the budget").isPositive());
    // Many small spilled states, merged one by one: more than 64 scratch files are compacted on the way.
    List<ClassCounts> many = new ArrayList<>(shipped);
    for (int i = 0; i < 70; i++) {
      try (AnonymityCheck c = s.check(spill, tiny)) {
        for (int j = 0; j < 1100; j++) {
          Row row = rows.get(r.nextInt(rows.size()));
          c.add(row.qi(), null, 0); // weight 0, no sensitive value: classes already there, nothing changes
        }
        many.add(c.counts());
      }
    }
    try (ClassCounts merged = mergeRandomly(many, r); AnonymityCheck finisher = s.check(spill, tiny)) {
      try (var files = Files.list(spill)) {
        assertThat(files.filter(f -> f.toString().endsWith(".run")).count()).as("compacted").isLessThanOrEqualTo(65);
      }
      assertThat(merged.toBytes()).isEqualTo(ampleState);
      Verdicts fromParts = Verdicts.of(finisher.finish(merged), rows, dir.resolve("tiny.verdict"));
      assertThat(fromParts.report().spilledBytes()).isPositive();
      assertThat(fromParts.withoutSpill()).isEqualTo(ample.withoutSpill());
      assertThat(fromParts.saved()).isEqualTo(ample.saved());
      assertThat(fromParts.suppressed()).isEqualTo(ample.suppressed());
    }
    try (var files = Files.list(spill)) {
      assertThat(files.filter(f -> f.toString().endsWith(".run"))).as("scratch files removed").isEmpty();
    }
  }

  @Test
  void countsOfOtherSettingsNeverMergeAndAFinisherCountsNothingItself() throws Exception {
    Settings s = new Settings(2, null, null, null);
    try (AnonymityCheck a = s.check(dir, 1 << 20);
        AnonymityCheck b = new AnonymityCheck(2, null, null, null, List.of("age_band", "gender"), Map.of(), dir,
            1 << 20);
        AnonymityCheck c = s.check(dir, 1 << 20)) {
      a.add(new Object[] {"30-39", "F", "华富街道"}, null, 1);
      ClassCounts mine = a.counts();
      ClassCounts theirs = b.counts();
      assertThatThrownBy(() -> mine.merge(theirs)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("class counts over quasi-identifiers [age_band, gender] cannot be merged into class counts "
              + "over quasi-identifiers [age_band, gender, street]: every part must count with the same privacy "
              + "settings");
      assertThatThrownBy(() -> a.add(new Object[] {"30-39", "F", "华富街道"}, null, 1))
          .isInstanceOf(IllegalStateException.class);
      c.add(new Object[] {"30-39", "F", "华富街道"}, null, 1);
      assertThatThrownBy(() -> c.finish(mine)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("merge its counts()");
      mine.close();
      theirs.close();
    }
  }
}
