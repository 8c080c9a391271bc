package io.dataops.pipelines.privacy.lattice;

import java.util.Arrays;

/**
 * Distinct tuples (n codes, a person hash, a sensitive hash) with their summed weight, in flat arrays with an
 * open-addressing index: the lattice's bottom without an object per tuple.
 */
final class TupleTable {
  private final int n;
  private int[] codes;
  private long[] ext; // person, sensitive, weight
  private int[] index = new int[1 << 10];
  private int size;

  TupleTable(int n) {
    this.n = n;
    this.codes = new int[256 * n];
    this.ext = new long[256 * 3];
  }

  /** Adds a tuple's weight; true when the tuple is new. */
  boolean add(int[] c, long person, long sensitive, long weight) {
    int mask = index.length - 1;
    int slot = (int) (hash(c, person, sensitive) & mask);
    for (int e = index[slot]; e != 0; e = index[slot]) {
      if (equal(e - 1, c, person, sensitive)) {
        ext[3 * (e - 1) + 2] += weight;
        return false;
      }
      slot = (slot + 1) & mask;
    }
    if ((size + 1) * n > codes.length || 3 * (size + 1) > ext.length) {
      codes = Arrays.copyOf(codes, Math.max(codes.length * 2, (size + 1) * n));
      ext = Arrays.copyOf(ext, ext.length * 2);
    }
    System.arraycopy(c, 0, codes, size * n, n);
    ext[3 * size] = person;
    ext[3 * size + 1] = sensitive;
    ext[3 * size + 2] = weight;
    index[slot] = ++size;
    if (2 * size > index.length) {
      rehash();
    }
    return true;
  }

  private boolean equal(int e, int[] c, long person, long sensitive) {
    if (ext[3 * e] != person || ext[3 * e + 1] != sensitive) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (codes[e * n + i] != c[i]) {
        return false;
      }
    }
    return true;
  }

  private long hash(int[] c, long person, long sensitive) {
    long h = LongIntMap.mix(person ^ 0x9e3779b97f4a7c15L) ^ LongIntMap.mix(sensitive + 0x632be59bd9b4e019L);
    for (int x : c) {
      h = LongIntMap.mix(h * 31 + x);
    }
    return h;
  }

  private void rehash() {
    index = new int[index.length * 2];
    int mask = index.length - 1;
    int[] c = new int[n];
    for (int e = 0; e < size; e++) {
      System.arraycopy(codes, e * n, c, 0, n);
      int slot = (int) (hash(c, ext[3 * e], ext[3 * e + 1]) & mask);
      while (index[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      index[slot] = e + 1;
    }
  }

  int size() {
    return size;
  }

  int code(int tuple, int column) {
    return codes[tuple * n + column];
  }

  long person(int tuple) {
    return ext[3 * tuple];
  }

  long sensitive(int tuple) {
    return ext[3 * tuple + 1];
  }

  long weight(int tuple) {
    return ext[3 * tuple + 2];
  }
}
