package io.dataops.pipelines.privacy.lattice;

import io.dataops.pipelines.privacy.Closeness;
import io.dataops.pipelines.privacy.SensitiveDistribution;
import io.dataops.pipelines.privacy.ValueKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Finds the lattice node (a level per quasi-identifier) that meets k-anonymity (and distinct l-diversity and
 * t-closeness, when set) with at most the suppression limit suppressed and loses least information
 * ({@link Node#loss}); ties go to less suppression, then to the lower node, then to the lower levels in column order.
 *
 * <p>Pruning (bottom-up with predictive tagging, as ARX's algorithms use monotonicity): meeting the model is monotone
 * — generalizing only merges classes, so a node above one that meets it meets it too, and a node below one that fails
 * fails — so a node below a failed one is tagged failed without being counted, and so is a node where one column
 * alone, at its level, leaves more than the limit in groups below k (its classes lie within those groups). The loss with suppression is not
 * monotone (generalizing can keep records that were suppressed), so instead nodes are visited in the order of a lower
 * bound of their loss (the loss if nothing were suppressed, which only grows with the levels and is at most the
 * loss), and the search stops once that bound exceeds the best loss found; a node above one that suppresses nothing
 * is passed over (it suppresses nothing either and each of its cells loses at least as much). {@link #exhaustive}
 * evaluates every node, for the test that both agree.
 *
 * <p>t-closeness is not monotone with suppression (ARX declares it non-monotonic): a generalization can merge a kept
 * class with a suppressed one whose distribution is far from the table's, and the union may be farther than t, so a
 * node above one that meets the model may fail. A node is therefore tagged failed only when k and l alone suppress
 * more than the limit (they are monotone, and t only adds suppression; as nodes are visited by a bound that grows with
 * the levels, a node below is visited before, so the tag rarely spares work). The other shortcuts do not rest on
 * monotonicity of the model: the column-alone bound is about k, and a node above one that suppresses nothing loses at
 * least as much and suppresses no less (ties go to the other), so it cannot be the choice whether it meets t or not.
 */
public final class LatticeSearch {
  /** Larger lattices are refused: declare shorter hierarchies or fewer quasi-identifiers. */
  public static final int MAX_NODES = 100_000;
  private static final double EPSILON = 1e-9;

  /**
   * @param people classes count distinct people (the tuples' person hashes), not weighted records
   */
  public record Settings(int k, int l, double suppressionLimit, boolean people, Closeness closeness) {
    /** Without t-closeness. */
    public Settings(int k, int l, double suppressionLimit, boolean people) {
      this(k, l, suppressionLimit, people, null);
    }
  }

  /**
   * The search's outcome.
   *
   * @param chosen the best node meeting the model, or the top node when none does ({@code chosen.meets()} false)
   * @param frontier evaluated nodes that meet the model with no evaluated meeting node below them, by loss
   */
  public record Result(Node chosen, List<Node> frontier, int nodes, int evaluated) {}

  private final LatticeCounts counts;
  private final Settings settings;
  private final int n;
  private final int[] heights;
  /**
   * Per column, per value code, per level: the cell's loss times the column's {@link #denominator} (the values its
   * generalized value covers − 1; the top: all). Integers, so that sums do not depend on the order tuples were
   * counted in: parallel parts merge in any order, and both engines must choose the same node.
   */
  private final long[][] cellLoss;
  private final long[] denominator;
  /** Per column and level: the column's loss if no record were suppressed, times records and the denominator. */
  private final long[][] columnLoss;
  private final long records;
  private final long people;
  /**
   * Per column and level: the records (people, with a person key) that the column alone at that level places in
   * groups below k. A node's classes lie within these groups, so it suppresses at least the most of these over its
   * columns: a node whose bound exceeds the limit fails without being counted.
   */
  private final long[][] marginalSuppressed;
  /**
   * The most classes a node may have and still meet the model, counting records: its suppressed classes hold at
   * least one record each and at most the limit in all, its kept ones at least k each, so classes ≤ B + (records −
   * B) / k with B the most records the limit allows. Counting a node stops once its classes pass this (nodes the
   * search counts at a million rows are nearly unique: most of their tuples need not be grouped). With a person key
   * a person may fall into several classes and a record may weigh nothing, so there is no such cap then.
   */
  private final long classCap;
  /** The whole table's distribution of the sensitive column (t-closeness), else null. */
  private final SensitiveDistribution table;

  public LatticeSearch(LatticeCounts counts, Settings settings) {
    this.counts = counts;
    this.settings = settings;
    this.n = counts.columns();
    this.heights = counts.heights();
    this.cellLoss = new long[n][];
    this.denominator = new long[n];
    this.columnLoss = new long[n][];
    long r = 0;
    for (int t = 0; t < counts.tuples(); t++) {
      r += counts.weight(t);
    }
    this.records = r;
    this.people = settings.people() ? distinctPeople() : 0;
    this.classCap = settings.people() || !everyTupleWeighs() ? Long.MAX_VALUE : classCap(records, settings);
    this.table = settings.closeness() == null ? null : distribution();
    this.marginalSuppressed = new long[n][];
    for (int c = 0; c < n; c++) {
      marginalSuppressed[c] = marginalSuppressed(c);
      denominator[c] = Math.max(1, counts.values(c) - 1);
      cellLoss[c] = cellLoss(c);
      columnLoss[c] = new long[heights[c]];
      for (int t = 0; t < counts.tuples(); t++) {
        int code = counts.code(t, c);
        for (int j = 0; j < heights[c]; j++) {
          columnLoss[c][j] += counts.weight(t) * cellLoss[c][code * heights[c] + j];
        }
      }
    }
  }

  static long classCap(long records, Settings settings) {
    long suppressible = (long) Math.floor(settings.suppressionLimit() * records + EPSILON);
    suppressible = Math.min(records, suppressible);
    return suppressible + (records - suppressible) / settings.k();
  }

  private boolean everyTupleWeighs() {
    for (int t = 0; t < counts.tuples(); t++) {
      if (counts.weight(t) < 1) {
        return false;
      }
    }
    return true;
  }

  private long distinctPeople() {
    LongSet seen = new LongSet();
    for (int t = 0; t < counts.tuples(); t++) {
      seen.add(counts.person(t));
    }
    return seen.size();
  }

  /**
   * The sensitive values over all tuples: weighted records, or with a person key each distinct (person, value) pair
   * once — a person with twelve rows of one value counts once, as in a class.
   */
  private SensitiveDistribution distribution() {
    SensitiveDistribution.Builder b = new SensitiveDistribution.Builder(settings.closeness());
    LongPairIndex seen = settings.people() ? new LongPairIndex(counts.tuples()) : null;
    for (int t = 0; t < counts.tuples(); t++) {
      long s = counts.sensitive(t);
      if (s != Closeness.NONE && (seen == null || seen.add(counts.person(t), s))) {
        b.add(s, seen == null ? counts.weight(t) : 1);
      }
    }
    return b.build();
  }

  private long[] marginalSuppressed(int c) {
    long[] out = new long[heights[c]];
    for (int j = 0; j < heights[c]; j++) {
      LongPairIndex groups = new LongPairIndex(Math.min(counts.tuples(), counts.values(c)));
      int[] groupOf = new int[counts.tuples()];
      for (int t = 0; t < counts.tuples(); t++) {
        groupOf[t] = groups.indexOf(counts.levelHash(c, counts.code(t, c), j), 0);
      }
      long[] size = new long[groups.size()];
      LongPairIndex seen = settings.people() ? new LongPairIndex(counts.tuples()) : null;
      for (int t = 0; t < counts.tuples(); t++) {
        if (seen == null) {
          size[groupOf[t]] += counts.weight(t);
        } else if (seen.add(groupOf[t], counts.person(t))) {
          size[groupOf[t]]++;
        }
      }
      LongSet gone = settings.people() ? new LongSet() : null;
      for (int t = 0; t < counts.tuples(); t++) {
        if (size[groupOf[t]] < settings.k()) {
          if (gone == null) {
            out[j] += counts.weight(t);
          } else {
            gone.add(counts.person(t));
          }
        }
      }
      if (gone != null) {
        out[j] = gone.size();
      }
    }
    return out;
  }

  /** True when some column alone already suppresses more than the limit at the node's level. */
  private boolean failsAlone(int[] node) {
    long all = settings.people() ? people : records;
    for (int c = 0; c < n; c++) {
      if (marginalSuppressed[c][node[c]] > settings.suppressionLimit() * all + EPSILON) {
        return true;
      }
    }
    return false;
  }

  /** (values the generalized value covers − 1) / (distinct values − 1), per code and level; 1 at the top. */
  private long[] cellLoss(int c) {
    int values = counts.values(c);
    int h = heights[c];
    long[] out = new long[values * h];
    for (int j = 0; j < h; j++) {
      LongIntMap covers = new LongIntMap();
      for (int v = 0; v < values; v++) {
        long g = counts.levelHash(c, v, j);
        covers.put(g, Math.max(0, covers.get(g)) + 1);
      }
      for (int v = 0; v < values; v++) {
        out[v * h + j] = j == h - 1 ? denominator[c] : values <= 1 ? 0 : covers.get(counts.levelHash(c, v, j)) - 1;
      }
    }
    return out;
  }

  /** The pruned search. */
  public Result search() {
    List<int[]> nodes = nodes();
    double[] bound = new double[nodes.size()];
    Integer[] order = new Integer[nodes.size()];
    for (int i = 0; i < nodes.size(); i++) {
      bound[i] = lowerBound(nodes.get(i));
      order[i] = i;
    }
    Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> bound[i])
        .thenComparingInt(i -> sum(nodes.get(i))).thenComparing(i -> nodes.get(i), Arrays::compare));
    List<int[]> failed = new ArrayList<>();
    List<int[]> complete = new ArrayList<>();
    List<Node> met = new ArrayList<>();
    Node best = null;
    int evaluated = 0;
    for (int i : order) {
      if (best != null && bound[i] > best.loss() + EPSILON) {
        break;
      }
      int[] node = nodes.get(i);
      if (failsAlone(node) || failed.stream().anyMatch(f -> below(node, f))) {
        continue; // a column alone suppresses too much, or tagged: a node above it fails
      }
      if (complete.stream().anyMatch(z -> below(z, node))) {
        continue; // above a node that suppresses nothing: suppresses nothing either, and loses at least as much
      }
      Evaluation e = evaluation(node, classCap);
      evaluated++;
      if (e == null) {
        failed.add(node); // more classes than k allows within the limit: k alone fails it
        continue;
      }
      Node r = e.node();
      if (!r.meets()) {
        if (e.failsKAndL()) {
          failed.add(node);
        }
      } else {
        met.add(r);
        if (r.recordsSuppressed() == 0) {
          complete.add(node);
        }
        if (best == null || BETTER.compare(r, best) < 0) {
          best = r;
        }
      }
    }
    return result(best, met, nodes.size(), evaluated);
  }

  /** Every node evaluated: what the pruned search must agree with. */
  public Result exhaustive() {
    List<int[]> nodes = nodes();
    List<Node> met = new ArrayList<>();
    Node best = null;
    for (int[] node : nodes) {
      Node r = evaluate(node);
      if (r.meets()) {
        met.add(r);
        if (best == null || BETTER.compare(r, best) < 0) {
          best = r;
        }
      }
    }
    return result(best, met, nodes.size(), nodes.size());
  }

  private Result result(Node best, List<Node> met, int nodes, int evaluated) {
    if (best == null) {
      int[] top = new int[n];
      for (int c = 0; c < n; c++) {
        top[c] = heights[c] - 1;
      }
      best = evaluate(top);
    }
    List<Node> frontier = new ArrayList<>();
    for (Node m : met) {
      if (met.stream().noneMatch(o -> o != m && below(levels(o), levels(m)) && !o.levels().equals(m.levels()))) {
        frontier.add(m);
      }
    }
    frontier.sort(BETTER);
    return new Result(best, List.copyOf(frontier), nodes, evaluated);
  }

  static final Comparator<Node> BETTER = Comparator.comparingDouble(Node::loss)
      .thenComparingLong(Node::recordsSuppressed).thenComparingInt(Node::height)
      .thenComparing(x -> levels(x), Arrays::compare);

  private static int[] levels(Node x) {
    return x.levels().stream().mapToInt(Integer::intValue).toArray();
  }

  private List<int[]> nodes() {
    long size = 1;
    for (int h : heights) {
      size *= h;
      if (size > MAX_NODES) {
        throw new IllegalArgumentException("the generalization lattice has more than " + MAX_NODES + " nodes "
            + Arrays.toString(heights) + " levels): declare shorter hierarchies or fewer quasi-identifiers");
      }
    }
    List<int[]> out = new ArrayList<>();
    int[] node = new int[n];
    for (long i = 0; i < size; i++) {
      out.add(node.clone());
      for (int c = n - 1; c >= 0; c--) {
        if (++node[c] < heights[c]) {
          break;
        }
        node[c] = 0;
      }
    }
    return out;
  }

  private double lowerBound(int[] node) {
    if (records == 0) {
      return 0;
    }
    double sum = 0;
    for (int c = 0; c < n; c++) {
      sum += (double) columnLoss[c][node[c]] / denominator[c];
    }
    return sum / ((double) records * n);
  }

  private static int sum(int[] node) {
    int s = 0;
    for (int x : node) {
      s += x;
    }
    return s;
  }

  /** True when {@code a} is at or below {@code b} in every column. */
  static boolean below(int[] a, int[] b) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] > b[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The classes of a node: each tuple's class index, and per class its size, whether k and l keep it, its distance to
   * the table's sensitive distribution (with t-closeness) and whether it is kept.
   */
  final class Classes {
    final int[] classOf;
    final long[] weight;
    final long[] size;
    final boolean[] keptKAndL;
    final double[] distance;
    final boolean[] kept;
    final int count;
    /** More classes than the cap: counting stopped, only {@link #overflow} is meaningful. */
    final boolean overflow;

    Classes(int[] node) {
      this(node, Long.MAX_VALUE);
    }

    Classes(int[] node, long cap) {
      int tuples = counts.tuples();
      classOf = new int[tuples];
      LongPairIndex index = new LongPairIndex((int) Math.min(tuples, cap + 1));
      for (int t = 0; t < tuples; t++) {
        long k1 = 0x243f6a8885a308d3L;
        long k2 = 0x13198a2e03707344L;
        for (int c = 0; c < n; c++) {
          long h = counts.levelHash(c, counts.code(t, c), node[c]);
          k1 = LongIntMap.mix(k1 ^ h) + c;
          k2 = LongIntMap.mix(k2 + h * 0x9e3779b97f4a7c15L) ^ c;
        }
        classOf[t] = index.indexOf(k1, k2);
        if (index.size() > cap) {
          break;
        }
      }
      overflow = index.size() > cap;
      if (overflow) {
        count = index.size();
        weight = size = null;
        kept = keptKAndL = null;
        distance = null;
        return;
      }
      count = index.size();
      weight = new long[count];
      long[] people = new long[count];
      long[] distinct = new long[count];
      LongPairIndex personSeen = settings.people() ? new LongPairIndex(tuples) : null;
      LongPairIndex sensitiveSeen = settings.l() > 1 ? new LongPairIndex(tuples) : null;
      for (int t = 0; t < tuples; t++) {
        int k = classOf[t];
        weight[k] += counts.weight(t);
        if (personSeen != null && personSeen.add(k, counts.person(t))) {
          people[k]++;
        }
        if (sensitiveSeen != null && counts.sensitive(t) != Closeness.NONE
            && sensitiveSeen.add(k, counts.sensitive(t))) {
          distinct[k]++;
        }
      }
      size = settings.people() ? people : weight;
      keptKAndL = new boolean[count];
      kept = new boolean[count];
      distance = table == null ? null : distances();
      for (int k = 0; k < count; k++) {
        keptKAndL[k] = size[k] >= settings.k() && (settings.l() <= 1 || distinct[k] >= settings.l());
        kept[k] = keptKAndL[k] && (distance == null || distance[k] <= settings.closeness().t() + EPSILON);
      }
    }

    /**
     * Each class's earth mover's distance to the table: its histogram (weighted records, or distinct (person, value)
     * pairs with a person key) as cells of (class, value rank), read back in (class, rank) order.
     */
    private double[] distances() {
      int tuples = counts.tuples();
      LongPairIndex cells = new LongPairIndex(tuples);
      long[] cellCount = new long[Math.max(1, tuples)];
      long[] order = new long[Math.max(1, tuples)]; // (class, rank) of each cell, to read them back sorted
      LongPairIndex seen = settings.people() ? new LongPairIndex(tuples) : null;
      for (int t = 0; t < tuples; t++) {
        long s = counts.sensitive(t);
        if (s == Closeness.NONE || seen != null && !seen.add(classOf[t], LongIntMap.mix(counts.person(t)) ^ s)) {
          continue;
        }
        int rank = table.rank(s);
        int before = cells.size();
        int cell = cells.indexOf(classOf[t], rank);
        if (cell == before) {
          order[cell] = (long) classOf[t] << 32 | rank;
        }
        cellCount[cell] += seen == null ? counts.weight(t) : 1;
      }
      int o = cells.size();
      Arrays.sort(order, 0, o);
      double[] out = new double[count];
      int[] ranks = new int[16];
      long[] n = new long[16];
      for (int i = 0; i < o; ) {
        int k = (int) (order[i] >>> 32);
        int values = 0;
        for (; i < o && (int) (order[i] >>> 32) == k; i++) {
          if (values == ranks.length) {
            ranks = Arrays.copyOf(ranks, 2 * values);
            n = Arrays.copyOf(n, 2 * values);
          }
          ranks[values] = (int) order[i];
          n[values] = cellCount[cells.indexOf(k, ranks[values])];
          values++;
        }
        out[k] = table.distance(ranks, n, values);
      }
      return out;
    }
  }

  /** A node as evaluated, and whether k and l alone suppress more than the limit (then every node below fails too). */
  private record Evaluation(Node node, boolean failsKAndL) {}

  /** Counts a node's classes and what applying it gives. */
  public Node evaluate(int[] node) {
    return evaluation(node, Long.MAX_VALUE).node();
  }

  /** As {@link #evaluate(int[])}, or null when the node has more than {@code cap} classes (it fails k then). */
  private Evaluation evaluation(int[] node, long cap) {
    Classes cl = new Classes(node, cap);
    if (cl.overflow) {
      return null;
    }
    long suppressed = 0;
    long classesSuppressed = 0;
    long smallest = Long.MAX_VALUE;
    long discern = 0;
    double maxDistance = 0;
    long classesAbove = 0;
    for (int k = 0; k < cl.count; k++) {
      if (cl.distance != null && cl.keptKAndL[k]) {
        if (cl.kept[k]) {
          maxDistance = Math.max(maxDistance, cl.distance[k]);
        } else {
          classesAbove++;
        }
      }
      if (cl.kept[k]) {
        smallest = Math.min(smallest, cl.size[k]);
        discern += cl.weight[k] * cl.weight[k];
      } else {
        suppressed += cl.weight[k];
        classesSuppressed++;
      }
    }
    discern += suppressed * records;
    long peopleSuppressed = 0;
    if (settings.people()) {
      LongSet gone = new LongSet();
      for (int t = 0; t < counts.tuples(); t++) {
        if (!cl.kept[cl.classOf[t]]) {
          gone.add(counts.person(t));
        }
      }
      peopleSuppressed = gone.size();
    }
    // The loss if nothing were suppressed is known per column and level (columnLoss); only the suppressed tuples'
    // cells change it, to the full denominator: a pass over the suppressed tuples, not every cell of every tuple
    // (the same integers, so the same node on both engines).
    long[] loss = new long[n];
    for (int c = 0; c < n; c++) {
      loss[c] = columnLoss[c][node[c]];
    }
    if (classesSuppressed > 0) {
      for (int t = 0; t < counts.tuples(); t++) {
        if (!cl.kept[cl.classOf[t]]) {
          long w = counts.weight(t);
          for (int c = 0; c < n; c++) {
            loss[c] += w * (denominator[c] - cellLoss[c][counts.code(t, c) * heights[c] + node[c]]);
          }
        }
      }
    }
    List<Double> byColumn = new ArrayList<>();
    double total = 0;
    for (int c = 0; c < n; c++) {
      double x = records == 0 ? 0 : (double) loss[c] / denominator[c] / records;
      byColumn.add(x);
      total += x;
    }
    double overall = total / n;
    long all = settings.people() ? people : records;
    long gone = settings.people() ? peopleSuppressed : suppressed;
    boolean meets = all == 0 || gone <= settings.suppressionLimit() * all + EPSILON;
    boolean failsKAndL = !meets && (classesAbove == 0 || suppressedByKAndL(cl) > settings.suppressionLimit() * all
        + EPSILON);
    return new Evaluation(new Node(Arrays.stream(node).boxed().toList(), meets, records, suppressed, people,
        peopleSuppressed, cl.count, classesSuppressed, smallest == Long.MAX_VALUE ? 0 : smallest, overall,
        List.copyOf(byColumn), discern, maxDistance, classesAbove), failsKAndL);
  }

  /** What k and l alone suppress: records, or people with a person key. */
  private long suppressedByKAndL(Classes cl) {
    long records = 0;
    LongSet gone = settings.people() ? new LongSet() : null;
    for (int t = 0; t < counts.tuples(); t++) {
      if (!cl.keptKAndL[cl.classOf[t]]) {
        if (gone == null) {
          records += counts.weight(t);
        } else {
          gone.add(counts.person(t));
        }
      }
    }
    return gone == null ? records : gone.size();
  }

  /**
   * The kept classes of {@code node} in ascending hash order (the hashes of {@link #classHashes}):
   * {@code [h1, h2, records, size, ...]}, size in people with a person key, else records.
   */
  public long[] keptClasses(int[] node) {
    Classes cl = new Classes(node);
    boolean[] done = new boolean[cl.count];
    List<long[]> out = new ArrayList<>();
    ValueKey key = new ValueKey();
    for (int t = 0; t < counts.tuples(); t++) {
      int k = cl.classOf[t];
      if (done[k] || !cl.kept[k]) {
        continue;
      }
      done[k] = true;
      key.reset();
      for (int c = 0; c < n; c++) {
        key.add(counts.levelHash(c, counts.code(t, c), node[c]));
      }
      var h = key.hash();
      out.add(new long[] {h.h1, h.h2, cl.weight[k], cl.size[k]});
    }
    out.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    long[] flat = new long[out.size() * 4];
    for (int i = 0; i < out.size(); i++) {
      System.arraycopy(out.get(i), 0, flat, 4 * i, 4);
    }
    return flat;
  }

  /**
   * The classes the second pass must suppress at {@code node}, as the 128-bit hashes it computes from a generalized
   * row's quasi-identifiers ({@code ValueKey} over each value's {@link LatticeCounts#hash}), in ascending order:
   * {@code [h1, h2, h1, h2, ...]}. With {@code keptOnes}, the kept classes instead.
   */
  public long[] classHashes(int[] node, boolean keptOnes) {
    Classes cl = new Classes(node);
    boolean[] done = new boolean[cl.count];
    List<long[]> out = new ArrayList<>();
    ValueKey key = new ValueKey();
    for (int t = 0; t < counts.tuples(); t++) {
      int k = cl.classOf[t];
      if (done[k] || cl.kept[k] != keptOnes) {
        continue;
      }
      done[k] = true;
      key.reset();
      for (int c = 0; c < n; c++) {
        key.add(counts.levelHash(c, counts.code(t, c), node[c]));
      }
      var h = key.hash();
      out.add(new long[] {h.h1, h.h2});
    }
    out.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    long[] flat = new long[out.size() * 2];
    for (int i = 0; i < out.size(); i++) {
      flat[2 * i] = out.get(i)[0];
      flat[2 * i + 1] = out.get(i)[1];
    }
    return flat;
  }
}
