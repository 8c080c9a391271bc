package io.dataops.pipelines.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.iceberg.relocated.com.google.common.hash.Hashing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnonymityCheckTest {
  @TempDir Path dir;

  @Test
  void murmur3MatchesGuavaForEveryTailLength() {
    byte[] data = "广东省深圳市福田区华富街道莲花一村12栋301室 and some ASCII".getBytes(StandardCharsets.UTF_8);
    for (int len = 0; len <= 40; len++) {
      Hash128 h = new Hash128().hash(data, len);
      byte[] g = Hashing.murmur3_128().hashBytes(data, 0, len).asBytes();
      long g1 = java.nio.ByteBuffer.wrap(g).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0);
      long g2 = java.nio.ByteBuffer.wrap(g).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(8);
      assertThat(h.h1).as("length " + len).isEqualTo(g1);
      assertThat(h.h2).as("length " + len).isEqualTo(g2);
    }
  }

  private static Object[] qi(Object... v) {
    return v;
  }

  @Test
  void smallClassesAreSuppressedAndTheRiskIsReported() {
    AnonymityCheck check = new AnonymityCheck(3, null, null, null, List.of("birth_year", "gender", "street"), Map.of(),
        dir, 1 << 20);
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      rows.add(qi(1985, "M", "华富街道"));
    }
    for (int i = 0; i < 3; i++) {
      rows.add(qi(1990, "F", "华富街道"));
    }
    rows.add(qi(1990, "F", "园岭街道")); // alone: the one person a prosecutor could single out
    rows.add(qi(1991, "F", "华富街道"));
    rows.add(qi(1991, "F", "华富街道"));
    rows.add(qi(null, "F", "华富街道"));
    rows.forEach(r -> check.add(r, null, 1));
    AnonymityCheck.Verdict v = check.finish();
    PrivacyReport r = v.report();
    assertThat(r.recordsIn()).isEqualTo(12);
    assertThat(r.classes()).isEqualTo(5);
    assertThat(r.classesSuppressed()).isEqualTo(3);
    assertThat(r.recordsSuppressed()).isEqualTo(4);
    assertThat(r.recordsOut()).isEqualTo(8);
    assertThat(r.discernibility()).as("kept 5² + 3², and 4 suppressed records × 12").isEqualTo(25 + 9 + 4 * 12);
    assertThat(r.smallestClass()).isEqualTo(3);
    assertThat(r.maxRisk()).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(r.avgRisk()).isCloseTo(2 / 8.0, within(1e-12));
    assertThat(r.satisfied()).isTrue();
    assertThat(v.suppressed(qi(1985, "M", "华富街道"))).isFalse();
    assertThat(v.suppressed(qi(1990, "F", "园岭街道"))).isTrue();
    assertThat(v.suppressed(qi(1991, "F", "华富街道"))).isTrue();
    assertThat(v.suppressed(qi(null, "F", "华富街道"))).as("null is a value of its own").isTrue();
    assertThat(v.suppressed(qi("1985", "M", "华富街道"))).as("canonical text: 1985 and \"1985\" are one value").isFalse();
    check.close();
  }

  @Test
  void theSearchChoosesANodeWhoseGeneralizedClassesTheSecondPassRecognizes() throws Exception {
    var opt = new io.dataops.pipelines.definition.BoundPipeline.Optimization(0.1, "person", List.of(
        io.dataops.pipelines.privacy.lattice.BandHierarchy.doubling(null, java.math.BigDecimal.TEN, 2, false),
        new io.dataops.pipelines.privacy.lattice.TopHierarchy()));
    java.util.function.Supplier<AnonymityCheck> make = () -> new AnonymityCheck(3, null, null, null,
        List.of("age", "sex"), Map.of(), opt, dir, 1 << 20);
    // ages 20-22 and 30-32, three people a decade and sex, some people with two rows: exact ages are unique, decades are not
    AnonymityCheck part1 = make.get();
    AnonymityCheck part2 = make.get();
    int person = 0;
    for (int decade = 20; decade < 40; decade += 10) {
      for (String sex : List.of("F", "M")) {
        for (int i = 0; i < 3; i++) {
          person++;
          (person % 2 == 0 ? part1 : part2).add(qi(decade + i, sex), null, 1, "p" + person);
          part1.add(qi(decade + i, sex), null, 1, "p" + person); // the same person again: counts once
        }
      }
    }
    part1.add(qi(75, "F"), null, 1, "lonely"); // one person of 70-79: suppressed, 1 of 13 people is within 10%
    ClassCounts merged = part1.counts();
    try (ClassCounts other = ClassCounts.fromBytes(part2.counts().toBytes(), dir, 1 << 20)) {
      merged.merge(other);
    }
    AnonymityCheck.Verdict v = make.get().finish(merged);
    merged.close();
    PrivacyReport r = v.report();
    assertThat(v.levels()).containsExactly(1, 0);
    assertThat(r.generalization().levelNames()).containsEntry("age", "width 10").containsEntry("sex", "value");
    assertThat(r.generalization().people()).isEqualTo(13);
    assertThat(r.generalization().peopleSuppressed()).isEqualTo(1);
    assertThat(r.recordsSuppressed()).isEqualTo(1);
    assertThat(r.smallestClass()).as("people, not rows").isEqualTo(3);
    assertThat(r.generalization().loss()).isGreaterThan(0).isLessThan(1);
    // 25 records (every person has two rows, and the lonely one): four kept classes of 6 records and 1 suppressed
    assertThat(r.recordsIn()).isEqualTo(25);
    assertThat(r.discernibility()).isEqualTo(4 * 6 * 6 + 1 * 25);
    assertThat(r.generalization().discernibility()).isEqualTo(r.discernibility());
    assertThat(r.generalization().cellsByColumn()).containsOnlyKeys("age", "sex");
    assertThat(r.generalization().cellsByColumn().get("age")).containsExactly(
        Map.entry("level 1 (width 10)", 24 / 25.0), Map.entry("suppressed", 1 - 24 / 25.0));
    assertThat(r.generalization().cellsByColumn().get("sex")).containsExactly(
        Map.entry("level 0 (value)", 24 / 25.0), Map.entry("suppressed", 1 - 24 / 25.0));
    assertThat(v.suppressed(qi("[20,30)", "F"))).isFalse();
    assertThat(v.suppressed(qi("[70,80)", "F"))).isTrue();
    AnonymityCheck.Verdict back = AnonymityCheck.Verdict.readFrom(new java.io.ByteArrayInputStream(bytes(v)), r);
    assertThat(back.levels()).containsExactly(1, 0);
    assertThat(back.suppressed(qi("[30,40)", "M"))).isFalse();
  }

  private static byte[] bytes(AnonymityCheck.Verdict v) throws java.io.IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    v.writeTo(out);
    return out.toByteArray();
  }

  @Test
  void lDiversitySuppressesClassesWhoseSensitiveValueIsKnownAnyway() {
    AnonymityCheck check = new AnonymityCheck(2, 2, "diagnosis", null, List.of("age_band"), Map.of(), dir, 1 << 20);
    check.add(qi("30-39"), "flu", 1);
    check.add(qi("30-39"), "flu", 1);
    check.add(qi("30-39"), "flu", 1); // three people, one diagnosis: knowing the age band reveals it
    check.add(qi("40-49"), "flu", 1);
    check.add(qi("40-49"), "asthma", 1);
    check.add(qi("50-59"), null, 1);
    check.add(qi("50-59"), null, 1); // no sensitive value at all: not diverse
    PrivacyReport r = check.finish().report();
    assertThat(r.classesSuppressed()).isEqualTo(2);
    assertThat(r.recordsOut()).isEqualTo(2);
    assertThat(r.l()).isEqualTo(2);
  }

  @Test
  void aggregatesAreWeightedByTheirCountColumn() {
    AnonymityCheck check = new AnonymityCheck(5, null, null, "people", List.of("street", "age_band"), Map.of(), dir,
        1 << 20);
    check.add(qi("华富街道", "30-39"), null, 120);
    check.add(qi("华富街道", "90-99"), null, 2); // a cell of two people
    check.add(qi("园岭街道", "30-39"), null, 4);
    check.add(qi("园岭街道", "30-39"), null, 1); // same cell in two rows: 5 together
    PrivacyReport r = check.finish().report();
    assertThat(r.recordsIn()).isEqualTo(127);
    assertThat(r.recordsSuppressed()).isEqualTo(2);
    assertThat(r.smallestClass()).isEqualTo(5);
    assertThat(r.maxRisk()).isEqualTo(0.2);
  }

  @Test
  void everyoneSuppressedGivesZeroRiskNotADivisionByZero() {
    AnonymityCheck check = new AnonymityCheck(5, null, null, null, List.of("id"), Map.of(), dir, 1 << 20);
    for (int i = 0; i < 10; i++) {
      check.add(qi(i), null, 1);
    }
    PrivacyReport r = check.finish().report();
    assertThat(r.recordsOut()).isZero();
    assertThat(r.maxRisk()).isZero();
    assertThat(r.avgRisk()).isZero();
  }

  /** Every class meets k: the verdict lists no class and keeps every row, before and after it is saved. */
  @Test
  void aTableWhoseEveryClassMeetsKKeepsEveryRow() throws Exception {
    AnonymityCheck check = new AnonymityCheck(2, null, null, null, List.of("street"), Map.of(), dir, 1 << 20);
    for (String street : List.of("华富", "华富", "莲花", "莲花")) {
      check.add(new Object[] {street}, null, 1);
    }
    AnonymityCheck.Verdict verdict = check.finish();
    assertThat(verdict.report().recordsSuppressed()).isZero();
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    verdict.writeTo(bytes);
    AnonymityCheck.Verdict read = AnonymityCheck.Verdict.readFrom(new java.io.ByteArrayInputStream(bytes.toByteArray()),
        verdict.report());
    for (AnonymityCheck.Verdict v : List.of(verdict, read)) {
      assertThat(v.suppressed(new Object[] {"华富"})).isFalse();
      assertThat(v.suppressed(new Object[] {"莲花"})).isFalse();
    }
    check.close();
  }

  /** Far more classes than the memory budget holds: spilled, merged, and the same answer as counting in a map. */
  @Test
  void manyClassesSpillAndMergeToTheExactAnswer() throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    Map<String, Integer> truth = new HashMap<>();
    AnonymityCheck check = new AnonymityCheck(3, null, null, null, List.of("a", "b"), Map.of(), dir, 64 << 10);
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 200_000; i++) {
      Object[] row = qi(random.nextInt(300), "s" + random.nextInt(400));
      rows.add(row);
      truth.merge(row[0] + "|" + row[1], 1, Integer::sum);
      check.add(row, null, 1);
    }
    AnonymityCheck.Verdict v = check.finish();
    PrivacyReport r = v.report();
    assertThat(r.spilledBytes()).as("the budget forced spills").isPositive();
    assertThat(r.classes()).isEqualTo(truth.size());
    long small = truth.values().stream().filter(n -> n < 3).count();
    long suppressedRecords = truth.values().stream().filter(n -> n < 3).mapToLong(n -> n).sum();
    assertThat(r.classesSuppressed()).isEqualTo(small);
    assertThat(r.recordsSuppressed()).isEqualTo(suppressedRecords);
    for (Object[] row : rows.subList(0, 5000)) {
      assertThat(v.suppressed(row)).isEqualTo(truth.get(row[0] + "|" + row[1]) < 3);
    }
    check.close();
    try (var files = Files.list(dir)) {
      assertThat(files).as("scratch files removed").isEmpty();
    }
  }

  @Test
  void aVerdictWrittenToAStreamDecidesTheSameRows() throws Exception {
    AnonymityCheck check = new AnonymityCheck(2, null, null, null, List.of("street"), Map.of(), dir, 1 << 20);
    for (String street : List.of("华富", "华富", "莲花", "香蜜湖", "香蜜湖", "香蜜湖")) {
      check.add(new Object[] {street}, null, 1);
    }
    AnonymityCheck.Verdict verdict = check.finish();
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    verdict.writeTo(bytes);
    AnonymityCheck.Verdict read = AnonymityCheck.Verdict.readFrom(new java.io.ByteArrayInputStream(bytes.toByteArray()),
        verdict.report());
    for (String street : List.of("华富", "莲花", "香蜜湖", "福保")) {
      assertThat(read.suppressed(new Object[] {street})).as(street)
          .isEqualTo(verdict.suppressed(new Object[] {street}));
    }
    assertThat(read.suppressed(new Object[] {"莲花"})).isTrue();
    assertThat(read.report()).isEqualTo(verdict.report());
  }

  /** A population table's people as tuples (the pipeline's policies already applied), each counted once. */
  private static Population population(Map<String, Integer> people) {
    return new Population() {
      @Override
      public String table() {
        return "ods.registry__residents";
      }

      @Override
      public long snapshotId() {
        return 7;
      }

      @Override
      public void forEach(int[] levels, java.util.function.Consumer<Object[]> sink) {
        people.forEach((street, n) -> {
          for (int i = 0; i < n; i++) {
            sink.accept(qi(street));
          }
        });
      }
    };
  }

  @Test
  void recordsAboveTheRiskThresholdAndTheJournalistRiskAgainstAPopulation() {
    // product: A×2, B×3, E×2 kept (k=2), C×1 suppressed; population: A 4, B 3, C 10, D 5, E 1 (fewer than the
    // product's 2: the population is not a superset there, E is sized by the product's count)
    AnonymityCheck check = new AnonymityCheck(2, null, null, null, List.of("street"), Map.of(), dir, 1 << 20)
        .withRisk(0.3, population(Map.of("A", 4, "B", 3, "C", 10, "D", 5, "E", 1)));
    for (String s : List.of("A", "A", "B", "B", "B", "E", "E", "C")) {
      check.add(qi(s), null, 1);
    }
    PrivacyReport r = check.finish().report();
    assertThat(r.recordsOut()).isEqualTo(7);
    assertThat(r.riskThreshold()).isEqualTo(0.3);
    // prosecutor: A 1/2, B 1/3, E 1/2 — all above 0.3
    assertThat(r.recordsAtRisk()).isEqualTo(7);
    assertThat(r.shareAtRisk()).isEqualTo(1.0);
    JournalistRisk j = r.journalist();
    assertThat(j.table()).isEqualTo("ods.registry__residents");
    assertThat(j.snapshotId()).isEqualTo(7);
    assertThat(j.people()).isEqualTo(23);
    // journalist: A 1/4 (2 records), B 1/3 (3), E 1/max(1, 2) = 1/2 (2)
    assertThat(j.maxRisk()).isEqualTo(0.5);
    assertThat(j.avgRisk()).isCloseTo((2 * 0.25 + 3 / 3.0 + 2 * 0.5) / 7, within(1e-12));
    assertThat(j.recordsAtRisk()).as("B and E").isEqualTo(5);
    assertThat(j.shareAtRisk()).isCloseTo(5 / 7.0, within(1e-12));
    assertThat(j.classesShortOfPopulation()).isEqualTo(1);

    AnonymityCheck plain = new AnonymityCheck(3, null, null, null, List.of("street"), Map.of(), dir.resolve("p"),
        1 << 20);
    for (String s : List.of("A", "A", "A", "B", "B", "B", "B", "B")) {
      plain.add(qi(s), null, 1);
    }
    PrivacyReport d = plain.finish().report();
    assertThat(d.riskThreshold()).as("the default").isEqualTo(0.2);
    assertThat(d.recordsAtRisk()).as("A: 1/3 > 0.2; B: 1/5 is not above").isEqualTo(3);
    assertThat(d.shareAtRisk()).isCloseTo(3 / 8.0, within(1e-12));
    assertThat(d.journalist()).isNull();
  }
}
