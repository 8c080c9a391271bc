package io.dataops.pipelines.privacy;

import io.dataops.core.files.CheckedFiles;
import io.dataops.lakehouse.types.ValueType;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.privacy.lattice.LatticeCounts;
import io.dataops.pipelines.privacy.lattice.LatticeSearch;
import io.dataops.pipelines.privacy.lattice.Node;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * k-anonymity (and optional distinct l-diversity and t-closeness) over the product's quasi-identifiers, enforced by
 * suppression: the first pass {@link #add}s every output row's quasi-identifier values (and sensitive value, and
 * weight); {@link #finish} decides which classes are too small (fewer than k records, fewer than l distinct sensitive
 * values, or a distribution of sensitive values farther than t from the whole table's: {@link Closeness}) and returns
 * the {@link Verdict} the second pass asks for each row. Memory is bounded by the budget given
 * (classes spill to disk beyond it); the verdict holds the smaller of the kept and the suppressed class sets, 16 bytes
 * per class.
 *
 * <p>In parallel: each part of the rows is counted by a check of its own, which hands over what it counted as
 * {@link #counts}; the parts' states are merged ({@link ClassCounts#merge}) and {@link #finish(ClassCounts)} on a
 * check with the same settings that counted nothing itself gives the verdict and report of one pass over all rows.
 */
public final class AnonymityCheck implements AutoCloseable {
  private final int k;
  private final int l;
  private final String sensitive;
  private final String weightColumn;
  private final List<String> quasiIdentifiers;
  private final Map<String, String> added;
  private final ClassCounter counter;
  private final Path spillDir;
  private final long memoryBudget;
  private final ValueKey key = new ValueKey();
  private final ValueKey sensitiveKey = new ValueKey();
  private final ClassCounts.Basis basis;
  private boolean counted;
  private boolean ended;
  private final BoundPipeline.Optimization optimization;
  private final Closeness closeness;
  private LatticeCounts lattice;
  private Population population;
  private double riskThreshold = io.dataops.pipelines.definition.PipelineDefinition.PrivacySpec.DEFAULT_RISK_THRESHOLD;

  public AnonymityCheck(int k, Integer l, String sensitive, String weightColumn, List<String> quasiIdentifiers,
      Map<String, String> added, Path spillDir, long memoryBudget) {
    this(k, l, sensitive, weightColumn, quasiIdentifiers, added, null, spillDir, memoryBudget);
  }

  /**
   * @param optimization the generalization search's settings (null: suppression only): the first pass counts the
   *     lattice's bottom instead of classes, and the verdict applies the least-loss node that meets k (and l)
   */
  public AnonymityCheck(int k, Integer l, String sensitive, String weightColumn, List<String> quasiIdentifiers,
      Map<String, String> added, BoundPipeline.Optimization optimization, Path spillDir, long memoryBudget) {
    this(k, l, sensitive, weightColumn, quasiIdentifiers, added, optimization, null, spillDir, memoryBudget);
  }

  /**
   * @param closeness t-closeness of the sensitive column (null: none); {@code sensitive} is its column: classes are
   *     counted with their sensitive histograms and a class farther than t from the whole table is suppressed
   */
  public AnonymityCheck(int k, Integer l, String sensitive, String weightColumn, List<String> quasiIdentifiers,
      Map<String, String> added, BoundPipeline.Optimization optimization, Closeness closeness, Path spillDir,
      long memoryBudget) {
    if (k < 1) {
      throw new IllegalArgumentException("k is at least 1");
    }
    this.k = k;
    this.l = l == null ? 0 : l;
    this.sensitive = sensitive;
    this.weightColumn = weightColumn;
    this.quasiIdentifiers = List.copyOf(quasiIdentifiers);
    this.added = Map.copyOf(added);
    if (closeness != null && !closeness.column().equals(sensitive)) {
      throw new IllegalArgumentException("t-closeness is about the sensitive column");
    }
    this.closeness = closeness;
    this.counter = new ClassCounter(this.l, closeness != null, spillDir, memoryBudget);
    this.spillDir = spillDir;
    this.memoryBudget = memoryBudget;
    this.basis = new ClassCounts.Basis(this.l, this.quasiIdentifiers, sensitive, weightColumn, closeness);
    this.optimization = optimization;
    if (optimization != null) {
      if (optimization.hierarchies().size() != this.quasiIdentifiers.size()) {
        throw new IllegalArgumentException("one hierarchy per quasi-identifier");
      }
      this.lattice = new LatticeCounts(optimization.hierarchies(), memoryBudget);
    }
  }

  /**
   * Reports risks against {@code threshold} and, with a population (null: none), the journalist risk against it: its
   * people are counted per class when the verdict is given.
   */
  public AnonymityCheck withRisk(double threshold, Population population) {
    this.riskThreshold = threshold;
    this.population = population;
    return this;
  }

  /** One output row: its quasi-identifier values in {@link #quasiIdentifiers} order. */
  public void add(Object[] qi, Object sensitiveValue, long weight) {
    add(qi, sensitiveValue, weight, null);
  }

  /**
   * One output row, with its person (the person key's value: classes count distinct people when the search has a
   * person key; ignored otherwise).
   */
  public void add(Object[] qi, Object sensitiveValue, long weight, Object person) {
    if (ended) {
      throw new IllegalStateException("the first pass has ended: no row can be added");
    }
    counted = true;
    if (lattice != null) {
      String[] texts = new String[qi.length];
      for (int i = 0; i < qi.length; i++) {
        texts[i] = ValueType.text(qi[i]);
      }
      long p = optimization.personKey() == null ? 0 : LatticeCounts.hash(key, ValueType.text(person)) | 1;
      long s = closeness != null ? closeness.key(sensitiveValue) : l > 1 && sensitiveValue != null
          ? LatticeCounts.hash(sensitiveKey, ValueType.text(sensitiveValue)) | 1 : Closeness.NONE;
      lattice.add(texts, p, s, weight);
      return;
    }
    Hash128 h = classOf(key, qi);
    long s = 0;
    boolean hasSensitive = (l > 1 || closeness != null) && sensitiveValue != null;
    if (closeness != null) {
      s = closeness.key(sensitiveValue);
    } else if (hasSensitive) {
      s = sensitiveKey.reset().add(sensitiveValue).hash().h1;
    }
    counter.add(h.h1, h.h2, weight, s, hasSensitive);
  }

  static Hash128 classOf(ValueKey key, Object[] qi) {
    key.reset();
    for (Object v : qi) {
      key.add(v);
    }
    return key.hash();
  }

  /** The verdict over the rows this check counted. */
  public Verdict finish() {
    try (ClassCounts own = counts()) {
      return verdict(own);
    }
  }

  /**
   * Ends the first pass and hands over what it counted (the caller closes it): a part's state, to merge with the
   * other parts' or to write out.
   */
  public ClassCounts counts() {
    if (ended) {
      throw new IllegalStateException("the first pass has ended already");
    }
    ended = true;
    if (lattice != null) {
      ClassCounts counts = ClassCounts.ofLattice(basis, lattice, spillDir, memoryBudget);
      lattice = null;
      return counts;
    }
    ClassCounts counts = new ClassCounts(basis, spillDir, memoryBudget);
    counter.handOver(counts);
    return counts;
  }

  /**
   * The verdict over {@code counts} (the parts' states merged, or a state read back), on a check with the same
   * settings that counted no row itself. {@code counts} is only read: it may be written out or merged further after.
   */
  public Verdict finish(ClassCounts counts) {
    if (counted) {
      throw new IllegalStateException("this check counted rows itself: merge its counts() with the others' instead");
    }
    if (!basis.equals(counts.basis())) {
      throw new IllegalArgumentException("class counts over " + counts.basis() + " cannot be finished by a check over "
          + basis);
    }
    ended = true;
    return verdict(counts);
  }

  private Verdict verdict(ClassCounts counts) {
    if ((optimization != null) != (counts.lattice() != null)) {
      throw new IllegalArgumentException("class counts " + (optimization != null ? "without" : "with")
          + " the generalization search cannot be finished by a check " + (optimization != null ? "with" : "without")
          + " it");
    }
    if (counts.lattice() != null) {
      return optimized(counts.lattice());
    }
    long recordsIn = 0;
    long recordsOut = 0;
    long classes = 0;
    long classesSuppressed = 0;
    long smallest = Long.MAX_VALUE;
    // Every class's verdict, in hash order: in memory up to the budget, else in a scratch file; then the smaller of
    // the kept and the suppressed sets is loaded for the second pass.
    long[] people = new long[1];
    long discernibility = 0;
    SensitiveDistribution table = closeness == null ? null : distribution(counts);
    double maxDistance = 0;
    long classesAbove = 0;
    int[] ranks = new int[8];
    try (ClassCounts.ClassCursor c = counts.classes(); VerdictLog log = new VerdictLog(spillDir, memoryBudget);
        RiskTally risks = new RiskTally(riskThreshold, populationCounts(null, people))) {
      while (c.next()) {
        classes++;
        recordsIn += c.weight();
        boolean tooSmall = c.weight() < k || l > 1 && c.distinct() < l;
        if (!tooSmall && table != null) {
          if (ranks.length < c.values) {
            ranks = new int[c.keys.length];
          }
          for (int i = 0; i < c.values; i++) {
            ranks[i] = table.rank(c.keys[i]);
          }
          double d = table.distance(ranks, c.counts, c.values);
          if (d > closeness.t() + EPSILON) {
            tooSmall = true;
            classesAbove++;
          } else {
            maxDistance = Math.max(maxDistance, d);
          }
        }
        if (tooSmall) {
          classesSuppressed++;
        } else {
          recordsOut += c.weight();
          smallest = Math.min(smallest, c.weight());
          risks.kept(c.h1(), c.h2(), c.weight(), c.weight());
          discernibility += c.weight() * c.weight();
        }
        log.add(c.h1(), c.h2(), !tooSmall);
      }
      long keptClasses = classes - classesSuppressed;
      PrivacyReport report = new PrivacyReport(k, l > 0 ? l : null, sensitive, weightColumn, quasiIdentifiers, added,
          recordsIn, recordsOut, recordsIn - recordsOut, classes, classesSuppressed,
          recordsOut == 0 ? 0 : smallest, recordsOut == 0 ? 0 : 1.0 / smallest,
          recordsOut == 0 ? 0 : (double) keptClasses / recordsOut, counts.spilledBytes() + log.spilledBytes(), null,
          riskThreshold, risks.prosecutorAtRisk(), risks.prosecutorShareAtRisk(), risks.journalist(population,
              people[0]), discernibility + (recordsIn - recordsOut) * recordsIn, closenessResult(maxDistance,
                  classesAbove));
      boolean holdKept = keptClasses <= classesSuppressed;
      return new Verdict(log.select(holdKept), holdKept, report);
    }
  }

  /** Distances above t by less than this are rounding, not distance: such a class meets t. */
  static final double EPSILON = 1e-9;

  /** The whole table's distribution of the sensitive column: a pass over the entries of every class. */
  private SensitiveDistribution distribution(ClassCounts counts) {
    SensitiveDistribution.Builder b = new SensitiveDistribution.Builder(closeness);
    try (ClassCounts.Cursor c = counts.cursor()) {
      while (c.next()) {
        b.add(c.current[3], c.weight());
      }
    }
    return b.build();
  }

  private Closeness.Result closenessResult(double maxDistance, long classesAbove) {
    return closeness == null ? null : new Closeness.Result(closeness.column(), closeness.distance().word(),
        closeness.t(), maxDistance, classesAbove);
  }

  /** The verdict of the least-loss node: its classes' suppression, its levels and the report of both. */
  private Verdict optimized(LatticeCounts bottom) {
    boolean people = optimization.personKey() != null;
    LatticeSearch search = new LatticeSearch(bottom, new LatticeSearch.Settings(k, l, optimization.suppressionLimit(),
        people, closeness));
    LatticeSearch.Result result = search.search();
    Node chosen = result.chosen();
    int[] node = chosen.levels().stream().mapToInt(Integer::intValue).toArray();
    long keptClasses = chosen.classes() - chosen.classesSuppressed();
    boolean holdKept = keptClasses <= chosen.classesSuppressed();
    long[] pairs = search.classHashes(node, holdKept);
    LongPairs listed = new LongPairs();
    for (int i = 0; i < pairs.length; i += 2) {
      listed.add(pairs[i], pairs[i + 1]);
    }
    long recordsOut = chosen.records() - chosen.recordsSuppressed();
    long peopleOut = chosen.people() - chosen.peopleSuppressed();
    long sized = people ? peopleOut : recordsOut;
    long smallest = chosen.smallestClass();
    double avg = sized == 0 ? 0 : (double) keptClasses / sized;
    Generalization g = new Generalization(Generalization.LOSS_METRIC, people ? "people" : "records",
        optimization.suppressionLimit(), chosen.meets(), byColumn(chosen.levels()), levelNames(node), chosen.loss(),
        byColumn(chosen.lossByColumn()), chosen.discernibility(), chosen.people(), chosen.peopleSuppressed(),
        cellsByLevel(chosen, node), cellsByColumn(chosen, node), result.frontier().stream().filter(f -> !f.levels().equals(chosen.levels()))
            .limit(8).map(f -> new Generalization.Alternative(byColumn(f.levels()), f.loss(), f.suppressedShare()))
            .toList(), result.nodes(), result.evaluated(), avg);
    long[] populationPeople = new long[1];
    PrivacyReport report;
    try (RiskTally risks = new RiskTally(riskThreshold, populationCounts(node, populationPeople))) {
      long[] kept = search.keptClasses(node);
      for (int i = 0; i < kept.length; i += 4) {
        risks.kept(kept[i], kept[i + 1], kept[i + 2], kept[i + 3]);
      }
      report = new PrivacyReport(k, l > 0 ? l : null, sensitive, weightColumn, quasiIdentifiers, added,
          chosen.records(), recordsOut, chosen.recordsSuppressed(), chosen.classes(), chosen.classesSuppressed(),
          recordsOut == 0 ? 0 : smallest, recordsOut == 0 || smallest == 0 ? 0 : 1.0 / smallest, avg, 0, g,
          riskThreshold, risks.prosecutorAtRisk(), risks.prosecutorShareAtRisk(), risks.journalist(population,
              populationPeople[0]), chosen.discernibility(), closenessResult(chosen.maxDistance(),
                  chosen.classesAbove()));
    }
    return new Verdict(listed, holdKept, report, node);
  }

  /**
   * The population's people per class, as the verdict at {@code levels} (null: not generalized) identifies classes,
   * counted in bounded memory (spilling); null without a population. {@code people[0]} gets its rows.
   */
  private ClassCounts populationCounts(int[] levels, long[] people) {
    if (population == null) {
      return null;
    }
    Path dir = spillDir.resolve("population");
    ValueKey tupleKey = new ValueKey();
    ValueKey valueKey = new ValueKey();
    try (ClassCounter counter = new ClassCounter(0, dir, memoryBudget)) {
      population.forEach(levels, qi -> {
        Hash128 h = classHash(tupleKey, valueKey, qi, levels != null);
        counter.add(h.h1, h.h2, 1, 0, false);
        people[0]++;
      });
      ClassCounts counts = new ClassCounts(new ClassCounts.Basis(0, quasiIdentifiers, null, null), dir, memoryBudget);
      counter.handOver(counts);
      return counts;
    }
  }

  /**
   * A class's identity: the hash of its values, or with the generalization search the hash of each generalized
   * value's hash (the search's identity).
   */
  static Hash128 classHash(ValueKey key, ValueKey value, Object[] qi, boolean generalized) {
    if (!generalized) {
      return classOf(key, qi);
    }
    key.reset();
    for (Object v : qi) {
      key.add(LatticeCounts.hash(value, ValueType.text(v)));
    }
    return key.hash();
  }

  private <T> Map<String, T> byColumn(List<T> values) {
    Map<String, T> out = new java.util.LinkedHashMap<>();
    for (int i = 0; i < quasiIdentifiers.size(); i++) {
      out.put(quasiIdentifiers.get(i), values.get(i));
    }
    return out;
  }

  private Map<String, String> levelNames(int[] node) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (int i = 0; i < node.length; i++) {
      out.put(quasiIdentifiers.get(i), optimization.hierarchies().get(i).levelName(node[i]));
    }
    return out;
  }

  /** Per quasi-identifier, the share of its cells at its chosen level and the share suppressed. */
  private Map<String, Map<String, Double>> cellsByColumn(Node chosen, int[] node) {
    Map<String, Map<String, Double>> out = new java.util.LinkedHashMap<>();
    if (chosen.records() == 0) {
      return out;
    }
    double kept = (double) (chosen.records() - chosen.recordsSuppressed()) / chosen.records();
    for (int i = 0; i < node.length; i++) {
      Map<String, Double> column = new java.util.LinkedHashMap<>();
      column.put("level " + node[i] + " (" + optimization.hierarchies().get(i).levelName(node[i]) + ")", kept);
      if (chosen.recordsSuppressed() > 0) {
        column.put("suppressed", 1 - kept);
      }
      out.put(quasiIdentifiers.get(i), column);
    }
    return out;
  }

  /** The share of quasi-identifier cells at each level, suppressed records' cells apart. */
  private static Map<String, Double> cellsByLevel(Node chosen, int[] node) {
    Map<String, Double> out = new java.util.TreeMap<>();
    if (chosen.records() == 0) {
      return out;
    }
    double kept = (double) (chosen.records() - chosen.recordsSuppressed()) / chosen.records() / node.length;
    for (int level : node) {
      out.merge("level " + level, kept, Double::sum);
    }
    if (chosen.recordsSuppressed() > 0) {
      out.put("suppressed", (double) chosen.recordsSuppressed() / chosen.records());
    }
    return out;
  }

  @Override
  public void close() {
    counter.close();
    lattice = null;
  }

  /** The per-row decision of the second pass. Thread-safe. */
  public static final class Verdict {
    /** What a saved decision file starts with. */
    private static final long DECISION_MAGIC = 0xD0_C1_A5_5E_DE_C1_00_01L;

    private final LongPairs classes;
    private final boolean listsKept;
    private final PrivacyReport report;
    /** The generalization chosen: a level per quasi-identifier (null: none, suppression only). */
    private final int[] levels;
    /**
     * No class is suppressed (the set lists the suppressed ones, and none): every row is kept, so no row's class is
     * hashed. A table whose every class meets k is the common case; the hash was about a tenth of the write pass.
     */
    private final boolean keepsAll;
    private final ThreadLocal<ValueKey> keys = ThreadLocal.withInitial(ValueKey::new);
    private final ThreadLocal<ValueKey> valueKeys = ThreadLocal.withInitial(ValueKey::new);

    Verdict(LongPairs classes, boolean listsKept, PrivacyReport report) {
      this(classes, listsKept, report, null);
    }

    Verdict(LongPairs classes, boolean listsKept, PrivacyReport report, int[] levels) {
      this.classes = classes;
      this.listsKept = listsKept;
      this.report = report;
      this.levels = levels == null ? null : levels.clone();
      classes.seal();
      this.keepsAll = !listsKept && classes.n == 0;
    }

    /** Whether a product row's class (its quasi-identifiers, generalized when a node was chosen) is suppressed. */
    public boolean suppressed(Object[] qi) {
      if (keepsAll) {
        return false;
      }
      Hash128 h = classHash(keys.get(), valueKeys.get(), qi, levels != null);
      return classes.contains(h.h1, h.h2) != listsKept;
    }

    /**
     * The product row as published: its quasi-identifiers generalized to the chosen node (when one was), or null when
     * its class is suppressed. What both engines' write passes call for every row.
     */
    public Object[] publish(io.dataops.pipelines.run.RowPolicies policies, Object[] product) {
      Object[] out = levels == null ? product : policies.generalize(product, levels);
      return keepsAll || !suppressed(policies.quasiIdentifiers(out)) ? out : null;
    }

    /** The chosen level of each quasi-identifier, or null without the generalization search. */
    public int[] levels() {
      return levels == null ? null : levels.clone();
    }

    public PrivacyReport report() {
      return report;
    }

    /**
     * Saves the decision (not the report) so that a restarted job's second pass can use it without a first pass; the
     * file ends with its digest ({@link CheckedFiles}: a decision torn by a power failure is refused, never used).
     */
    public void writeTo(java.nio.file.Path file) {
      try {
        CheckedFiles.write(file, DECISION_MAGIC, this::writeTo);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    /** The decision (not the report) as a stream: for parallel tasks that read it from shared storage. */
    public void writeTo(java.io.OutputStream stream) throws java.io.IOException {
      java.io.DataOutputStream out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(stream, 1 << 16));
      out.writeBoolean(listsKept);
      out.writeInt(classes.n);
      for (int i = 0; i < 2 * classes.n; i++) {
        out.writeLong(classes.a[i]);
      }
      out.writeInt(levels == null ? -1 : levels.length);
      if (levels != null) {
        for (int level : levels) {
          out.writeInt(level);
        }
      }
      out.flush();
    }

    /**
     * The decision {@link #writeTo(java.nio.file.Path)} saved, with the report it goes with; {@link
     * CheckedFiles.Refused} when the file is not one it finished (the caller counts the classes again).
     */
    public static Verdict readFrom(java.nio.file.Path file, PrivacyReport report) throws java.io.IOException {
      return CheckedFiles.read(file, DECISION_MAGIC, in -> read(in, report));
    }

    /** A decision {@link #writeTo(java.io.OutputStream)} wrote, with the report it goes with. */
    public static Verdict readFrom(java.io.InputStream stream, PrivacyReport report) throws java.io.IOException {
      return read(new java.io.DataInputStream(new java.io.BufferedInputStream(stream, 1 << 16)), report);
    }

    /** Reads exactly what {@link #writeTo(java.io.OutputStream)} wrote, no byte beyond. */
    private static Verdict read(java.io.DataInputStream in, PrivacyReport report) throws java.io.IOException {
      boolean listsKept = in.readBoolean();
      LongPairs pairs = new LongPairs();
      for (int i = in.readInt(); i > 0; i--) {
        pairs.add(in.readLong(), in.readLong());
      }
      int n = in.readInt();
      int[] levels = n < 0 ? null : new int[n];
      for (int i = 0; i < n; i++) {
        levels[i] = in.readInt();
      }
      return new Verdict(pairs, listsKept, report, levels);
    }
  }

  /** Pairs of longs appended in ascending order, searched by bisection. */
  static final class LongPairs {
    long[] a = new long[16];
    int n;

    void add(long h1, long h2) {
      if (2 * n + 2 > a.length) {
        if (a.length >= Integer.MAX_VALUE / 2 - 8) {
          throw new IllegalStateException("more than a billion equivalence classes to hold");
        }
        a = Arrays.copyOf(a, a.length * 2);
      }
      a[2 * n] = h1;
      a[2 * n + 1] = h2;
      n++;
    }

    int size() {
      return n;
    }

    void seal() {
      a = Arrays.copyOf(a, 2 * n);
    }

    boolean contains(long h1, long h2) {
      return Hash128.containsPair(a, n, h1, h2);
    }
  }
}
