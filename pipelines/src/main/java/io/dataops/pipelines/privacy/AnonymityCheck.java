package io.dataops.pipelines.privacy;

import io.dataops.core.files.OwnerOnly;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * k-anonymity (and optional distinct l-diversity) over the product's quasi-identifiers, enforced by suppression:
 * the first pass {@link #add}s every output row's quasi-identifier values (and sensitive value, and weight);
 * {@link #finish} decides which classes are too small (fewer than k records, or fewer than l distinct sensitive
 * values) and returns the {@link Verdict} the second pass asks for each row. Memory is bounded by the budget given
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

  public AnonymityCheck(int k, Integer l, String sensitive, String weightColumn, List<String> quasiIdentifiers,
      Map<String, String> added, Path spillDir, long memoryBudget) {
    if (k < 1) {
      throw new IllegalArgumentException("k is at least 1");
    }
    this.k = k;
    this.l = l == null ? 0 : l;
    this.sensitive = sensitive;
    this.weightColumn = weightColumn;
    this.quasiIdentifiers = List.copyOf(quasiIdentifiers);
    this.added = Map.copyOf(added);
    this.counter = new ClassCounter(this.l, spillDir, memoryBudget);
    this.spillDir = spillDir;
    this.memoryBudget = memoryBudget;
    this.basis = new ClassCounts.Basis(this.l, this.quasiIdentifiers, sensitive, weightColumn);
  }

  /** One output row: its quasi-identifier values in {@link #quasiIdentifiers} order. */
  public void add(Object[] qi, Object sensitiveValue, long weight) {
    if (ended) {
      throw new IllegalStateException("the first pass has ended: no row can be added");
    }
    counted = true;
    Hash128 h = classOf(key, qi);
    long s = 0;
    boolean hasSensitive = l > 1 && sensitiveValue != null;
    if (hasSensitive) {
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
    long recordsIn = 0;
    long recordsOut = 0;
    long classes = 0;
    long classesSuppressed = 0;
    long smallest = Long.MAX_VALUE;
    // Every class's verdict, in hash order: in memory up to the budget, else in a scratch file; then the smaller of
    // the kept and the suppressed sets is loaded for the second pass.
    try (ClassCounts.Cursor c = counts.cursor(); VerdictLog log = new VerdictLog(spillDir, memoryBudget)) {
      while (c.next()) {
        classes++;
        recordsIn += c.weight();
        boolean tooSmall = c.weight() < k || l > 1 && c.distinct() < l;
        if (tooSmall) {
          classesSuppressed++;
        } else {
          recordsOut += c.weight();
          smallest = Math.min(smallest, c.weight());
        }
        log.add(c.h1(), c.h2(), !tooSmall);
      }
      long keptClasses = classes - classesSuppressed;
      PrivacyReport report = new PrivacyReport(k, l > 0 ? l : null, sensitive, weightColumn, quasiIdentifiers, added,
          recordsIn, recordsOut, recordsIn - recordsOut, classes, classesSuppressed,
          recordsOut == 0 ? 0 : smallest, recordsOut == 0 ? 0 : 1.0 / smallest,
          recordsOut == 0 ? 0 : (double) keptClasses / recordsOut, counts.spilledBytes() + log.spilledBytes());
      boolean holdKept = keptClasses <= classesSuppressed;
      return new Verdict(log.select(holdKept), holdKept, report);
    }
  }

  @Override
  public void close() {
    counter.close();
  }

  /** The per-row decision of the second pass. Thread-safe. */
  public static final class Verdict {
    private final LongPairs classes;
    private final boolean listsKept;
    private final PrivacyReport report;
    private final ThreadLocal<ValueKey> keys = ThreadLocal.withInitial(ValueKey::new);

    Verdict(LongPairs classes, boolean listsKept, PrivacyReport report) {
      this.classes = classes;
      this.listsKept = listsKept;
      this.report = report;
      classes.seal();
    }

    public boolean suppressed(Object[] qi) {
      Hash128 h = classOf(keys.get(), qi);
      return classes.contains(h.h1, h.h2) != listsKept;
    }

    public PrivacyReport report() {
      return report;
    }

    /** Saves the decision (not the report) so that a restarted job's second pass can use it without a first pass. */
    public void writeTo(java.nio.file.Path file) {
      java.nio.file.Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (java.io.OutputStream out = OwnerOnly.newOutputStream(tmp)) {
        writeTo(out);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      try {
        java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
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
      out.flush();
    }

    public static Verdict readFrom(java.nio.file.Path file, PrivacyReport report) {
      try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
        return readFrom(in, report);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    /** A decision {@link #writeTo(java.io.OutputStream)} wrote, with the report it goes with. */
    public static Verdict readFrom(java.io.InputStream stream, PrivacyReport report) throws java.io.IOException {
      java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(stream, 1 << 16));
      boolean listsKept = in.readBoolean();
      LongPairs pairs = new LongPairs();
      for (int i = in.readInt(); i > 0; i--) {
        pairs.add(in.readLong(), in.readLong());
      }
      return new Verdict(pairs, listsKept, report);
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
      int lo = 0;
      int hi = n - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        int c = Long.compare(a[2 * mid], h1);
        if (c == 0) {
          c = Long.compare(a[2 * mid + 1], h2);
        }
        if (c < 0) {
          lo = mid + 1;
        } else if (c > 0) {
          hi = mid - 1;
        } else {
          return true;
        }
      }
      return false;
    }
  }
}
