package io.dataops.pipelines.privacy;

import io.dataops.core.sort.LongRecords;
import io.dataops.core.sort.RecordSort;
import io.dataops.core.sort.RunMerge;
import io.dataops.core.sort.SpillRuns;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the privacy check's first pass counted, as a mergeable state (the quality analyzers' design): every
 * equivalence class by the 128-bit hash of its quasi-identifier values, with its weight and, for l-diversity, the l
 * smallest hashes of its distinct sensitive values. Parallel subtasks each count their rows
 * ({@link AnonymityCheck#counts}), the states travel as bytes ({@link #writeTo}, {@link #readFrom}), {@link #merge}
 * into one, and {@link AnonymityCheck#finish(ClassCounts)} gives the verdict one pass over all the rows gives. Weights
 * add and sensitive sets unite keeping the l smallest, so merging is associative and commutative, the distinct count
 * is min(l, distinct values) however the rows were split, and the written form depends only on the rows counted.
 *
 * <p>With t-closeness a class is held as one entry per distinct sensitive value (its key and weight), adjacent in
 * (h1, h2, key) order: the class's histogram, which merges by adding weights like the class's own; {@link #classes}
 * reads them back a class at a time, and the distinct values l asks for are its entries.
 *
 * <p>Memory is bounded by the budget: a state is sorted runs of classes, in memory up to the budget and in scratch
 * files beyond it; merging hands runs over without reading them, and reading streams them through a k-way merge.
 * The scratch files and the merge are core's external sort ({@link SpillRuns}, {@link RunMerge}); combining equal
 * classes is this class's. Holds hashes only, never a value. Not thread-safe.
 */
public final class ClassCounts implements AutoCloseable {
  static final int MAGIC = 0x44634353; // "DcCS"
  static final int VERSION = 3;
  /** The written form of the generalization search's counts (the lattice's bottom). */
  static final int VERSION_LATTICE = 4;
  /** Past this many scratch files a merge rewrites them as one, so that reading keeps few files open. */
  private static final int MAX_FILES = 64;

  /** What classes are formed over: counts over other columns or another l never merge. */
  record Basis(int l, List<String> quasiIdentifiers, String sensitive, String weightColumn, Closeness closeness) {
    Basis {
      if (l < 0 || l > 127) {
        throw new IllegalArgumentException("l is between 0 and 127, not " + l);
      }
      quasiIdentifiers = List.copyOf(quasiIdentifiers);
    }

    Basis(int l, List<String> quasiIdentifiers, String sensitive, String weightColumn) {
      this(l, quasiIdentifiers, sensitive, weightColumn, null);
    }

    /** Classes are held with their sensitive histograms (t-closeness): an entry per class and value. */
    boolean histograms() {
      return closeness != null;
    }

    int slots() {
      return l > 1 && !histograms() ? l : 0;
    }

    /**
     * Longs per entry: h1, h2, weight, and with l-diversity the count and the l slots of sensitive hashes, or with
     * t-closeness the sensitive value's key.
     */
    int stride() {
      return histograms() ? 4 : 3 + (slots() > 0 ? 1 + slots() : 0);
    }

    /** The entries' sort key: (h1, h2), and the sensitive key with histograms. */
    int keyLength() {
      return histograms() ? 3 : 2;
    }

    /** The sort key's columns in an entry: h1, h2 and, with histograms, the sensitive key. */
    int[] keyColumns() {
      return histograms() ? new int[] {0, 1, 3} : new int[] {0, 1};
    }

    @Override
    public String toString() {
      return "quasi-identifiers " + quasiIdentifiers + (l > 0 ? ", l " + l + " of " + sensitive : "")
          + (weightColumn != null ? ", weighted by " + weightColumn : "")
          + (closeness != null ? ", " + closeness.t() + "-closeness (" + closeness.distance().word() + ") of "
              + closeness.column() : "");
    }
  }

  /** Classes in (h1, h2) order in {@code a}, {@code n} of them. */
  private record MemoryRun(long[] a, int n) {}

  private final Basis basis;
  private final int stride;
  private final int[] keyColumns;
  private final Path spillDir;
  private final int maxInMemory;
  private final List<MemoryRun> memory = new ArrayList<>();
  private int inMemory;
  private final SpillRuns files;
  private long spilledBytes;
  /** With the generalization search: the lattice's bottom instead of classes (classes depend on the node chosen). */
  private io.dataops.pipelines.privacy.lattice.LatticeCounts lattice;

  ClassCounts(Basis basis, Path spillDir, long memoryBudget) {
    this.basis = basis;
    this.stride = basis.stride();
    this.keyColumns = basis.keyColumns();
    this.spillDir = spillDir;
    this.files = new SpillRuns(spillDir, "classes-");
    this.maxInMemory = (int) Math.max(1024, Math.min(1 << 26, memoryBudget / (8L * stride)));
  }

  Basis basis() {
    return basis;
  }

  /** Counts of the lattice's bottom, for the generalization search. */
  static ClassCounts ofLattice(Basis basis, io.dataops.pipelines.privacy.lattice.LatticeCounts lattice, Path spillDir,
      long memoryBudget) {
    ClassCounts c = new ClassCounts(basis, spillDir, memoryBudget);
    c.lattice = lattice;
    return c;
  }

  /** The lattice's bottom when these counts are for the generalization search, else null. */
  io.dataops.pipelines.privacy.lattice.LatticeCounts lattice() {
    return lattice;
  }

  /** l as the check was given it (0 without l-diversity). */
  public int l() {
    return basis.l();
  }

  public List<String> quasiIdentifiers() {
    return basis.quasiIdentifiers();
  }

  /** Bytes this process wrote to scratch files for these counts (spilled runs, states read beyond the budget). */
  public long spilledBytes() {
    return spilledBytes;
  }

  /** Takes over a counter's spilled runs and its sorted in-memory classes. */
  void adopt(SpillRuns runs, long spilled, long[] entries, int size) {
    files.adopt(runs);
    spilledBytes += spilled;
    if (size > 0) {
      memory.add(new MemoryRun(entries, size));
      inMemory += size;
    }
  }

  /**
   * Adds {@code other}'s classes to these (weights add, sensitive sets unite) and returns this state. {@code other}
   * is left empty: its runs are handed over, in memory while the budget holds them, else as scratch files.
   */
  public ClassCounts merge(ClassCounts other) {
    if (other == this) {
      throw new IllegalArgumentException("a state cannot be merged with itself");
    }
    if (!basis.equals(other.basis)) {
      throw new IllegalArgumentException("class counts over " + other.basis + " cannot be merged into class counts "
          + "over " + basis + ": every part must count with the same privacy settings");
    }
    if ((lattice == null) != (other.lattice == null)) {
      throw new IllegalArgumentException("class counts of the generalization search cannot be merged with class "
          + "counts of suppression only: every part must count with the same privacy settings");
    }
    if (lattice != null) {
      lattice.merge(other.lattice);
      other.lattice = null;
      return this;
    }
    files.adopt(other.files);
    spilledBytes += other.spilledBytes;
    other.spilledBytes = 0;
    for (MemoryRun r : other.memory) {
      if (inMemory + r.n() <= maxInMemory) {
        memory.add(r);
        inMemory += r.n();
      } else {
        spill(r);
      }
    }
    other.memory.clear();
    other.inMemory = 0;
    if (files.size() > MAX_FILES) {
      compact();
    }
    return this;
  }

  private void spill(MemoryRun r) {
    files.write(out -> LongRecords.write(out, r.a(), r.n(), stride));
    spilledBytes += 8L * stride * r.n();
  }

  /** Rewrites every run as one scratch file of merged classes. */
  private void compact() {
    SpillRuns compacted = new SpillRuns(spillDir, "classes-");
    long[] written = {0};
    try (Cursor c = cursor()) {
      compacted.write(out -> {
        while (c.next()) {
          LongRecords.write(out, c.current, 1, stride);
          written[0] += 8L * stride;
        }
      });
    }
    files.close();
    files.adopt(compacted);
    memory.clear();
    inMemory = 0;
    spilledBytes += written[0];
  }

  /**
   * Writes the merged classes: a header (format version and the privacy settings) and then each class once, in hash
   * order. The stream is flushed, not closed.
   */
  public void writeTo(OutputStream stream) throws IOException {
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream, 1 << 16));
    out.writeInt(MAGIC);
    out.writeByte(lattice != null ? VERSION_LATTICE : VERSION);
    out.writeInt(basis.l());
    out.writeInt(basis.quasiIdentifiers().size());
    for (String q : basis.quasiIdentifiers()) {
      out.writeUTF(q);
    }
    writeOptional(out, basis.sensitive());
    writeOptional(out, basis.weightColumn());
    Closeness tc = basis.closeness();
    out.writeBoolean(tc != null);
    if (tc != null) {
      out.writeUTF(tc.column());
      out.writeDouble(tc.t());
      out.writeByte(tc.distance().ordinal());
    }
    if (lattice != null) {
      lattice.writeTo(out);
      out.flush();
      return;
    }
    int slots = basis.slots();
    try (Cursor c = cursor()) {
      while (c.next()) {
        out.writeByte(1);
        out.writeLong(c.current[0]);
        out.writeLong(c.current[1]);
        out.writeLong(c.current[2]);
        if (basis.histograms()) {
          out.writeLong(c.current[3]);
        }
        if (slots > 0) {
          int n = (int) c.current[3];
          out.writeByte(n);
          for (int i = 0; i < n; i++) {
            out.writeLong(c.current[4 + i]);
          }
        }
      }
    }
    out.writeByte(0);
    out.flush();
  }

  private static void writeOptional(DataOutputStream out, String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      out.writeUTF(s);
    }
  }

  /**
   * The quasi-identifiers a saved state counts classes over, in order, read from its header alone (an incremental
   * product keeps them from version to version).
   */
  public static List<String> quasiIdentifiersOf(InputStream stream) throws IOException {
    DataInputStream in = new DataInputStream(stream);
    try {
      readVersion(in);
      return readBasis(in).quasiIdentifiers();
    } catch (EOFException e) {
      throw new IOException("the class-count state is cut short", e);
    }
  }

  private static int readVersion(DataInputStream in) throws IOException {
    if (in.readInt() != MAGIC) {
      throw new IOException("not a class-count state (unknown header)");
    }
    int version = in.readUnsignedByte();
    if (version != VERSION && version != VERSION_LATTICE) {
      throw new IOException("a class-count state of format version " + version + "; this build reads version "
          + VERSION + " (and " + VERSION_LATTICE + ", the generalization search's)");
    }
    return version;
  }

  private static Basis readBasis(DataInputStream in) throws IOException {
    int l = in.readInt();
    int qis = in.readInt();
    if (l < 0 || l > 127 || qis < 0 || qis > 1024) {
      throw new IOException("a corrupt class-count state (l " + l + ", " + qis + " quasi-identifiers)");
    }
    List<String> qi = new ArrayList<>();
    for (int i = 0; i < qis; i++) {
      qi.add(in.readUTF());
    }
    String sensitive = readOptional(in);
    String weight = readOptional(in);
    Closeness tc = null;
    if (in.readBoolean()) {
      String column = in.readUTF();
      double t = in.readDouble();
      int d = in.readUnsignedByte();
      if (d >= Closeness.Distance.values().length || !(t > 0 && t <= 1)) {
        throw new IOException("a corrupt class-count state (t " + t + ", distance " + d + ")");
      }
      tc = new Closeness(column, t, Closeness.Distance.values()[d]);
    }
    return new Basis(l, qi, sensitive, weight, tc);
  }

  /**
   * A state read back from {@link #writeTo}: held in memory up to {@code memoryBudget}, the rest in a scratch file in
   * {@code spillDir}. Reads exactly the state's bytes (the stream may go on with other data); a stream that is not a
   * state of this version, is cut short or out of order fails with an {@link IOException} that says which.
   */
  public static ClassCounts readFrom(InputStream stream, Path spillDir, long memoryBudget) throws IOException {
    DataInputStream in = new DataInputStream(stream);
    try {
      int version = readVersion(in);
      Basis basis = readBasis(in);
      if (version == VERSION_LATTICE) {
        return ofLattice(basis, io.dataops.pipelines.privacy.lattice.LatticeCounts.readFrom(in, memoryBudget),
            spillDir, memoryBudget);
      }
      ClassCounts state = new ClassCounts(basis, spillDir, memoryBudget);
      try {
        state.readClasses(in);
      } catch (IOException | RuntimeException e) {
        state.close();
        throw e;
      }
      return state;
    } catch (EOFException e) {
      throw new IOException("the class-count state is cut short", e);
    }
  }

  private static String readOptional(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }

  /** The classes of a written state, checked to be in strict hash order, into memory and then one scratch file. */
  private void readClasses(DataInputStream in) throws IOException {
    int slots = basis.slots();
    long[] a = new long[Math.min(maxInMemory, 1 << 12) * stride];
    int n = 0;
    Path file = null;
    DataOutputStream out = null;
    long[] rec = new long[stride];
    boolean first = true;
    long prev1 = 0;
    long prev2 = 0;
    long prev3 = 0;
    try {
      for (int more = in.readUnsignedByte(); more != 0; more = in.readUnsignedByte()) {
        if (more != 1) {
          throw new IOException("a corrupt class-count state (record marker " + more + ")");
        }
        Arrays.fill(rec, 0);
        rec[0] = in.readLong();
        rec[1] = in.readLong();
        rec[2] = in.readLong();
        if (basis.histograms()) {
          rec[3] = in.readLong();
        }
        int order = first ? -1 : compare(prev1, prev2, rec[0], rec[1]);
        if (order == 0 && basis.histograms()) {
          order = Long.compare(prev3, rec[3]);
        }
        if (order >= 0) {
          throw new IOException("a corrupt class-count state (classes out of order)");
        }
        first = false;
        prev1 = rec[0];
        prev2 = rec[1];
        prev3 = basis.histograms() ? rec[3] : 0;
        if (slots > 0) {
          int d = in.readUnsignedByte();
          if (d > slots) {
            throw new IOException("a corrupt class-count state (" + d + " sensitive values for l " + slots + ")");
          }
          rec[3] = d;
          for (int i = 0; i < d; i++) {
            rec[4 + i] = in.readLong();
            if (i > 0 && rec[4 + i] <= rec[3 + i]) {
              throw new IOException("a corrupt class-count state (sensitive values out of order)");
            }
          }
        }
        if (out == null && n == maxInMemory) {
          file = files.create();
          out = SpillRuns.output(file);
          for (int i = 0; i < n * stride; i++) {
            out.writeLong(a[i]);
          }
          spilledBytes += 8L * stride * n;
          a = null;
          n = 0;
        }
        if (out != null) {
          for (long v : rec) {
            out.writeLong(v);
          }
          spilledBytes += 8L * stride;
        } else {
          if ((n + 1) * stride > a.length) {
            a = Arrays.copyOf(a, (int) Math.min((long) maxInMemory * stride, 2L * a.length));
          }
          System.arraycopy(rec, 0, a, n * stride, stride);
          n++;
        }
      }
    } finally {
      if (out != null) {
        out.close();
      }
    }
    if (out == null && n > 0) {
      memory.add(new MemoryRun(a, n));
      inMemory = n;
    }
  }

  /** {@link #writeTo} into an array: for small states; large ones should go through a stream. */
  public byte[] toBytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the spilled equivalence classes", e);
    }
    return out.toByteArray();
  }

  /** {@link #readFrom} an array. */
  public static ClassCounts fromBytes(byte[] bytes, Path spillDir, long memoryBudget) throws IOException {
    return readFrom(new ByteArrayInputStream(bytes), spillDir, memoryBudget);
  }

  static int compare(long a1, long a2, long b1, long b2) {
    int c = Long.compare(a1, b1);
    return c != 0 ? c : Long.compare(a2, b2);
  }

  /**
   * Every entry once, merged over all runs, in (h1, h2) order (and the sensitive key's, with histograms: then a class
   * is several entries). Reading does not change the state.
   */
  Cursor cursor() {
    return new Cursor();
  }

  /** Every class once with its weight, distinct sensitive values and, with histograms, its histogram. */
  ClassCursor classes() {
    return new ClassCursor();
  }

  /** The entries' order: (h1, h2), then the sensitive key with histograms. */
  private int compareEntries(long[] a, long[] b) {
    return RecordSort.compare(a, 0, b, 0, keyColumns);
  }

  @Override
  public void close() {
    lattice = null;
    files.close();
    memory.clear();
    inMemory = 0;
  }

  /** The k-way merge of the runs: equal classes of several runs (or one) become one, their counts combined. */
  final class Cursor implements AutoCloseable {
    private final RunMerge<LongRecords> merge;
    final long[] current = new long[stride];
    private final long[] union = new long[basis.slots()];

    private Cursor() {
      List<LongRecords> sources = new ArrayList<>();
      for (MemoryRun r : memory) {
        sources.add(LongRecords.of(r.a(), r.n(), stride));
      }
      try {
        for (Path f : files.files()) {
          sources.add(LongRecords.read(f, stride));
        }
      } catch (IOException e) {
        sources.forEach(LongRecords::close);
        throw new UncheckedIOException("cannot read the spilled equivalence classes", e);
      }
      merge = new RunMerge<>(sources, (x, y) -> compareEntries(x.record, y.record));
    }

    boolean next() {
      LongRecords first = merge.next();
      if (first == null) {
        return false;
      }
      System.arraycopy(first.record, 0, current, 0, stride);
      for (LongRecords s = merge.peek(); s != null && compareEntries(s.record, current) == 0; s = merge.peek()) {
        merge.next();
        current[2] += s.record[2];
        if (union.length > 0) {
          unite(s.record);
        }
      }
      return true;
    }

    /** The l smallest of the union of two ascending sets of sensitive hashes, into {@link #current}. */
    private void unite(long[] other) {
      int n = (int) current[3];
      int m = (int) other[3];
      int i = 0;
      int j = 0;
      int o = 0;
      while (o < union.length && (i < n || j < m)) {
        if (j >= m || i < n && current[4 + i] < other[4 + j]) {
          union[o++] = current[4 + i++];
        } else if (i >= n || other[4 + j] < current[4 + i]) {
          union[o++] = other[4 + j++];
        } else {
          union[o++] = current[4 + i++];
          j++;
        }
      }
      System.arraycopy(union, 0, current, 4, o);
      current[3] = o;
    }

    long h1() {
      return current[0];
    }

    long h2() {
      return current[1];
    }

    long weight() {
      return current[2];
    }

    /** Distinct sensitive values seen, capped at l (0 without l-diversity). */
    int distinct() {
      return union.length > 0 ? (int) current[3] : 0;
    }

    @Override
    public void close() {
      merge.close();
    }
  }

  /**
   * The classes of the entries, one at a time: without histograms each entry is a class; with them a class is its
   * adjacent entries, whose keys and weights are its histogram ({@link #keys}, {@link #counts}, {@link #values} of
   * them, ascending keys, null sensitive values apart) and whose number of keys is its distinct values.
   */
  final class ClassCursor implements AutoCloseable {
    private final Cursor entries = cursor();
    private boolean pending = entries.next();
    private long h1;
    private long h2;
    private long weight;
    private int distinct;
    long[] keys = new long[8];
    long[] counts = new long[8];
    int values;

    boolean next() {
      if (!pending) {
        return false;
      }
      h1 = entries.h1();
      h2 = entries.h2();
      weight = 0;
      values = 0;
      if (!basis.histograms()) {
        weight = entries.weight();
        distinct = entries.distinct();
        pending = entries.next();
        return true;
      }
      do {
        weight += entries.weight();
        long key = entries.current[3];
        if (key != Closeness.NONE) {
          if (values == keys.length) {
            keys = Arrays.copyOf(keys, 2 * values);
            counts = Arrays.copyOf(counts, 2 * values);
          }
          keys[values] = key;
          counts[values++] = entries.weight();
        }
        pending = entries.next();
      } while (pending && entries.h1() == h1 && entries.h2() == h2);
      distinct = values;
      return true;
    }

    long h1() {
      return h1;
    }

    long h2() {
      return h2;
    }

    long weight() {
      return weight;
    }

    /** Distinct sensitive values seen (capped at l without histograms; 0 without l-diversity or t-closeness). */
    int distinct() {
      return distinct;
    }

    @Override
    public void close() {
      entries.close();
    }
  }
}
