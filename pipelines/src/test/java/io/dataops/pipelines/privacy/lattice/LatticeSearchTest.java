package io.dataops.pipelines.privacy.lattice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import io.dataops.pipelines.privacy.Closeness;
import org.junit.jupiter.api.Test;

class LatticeSearchTest {
  private static final long BUDGET = 64L << 20;

  /** A random hierarchy of one of the kinds, with a generator of level-0 values it fits. */
  private record Column(Hierarchy hierarchy, java.util.function.Function<Random, String> values) {}

  private static Column randomColumn(Random r) {
    switch (r.nextInt(4)) {
      case 0 -> {
        return new Column(new TopHierarchy(), x -> "v" + x.nextInt(2 + r.nextInt(4)));
      }
      case 1 -> {
        int spread = 20 + r.nextInt(80);
        return new Column(BandHierarchy.doubling(null, BigDecimal.valueOf(2 + r.nextInt(4)), 1 + r.nextInt(3),
            false), x -> String.valueOf(x.nextInt(spread)));
      }
      case 2 -> {
        return new Column(new PrefixHierarchy(List.of(2, 1)), x -> "" + (char) ('A' + x.nextInt(3))
            + (char) ('a' + x.nextInt(3)) + x.nextInt(3));
      }
      default -> {
        Map<String, Object> tree = new LinkedHashMap<>();
        int groups = 2 + r.nextInt(2);
        List<String> leaves = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
          List<String> members = new ArrayList<>();
          for (int m = 0; m < 1 + r.nextInt(3); m++) {
            members.add("g" + g + "m" + m);
          }
          leaves.addAll(members);
          tree.put("g" + g, members);
        }
        return new Column(TreeHierarchy.parse(tree), x -> x.nextInt(10) == 0 ? "unknown"
            : leaves.get(x.nextInt(leaves.size())));
      }
    }
  }

  @Test
  void prunedSearchFindsTheExhaustiveOptimum() {
    Random r = new Random(20261201);
    long evaluatedPruned = 0;
    long evaluatedAll = 0;
    int closenessTrials = 0;
    int closenessBinding = 0;
    for (int trial = 0; trial < 600; trial++) {
      // t-closeness in half the trials (its own generator: the other trials stay what they were)
      Random tr = new Random(trial);
      io.dataops.pipelines.privacy.Closeness closeness = trial % 2 == 1 ? new io.dataops.pipelines.privacy.Closeness(
          "s", 0.05 + 0.05 * tr.nextInt(8), tr.nextBoolean() ? io.dataops.pipelines.privacy.Closeness.Distance.EQUAL
              : io.dataops.pipelines.privacy.Closeness.Distance.ORDERED) : null;
      int qis = 1 + r.nextInt(3);
      List<Column> cols = new ArrayList<>();
      for (int c = 0; c < qis; c++) {
        cols.add(randomColumn(r));
      }
      boolean people = r.nextBoolean();
      int l = r.nextInt(4) == 0 ? 2 : 0;
      LatticeCounts counts = new LatticeCounts(cols.stream().map(Column::hierarchy).toList(), BUDGET);
      int rows = 1 + r.nextInt(120);
      for (int i = 0; i < rows; i++) {
        String[] texts = new String[qis];
        for (int c = 0; c < qis; c++) {
          texts[c] = r.nextInt(30) == 0 ? null : cols.get(c).values().apply(r);
        }
        long person = people ? 1 + r.nextInt(Math.max(1, rows / 2)) : 0;
        long sensitive = closeness != null ? (tr.nextInt(15) == 0 ? io.dataops.pipelines.privacy.Closeness.NONE
            : tr.nextInt(2 + tr.nextInt(5)) - 2) : l > 0 ? 1 + r.nextInt(3) : 0;
        counts.add(texts, person, sensitive, 1 + (r.nextInt(5) == 0 ? r.nextInt(3) : 0));
      }
      LatticeSearch.Settings s = new LatticeSearch.Settings(2 + r.nextInt(4), l, r.nextInt(4) * 0.05, people,
          closeness);
      LatticeSearch search = new LatticeSearch(counts, s);
      LatticeSearch.Result pruned = search.search();
      LatticeSearch.Result all = search.exhaustive();
      assertThat(pruned.chosen()).as("trial %d", trial).isEqualTo(all.chosen());
      assertThat(pruned.evaluated()).isLessThanOrEqualTo(all.evaluated());
      evaluatedPruned += pruned.evaluated();
      evaluatedAll += all.evaluated();
      if (!people && all.chosen().meets()) {
        long cap = LatticeSearch.classCap(all.chosen().records(), s);
        assertThat(all.frontier()).as("a node that meets the model has at most the cap's classes")
            .allSatisfy(x -> assertThat(x.classes()).isLessThanOrEqualTo(cap));
      }
      if (all.chosen().meets()) {
        assertThat(all.chosen().suppressedShare()).isLessThanOrEqualTo(s.suppressionLimit() + 1e-9);
        assertThat(all.chosen().smallestClass() == 0 || all.chosen().smallestClass() >= s.k()).isTrue();
      }
      if (closeness != null) {
        closenessTrials++;
        assertThat(pruned.chosen().maxDistance()).isLessThanOrEqualTo(closeness.t() + 1e-9);
        // t decided something: without it the search would have chosen another node
        LatticeSearch.Result without = new LatticeSearch(counts, new LatticeSearch.Settings(s.k(), l,
            s.suppressionLimit(), people)).exhaustive();
        if (!without.chosen().levels().equals(all.chosen().levels())) {
          closenessBinding++;
        }
      }
    }
    assertThat(evaluatedPruned).as("the pruning spares work").isLessThan(evaluatedAll);
    assertThat(closenessBinding).as("t changed the optimum in a good share of its %d trials", closenessTrials)
        .isGreaterThan(closenessTrials / 10);
  }

  @Test
  void tClosenessIsNotMonotoneWithSuppressionAndTheSearchStillFindsTheOptimum() {
    // x and y in every class of group g1 and in class a; class b (two records of z, below k) is suppressed at the
    // bottom. Its group g0 = a ∪ b carries z: farther from the table than t, so the group level fails although the
    // level below it meets the model; the top (the table itself, distance 0) meets it again.
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("g0", List.of("a", "b"));
    tree.put("g1", List.of("c", "d"));
    Closeness equal = new Closeness("s", 0.12, Closeness.Distance.EQUAL);
    LatticeCounts counts = new LatticeCounts(List.of(TreeHierarchy.parse(tree)), BUDGET);
    for (String c : List.of("a", "c", "d")) {
      counts.add(new String[] {c}, 0, equal.key("x"), 3);
      counts.add(new String[] {c}, 0, equal.key("y"), 3);
    }
    counts.add(new String[] {"b"}, 0, equal.key("z"), 2);
    LatticeSearch search = new LatticeSearch(counts, new LatticeSearch.Settings(3, 0, 0.1, false, equal));
    int top = TreeHierarchy.parse(tree).height() - 1;
    Node bottom = search.evaluate(new int[] {0});
    Node groups = search.evaluate(new int[] {1});
    Node all = search.evaluate(new int[] {top});
    // q = (.45 x, .45 y, .1 z); a class half x, half y: (.05 + .05 + .1) / 2
    assertThat(bottom.meets()).isTrue();
    assertThat(bottom.recordsSuppressed()).isEqualTo(2);
    assertThat(bottom.maxDistance()).isCloseTo(0.1, org.assertj.core.api.Assertions.within(1e-12));
    // g0 = 3 x, 3 y, 2 z: (.075 + .075 + .15) / 2 = .15 > .12: its 8 records go
    assertThat(groups.meets()).isFalse();
    assertThat(groups.classesAbove()).isEqualTo(1);
    assertThat(groups.recordsSuppressed()).isEqualTo(8);
    assertThat(all.meets()).isTrue();
    assertThat(all.maxDistance()).isCloseTo(0, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(search.search().chosen()).isEqualTo(search.exhaustive().chosen()).isEqualTo(bottom);
  }

  @Test
  void generalizesOnlyAsFarAsTheModelNeeds() {
    // ages 20-39, ten people per 5-year band but fewer per exact age: bands of 5 meet k=10 with nothing suppressed
    LatticeCounts counts = new LatticeCounts(List.of(BandHierarchy.doubling(null, BigDecimal.valueOf(5), 2, false)),
        BUDGET);
    Random r = new Random(7);
    for (int band = 20; band < 40; band += 5) {
      for (int i = 0; i < 10; i++) {
        counts.add(new String[] {String.valueOf(band + r.nextInt(5))}, 0, 0, 1);
      }
    }
    LatticeSearch.Result result = new LatticeSearch(counts, new LatticeSearch.Settings(10, 0, 0, false)).search();
    assertThat(result.chosen().levels()).containsExactly(1);
    assertThat(result.chosen().recordsSuppressed()).isZero();
    assertThat(result.chosen().loss()).isGreaterThan(0).isLessThan(1);
    assertThat(result.chosen().smallestClass()).isEqualTo(10);
    assertThat(result.frontier()).extracting(Node::levels).containsExactly(List.of(1));
  }

  @Test
  void countsPeopleNotRows() {
    // one person with twelve rows in a class is one person: k=5 needs five people
    LatticeCounts counts = new LatticeCounts(List.of(new TopHierarchy()), BUDGET);
    for (int month = 0; month < 12; month++) {
      counts.add(new String[] {"a"}, 1, 0, 1);
    }
    for (int p = 2; p <= 6; p++) {
      counts.add(new String[] {"b"}, p, 0, 1);
    }
    Node rows = new LatticeSearch(counts, new LatticeSearch.Settings(5, 0, 0.5, false)).evaluate(new int[] {0});
    assertThat(rows.recordsSuppressed()).isZero();
    Node people = new LatticeSearch(counts, new LatticeSearch.Settings(5, 0, 0.5, true)).evaluate(new int[] {0});
    assertThat(people.recordsSuppressed()).isEqualTo(12);
    assertThat(people.peopleSuppressed()).isEqualTo(1);
    assertThat(people.people()).isEqualTo(6);
    assertThat(people.meets()).as("1 of 6 people is within 50%").isTrue();
  }

  @Test
  void partsMergeIntoTheCountsOfOnePass() throws Exception {
    List<Hierarchy> h = List.of(new PrefixHierarchy(List.of(1)), BandHierarchy.doubling(null, BigDecimal.TEN, 2,
        false));
    LatticeCounts whole = new LatticeCounts(h, BUDGET);
    LatticeCounts a = new LatticeCounts(h, BUDGET);
    LatticeCounts b = new LatticeCounts(h, BUDGET);
    Random r = new Random(3);
    for (int i = 0; i < 500; i++) {
      String[] t = {"" + (char) ('A' + r.nextInt(4)) + r.nextInt(5), String.valueOf(r.nextInt(90))};
      long person = 1 + r.nextInt(200);
      whole.add(t, person, 0, 1);
      (i % 3 == 0 ? a : b).add(t, person, 0, 1);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    b.writeTo(new DataOutputStream(bytes));
    LatticeCounts read = LatticeCounts.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())),
        BUDGET);
    a.merge(read);
    LatticeSearch.Settings s = new LatticeSearch.Settings(5, 0, 0.05, true);
    assertThat(new LatticeSearch(a, s).search().chosen()).isEqualTo(new LatticeSearch(whole, s).search().chosen());
    assertThat(a.tuples()).isEqualTo(whole.tuples());
  }

  @Test
  void theLossOfANodeWithSuppressedRecordsIsComputedCellByCell() {
    // two columns kept or hidden whole: (a,x) three times, (b,y) once; k=2 suppresses (b,y)
    LatticeCounts two = new LatticeCounts(List.of(new TopHierarchy(), new TopHierarchy()), BUDGET);
    for (String[] t : new String[][] {{"a", "x"}, {"a", "x"}, {"a", "x"}, {"b", "y"}}) {
      two.add(t, 0, 0, 1);
    }
    LatticeSearch s = new LatticeSearch(two, new LatticeSearch.Settings(2, 0, 0.5, false));
    Node bottom = s.evaluate(new int[] {0, 0});
    assertThat(bottom.recordsSuppressed()).isEqualTo(1);
    assertThat(bottom.lossByColumn()).containsExactly(0.25, 0.25); // only the suppressed record's cells are lost
    assertThat(bottom.loss()).isEqualTo(0.25);
    Node hidden = s.evaluate(new int[] {1, 0});
    assertThat(hidden.lossByColumn()).containsExactly(1.0, 0.25);
    assertThat(hidden.loss()).isEqualTo(0.625);
    // bands: 21, 25, 27 share [20,30), which covers 3 of the 4 distinct values: (3 - 1) / (4 - 1) each; 33 is alone
    // in [30,40) and suppressed (k=3): 1
    LatticeCounts ages = new LatticeCounts(List.of(BandHierarchy.doubling(null, BigDecimal.TEN, 2, false)), BUDGET);
    for (String age : List.of("21", "25", "27", "33")) {
      ages.add(new String[] {age}, 0, 0, 1);
    }
    Node decade = new LatticeSearch(ages, new LatticeSearch.Settings(3, 0, 0.5, false)).evaluate(new int[] {1});
    assertThat(decade.recordsSuppressed()).isEqualTo(1);
    assertThat(decade.loss()).isCloseTo((3 * 2 / 3.0 + 1) / 4, org.assertj.core.api.Assertions.within(1e-12));
  }
}
