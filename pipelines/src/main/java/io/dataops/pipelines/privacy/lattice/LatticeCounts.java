package io.dataops.pipelines.privacy.lattice;

import io.dataops.pipelines.privacy.ValueKey;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * The bottom of the generalization lattice, counted in one pass over the quasi-identifier columns, as a mergeable
 * state: each column's distinct values dictionary-encoded to ints, each with the 64-bit hashes of its value at every
 * level of the column's hierarchy (so a node's classes are formed by mapping codes through, never by reading rows
 * again), and the distinct bottom tuples (codes, the person's hash, the sensitive value's hash) with their weight.
 * Holds hashes only, never a value. Parallel parts each count their rows; {@link #merge} re-encodes the other part's
 * codes through their hashes, so merging is associative and commutative.
 *
 * <p>Memory: about {@code 4 * columns + 40} bytes per distinct tuple and {@code 8 * height + 24} per distinct value;
 * beyond the budget (the larger of the privacy memory setting and a quarter of the heap) the run is refused with the
 * count.
 */
public final class LatticeCounts {
  static final int MAGIC = 0x44634c43; // "DcLC"
  static final long NULL_HASH = 0x6e756c6c6e756c6cL;
  private final int[] heights;
  private final ColumnCodes[] columns;
  private final TupleTable tuples;
  private final long maxTuples;
  private final ValueKey key = new ValueKey();

  public LatticeCounts(List<Hierarchy> hierarchies, long memoryBudget) {
    this(hierarchies.stream().mapToInt(Hierarchy::height).toArray(), memoryBudget);
    for (int c = 0; c < columns.length; c++) {
      columns[c].hierarchy = hierarchies.get(c);
    }
  }

  private LatticeCounts(int[] heights, long memoryBudget) {
    this.heights = heights.clone();
    this.columns = new ColumnCodes[heights.length];
    for (int c = 0; c < heights.length; c++) {
      columns[c] = new ColumnCodes(heights[c]);
    }
    this.tuples = new TupleTable(heights.length);
    // The tuples are the whole bottom of the lattice, not a cache that could spill: they may use the larger of the
    // privacy memory setting and a quarter of the heap (the launcher's -Xmx, DATAOPS_HEAP), the rest is the search's.
    this.maxTuples = Math.max(1 << 16, Math.max(memoryBudget, Runtime.getRuntime().maxMemory() / 4)
        / (4L * heights.length + 40));
  }

  /** The hash the search and the second pass give a quasi-identifier's text (null: a hash of its own). */
  public static long hash(ValueKey key, String text) {
    return text == null ? NULL_HASH : key.reset().add(text).hash().h1;
  }

  public int columns() {
    return heights.length;
  }

  public int[] heights() {
    return heights.clone();
  }

  /** Distinct bottom tuples held. */
  public int tuples() {
    return tuples.size();
  }

  /**
   * One record: its quasi-identifiers' level-0 texts, the hash of its person (0: rows are counted, not people) and of
   * its sensitive value (0: none), and its weight.
   */
  public void add(String[] texts, long person, long sensitive, long weight) {
    int[] codes = new int[texts.length];
    for (int c = 0; c < texts.length; c++) {
      codes[c] = columns[c].code(texts[c], key);
    }
    add(codes, person, sensitive, weight);
  }

  private void add(int[] codes, long person, long sensitive, long weight) {
    if (tuples.add(codes, person, sensitive, weight) && tuples.size() > maxTuples) {
      throw new IllegalStateException("the quasi-identifiers form more than " + maxTuples + " distinct combinations, "
          + "more than the generalization search may hold (a quarter of the heap, or the privacy memory setting): give the "
          + "process more heap (DATAOPS_HEAP), or coarsen the quasi-identifiers' policies");
    }
  }

  /** Adds {@code other}'s tuples to these; {@code other} is left as it was. */
  public LatticeCounts merge(LatticeCounts other) {
    if (!Arrays.equals(heights, other.heights)) {
      throw new IllegalArgumentException("lattice counts over hierarchies of heights " + Arrays.toString(other.heights)
          + " cannot be merged into counts over " + Arrays.toString(heights));
    }
    int n = heights.length;
    int[][] remap = new int[n][];
    for (int c = 0; c < n; c++) {
      remap[c] = columns[c].adopt(other.columns[c]);
    }
    int[] codes = new int[n];
    for (int t = 0; t < other.tuples.size(); t++) {
      for (int c = 0; c < n; c++) {
        codes[c] = remap[c][other.tuples.code(t, c)];
      }
      add(codes, other.tuples.person(t), other.tuples.sensitive(t), other.tuples.weight(t));
    }
    return this;
  }

  // --- what the search reads

  int code(int tuple, int column) {
    return tuples.code(tuple, column);
  }

  long person(int tuple) {
    return tuples.person(tuple);
  }

  long sensitive(int tuple) {
    return tuples.sensitive(tuple);
  }

  long weight(int tuple) {
    return tuples.weight(tuple);
  }

  /** Distinct level-0 values of a column. */
  int values(int column) {
    return columns[column].size;
  }

  /** The hash of value {@code code} of a column at {@code level}. */
  long levelHash(int column, int code, int level) {
    return columns[column].levels[code * heights[column] + level];
  }

  // --- the state's written form

  public void writeTo(DataOutputStream out) throws IOException {
    out.writeInt(MAGIC);
    out.writeInt(heights.length);
    for (int h : heights) {
      out.writeInt(h);
    }
    for (ColumnCodes c : columns) {
      out.writeInt(c.size);
      for (int i = 0; i < c.size * c.height; i++) {
        out.writeLong(c.levels[i]);
      }
    }
    out.writeInt(tuples.size());
    for (int t = 0; t < tuples.size(); t++) {
      for (int c = 0; c < heights.length; c++) {
        out.writeInt(tuples.code(t, c));
      }
      out.writeLong(tuples.person(t));
      out.writeLong(tuples.sensitive(t));
      out.writeLong(tuples.weight(t));
    }
  }

  public static LatticeCounts readFrom(DataInputStream in, long memoryBudget) throws IOException {
    if (in.readInt() != MAGIC) {
      throw new IOException("not a lattice-count state (unknown header)");
    }
    int n = in.readInt();
    if (n < 1 || n > 64) {
      throw new IOException("a corrupt lattice-count state (" + n + " quasi-identifiers)");
    }
    int[] heights = new int[n];
    for (int c = 0; c < n; c++) {
      heights[c] = in.readInt();
      if (heights[c] < 2 || heights[c] > 64) {
        throw new IOException("a corrupt lattice-count state (height " + heights[c] + ")");
      }
    }
    LatticeCounts state = new LatticeCounts(heights, memoryBudget);
    for (int c = 0; c < n; c++) {
      int size = in.readInt();
      long[] levels = new long[heights[c]];
      for (int v = 0; v < size; v++) {
        for (int j = 0; j < heights[c]; j++) {
          levels[j] = in.readLong();
        }
        if (state.columns[c].adoptOne(levels) != v) {
          throw new IOException("a corrupt lattice-count state (a value twice)");
        }
      }
    }
    int count = in.readInt();
    int[] codes = new int[n];
    for (int t = 0; t < count; t++) {
      for (int c = 0; c < n; c++) {
        codes[c] = in.readInt();
        if (codes[c] < 0 || codes[c] >= state.columns[c].size) {
          throw new IOException("a corrupt lattice-count state (code out of range)");
        }
      }
      state.add(codes, in.readLong(), in.readLong(), in.readLong());
    }
    return state;
  }

  /** One column's dictionary: level-0 hash → code, and each code's hashes at every level. */
  private static final class ColumnCodes {
    final int height;
    Hierarchy hierarchy;
    long[] levels = new long[64];
    int size;
    private final LongIntMap byHash = new LongIntMap();

    ColumnCodes(int height) {
      this.height = height;
    }

    int code(String text, ValueKey key) {
      long h = hash(key, text);
      int code = byHash.get(h);
      if (code >= 0) {
        return code;
      }
      long[] l = new long[height];
      l[0] = h;
      for (int j = 1; j < height; j++) {
        l[j] = hash(key, hierarchy.generalize(text, j));
      }
      return adoptOne(l);
    }

    /** A value with its level hashes; its code (an existing one when its level-0 hash is known). */
    int adoptOne(long[] l) {
      int known = byHash.get(l[0]);
      if (known >= 0) {
        return known;
      }
      if ((size + 1) * height > levels.length) {
        levels = Arrays.copyOf(levels, Math.max(levels.length * 2, (size + 1) * height));
      }
      System.arraycopy(l, 0, levels, size * height, height);
      byHash.put(l[0], size);
      return size++;
    }

    /** Takes the other dictionary's values; their codes here, by the other's code. */
    int[] adopt(ColumnCodes other) {
      int[] map = new int[other.size];
      long[] l = new long[height];
      for (int v = 0; v < other.size; v++) {
        System.arraycopy(other.levels, v * height, l, 0, height);
        map[v] = adoptOne(l);
      }
      return map;
    }
  }
}
