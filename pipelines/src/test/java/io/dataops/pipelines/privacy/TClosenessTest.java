package io.dataops.pipelines.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.privacy.Closeness.Distance;
import io.dataops.pipelines.privacy.lattice.TopHierarchy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * t-closeness: the earth mover's distances computed by hand (Li et al.'s salary example: nine salaries 3k..11k, one
 * each), enforced by suppression and by the generalization search, counted in mergeable states.
 */
class TClosenessTest {
  private static final double EPS = 1e-12;
  @TempDir Path dir;

  private static SensitiveDistribution distribution(Closeness c, long... valuesAndCounts) {
    SensitiveDistribution.Builder b = new SensitiveDistribution.Builder(c);
    for (int i = 0; i < valuesAndCounts.length; i += 2) {
      b.add(c.key(valuesAndCounts[i]), valuesAndCounts[i + 1]);
    }
    return b.build();
  }

  /** A class's distance: its values and counts as pairs. */
  private static double distance(SensitiveDistribution table, Closeness c, long... valuesAndCounts) {
    int n = valuesAndCounts.length / 2;
    int[] ranks = new int[n];
    long[] counts = new long[n];
    for (int i = 0; i < n; i++) {
      ranks[i] = table.rank(c.key(valuesAndCounts[2 * i]));
      counts[i] = valuesAndCounts[2 * i + 1];
    }
    return table.distance(ranks, counts, n);
  }

  @Test
  void orderedAndEqualDistancesAsComputedByHand() {
    Closeness ordered = new Closeness("salary", 0.3, Distance.ORDERED);
    SensitiveDistribution salaries = distribution(ordered, 3, 1, 4, 1, 5, 1, 6, 1, 7, 1, 8, 1, 9, 1, 10, 1, 11, 1);
    // {3,4,5}: r = (2,2,2,-1,-1,-1,-1,-1,-1)/9, cumulative (2,4,6,5,4,3,2,1,0)/9, sum 27/9, over m-1 = 8: 3/8
    assertThat(distance(salaries, ordered, 3, 1, 4, 1, 5, 1)).isCloseTo(0.375, within(EPS));
    // {6,8,10}: cumulative (-1,-2,-3,-1,-2,0,-1,1,0)/9, |sum| 11/9, /8
    assertThat(distance(salaries, ordered, 6, 1, 8, 1, 10, 1)).isCloseTo(11 / 72.0, within(EPS));
    // {7,9,11}: cumulative (-1,-2,-3,-4,-2,-3,-1,-2,0)/9, 18/9, /8
    assertThat(distance(salaries, ordered, 7, 1, 9, 1, 11, 1)).isCloseTo(0.25, within(EPS));
    assertThat(distance(salaries, ordered)).as("a class without a sensitive value shows none").isZero();

    Closeness equal = new Closeness("salary", 0.3, Distance.EQUAL);
    SensitiveDistribution categories = distribution(equal, 3, 1, 4, 1, 5, 1, 6, 1, 7, 1, 8, 1, 9, 1, 10, 1, 11, 1);
    // any three of nine: 3 × |1/3 − 1/9| + 6 × 1/9 = 12/9, halved
    assertThat(distance(categories, equal, 3, 1, 4, 1, 5, 1)).isCloseTo(2 / 3.0, within(EPS));
    assertThat(distance(categories, equal, 3, 1, 7, 1, 11, 1)).isCloseTo(2 / 3.0, within(EPS));

    // weighted: the table 1×2, 2×1, 3×1 (q = .5, .25, .25); a class of only 3s
    SensitiveDistribution w = distribution(ordered, 1, 2, 2, 1, 3, 1);
    // r = (-.5, -.25, .75), cumulative (-.5, -.75, 0): 1.25 over m-1 = 2
    assertThat(distance(w, ordered, 3, 4)).isCloseTo(0.625, within(EPS));
    // a class 1×1, 3×1 (p = .5, 0, .5): cumulative (0, -.25, 0): .25 / 2
    assertThat(distance(w, ordered, 1, 1, 3, 1)).isCloseTo(0.125, within(EPS));
    SensitiveDistribution we = distribution(equal, 1, 2, 2, 1, 3, 1);
    assertThat(distance(we, equal, 3, 4)).as("(.5 + .25 + .75) / 2").isCloseTo(0.75, within(EPS));
    assertThat(distance(we, equal, 1, 2, 2, 1, 3, 1)).as("the table itself").isCloseTo(0, within(EPS));
  }

  @Test
  void orderedKeysFollowTheValuesOrderAcrossTypes() {
    Closeness c = new Closeness("x", 0.2, Distance.ORDERED);
    assertThat(c.key(-2.5)).isLessThan(c.key(-1L)).isLessThan(c.key(0)).isLessThan(c.key(new java.math.BigDecimal(
        "0.5"))).isLessThan(c.key(3)).isLessThan(c.key("12"));
    assertThat(c.key(-0.0)).isEqualTo(c.key(0.0));
    assertThat(c.key(java.time.LocalDate.of(2026, 1, 2))).isGreaterThan(c.key(java.time.LocalDate.of(2025, 12, 31)));
    assertThat(c.key(null)).isEqualTo(Closeness.NONE);
    assertThatThrownBy(() -> c.key("flu")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("flu").hasMessageContaining("distance: equal");
  }

  private static Object[] qi(Object... v) {
    return v;
  }

  /** Three classes of three salaries each: {3,4,5} (distance .375), {6,8,10} (11/72), {7,9,11} (.25). */
  private static void salaries(AnonymityCheck check, AnonymityCheck other) {
    int i = 0;
    for (int[] c : new int[][] {{3, 4, 5}, {6, 8, 10}, {7, 9, 11}}) {
      for (int s : c) {
        (i++ % 2 == 0 ? check : other).add(qi("band-" + c[0]), s * 1000, 1, "p" + s);
      }
    }
  }

  @Test
  void suppressionRemovesTheClassesFartherThanTAndMergedPartsAgree() throws Exception {
    Closeness ordered = new Closeness("salary", 0.3, Distance.ORDERED);
    java.util.function.Supplier<AnonymityCheck> make = () -> new AnonymityCheck(3, null, "salary", null,
        List.of("band"), Map.of(), null, ordered, dir, 1 << 20);
    AnonymityCheck a = make.get();
    AnonymityCheck b = make.get();
    salaries(a, b);
    ClassCounts merged = a.counts();
    try (ClassCounts read = ClassCounts.fromBytes(b.counts().toBytes(), dir, 1 << 20)) {
      merged.merge(read);
    }
    AnonymityCheck.Verdict v = make.get().finish(merged);
    merged.close();
    PrivacyReport r = v.report();
    assertThat(v.suppressed(qi("band-3"))).as("{3,4,5}: .375 > .3").isTrue();
    assertThat(v.suppressed(qi("band-6"))).isFalse();
    assertThat(v.suppressed(qi("band-7"))).isFalse();
    assertThat(r.recordsSuppressed()).isEqualTo(3);
    assertThat(r.tCloseness().maxDistance()).isCloseTo(0.25, within(EPS));
    assertThat(r.tCloseness().classesAbove()).isEqualTo(1);
    assertThat(r.tCloseness().t()).isEqualTo(0.3);
    assertThat(r.tCloseness().distance()).isEqualTo("ordered");

    // one pass over all rows gives the same
    AnonymityCheck whole = make.get();
    salaries(whole, whole);
    assertThat(whole.finish().report()).isEqualTo(r);

    // equal distance: every class is 2/3 from the table, t = .6 suppresses all of them and .7 none
    AnonymityCheck strict = new AnonymityCheck(3, null, "salary", null, List.of("band"), Map.of(), null,
        new Closeness("salary", 0.6, Distance.EQUAL), dir, 1 << 20);
    salaries(strict, strict);
    assertThat(strict.finish().report().recordsOut()).isZero();
    AnonymityCheck loose = new AnonymityCheck(3, 2, "salary", null, List.of("band"), Map.of(), null,
        new Closeness("salary", 0.7, Distance.EQUAL), dir, 1 << 20);
    salaries(loose, loose);
    PrivacyReport l = loose.finish().report();
    assertThat(l.recordsOut()).isEqualTo(9);
    assertThat(l.tCloseness().maxDistance()).isCloseTo(2 / 3.0, within(EPS));
  }

  @Test
  void manyClassesSpillWithTheirHistogramsAndGiveTheExactAnswer() throws Exception {
    Closeness equal = new Closeness("diagnosis", 0.5, Distance.EQUAL);
    AnonymityCheck small = new AnonymityCheck(2, 2, "diagnosis", null, List.of("a"), Map.of(), null, equal, dir,
        16 << 10);
    AnonymityCheck big = new AnonymityCheck(2, 2, "diagnosis", null, List.of("a"), Map.of(), null, equal, dir,
        64 << 20);
    java.util.SplittableRandom r = new java.util.SplittableRandom(5);
    for (int i = 0; i < 20_000; i++) {
      Object[] q = qi("c" + r.nextInt(3000));
      String d = r.nextInt(10) == 0 ? null : "d" + r.nextInt(r.nextInt(3) == 0 ? 2 : 6);
      small.add(q, d, 1);
      big.add(q, d, 1);
    }
    ClassCounts spilled = small.counts();
    assertThat(spilled.spilledBytes()).as("the small budget spilled").isPositive();
    PrivacyReport a = new AnonymityCheck(2, 2, "diagnosis", null, List.of("a"), Map.of(), null, equal, dir,
        16 << 10).finish(spilled).report();
    spilled.close();
    PrivacyReport b = big.finish().report();
    assertThat(a.classesSuppressed()).isEqualTo(b.classesSuppressed()).isPositive();
    assertThat(a.tCloseness()).isEqualTo(b.tCloseness());
    assertThat(a.tCloseness().classesAbove()).isPositive();
    assertThat(a.tCloseness().maxDistance()).isLessThanOrEqualTo(0.5);
  }

  @Test
  void theSearchGeneralizesOrSuppressesUntilTHoldsCountingPeople() {
    Closeness ordered = new Closeness("salary", 0.3, Distance.ORDERED);
    // suppressing the far class is 3 of 9 people: within 40%, not within 10%
    for (double limit : new double[] {0.4, 0.1}) {
      var opt = new BoundPipeline.Optimization(limit, "person", List.of(new TopHierarchy()));
      AnonymityCheck check = new AnonymityCheck(3, null, "salary", null, List.of("band"), Map.of(), opt, ordered,
          dir, 1 << 20);
      salaries(check, check);
      // the people of {3,4,5} again, twelve monthly rows each: rows would pull the class's distribution, people do not
      for (int month = 0; month < 12; month++) {
        check.add(qi("band-3"), 3000, 1, "p3");
      }
      AnonymityCheck.Verdict v = check.finish();
      PrivacyReport r = v.report();
      if (limit == 0.4) {
        assertThat(v.levels()).containsExactly(0);
        assertThat(r.generalization().peopleSuppressed()).isEqualTo(3);
        assertThat(r.tCloseness().maxDistance()).isCloseTo(0.25, within(EPS));
        assertThat(r.tCloseness().classesAbove()).isEqualTo(1);
      } else {
        assertThat(v.levels()).as("one class: the table's own distribution").containsExactly(1);
        assertThat(r.recordsSuppressed()).isZero();
        assertThat(r.tCloseness().maxDistance()).isCloseTo(0, within(EPS));
      }
    }
  }
}
