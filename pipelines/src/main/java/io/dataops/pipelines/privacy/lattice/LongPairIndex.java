package io.dataops.pipelines.privacy.lattice;

import java.util.Arrays;

/** Numbers distinct pairs of longs 0, 1, 2, ... in the order first seen (open addressing, flat arrays). */
final class LongPairIndex {
  private long[] pairs;
  private int[] index;
  private int size;

  LongPairIndex() {
    this(64);
  }

  /** Sized for {@code expected} pairs: no rehashing up to them (a node's classes are at most its tuples). */
  LongPairIndex(int expected) {
    int slots = Integer.highestOneBit(Math.max(64, expected) * 2 - 1) * 2;
    pairs = new long[2 * Math.max(64, expected)];
    index = new int[slots];
  }

  /** The pair's number, a new one if it was not seen. */
  int indexOf(long a, long b) {
    int slot = slot(a, b);
    if (index[slot] != 0) {
      return index[slot] - 1;
    }
    insert(slot, a, b);
    return size - 1;
  }

  /** (class, value) pairs: true when new. */
  boolean add(long a, long b) {
    int slot = slot(a, b);
    if (index[slot] != 0) {
      return false;
    }
    insert(slot, a, b);
    return true;
  }

  int size() {
    return size;
  }

  private int slot(long a, long b) {
    int mask = index.length - 1;
    int s = (int) (LongIntMap.mix(a * 0x9e3779b97f4a7c15L ^ LongIntMap.mix(b)) & mask);
    for (int e = index[s]; e != 0; e = index[s]) {
      if (pairs[2 * (e - 1)] == a && pairs[2 * (e - 1) + 1] == b) {
        return s;
      }
      s = (s + 1) & mask;
    }
    return s;
  }

  private void insert(int slot, long a, long b) {
    if (2 * size + 2 > pairs.length) {
      pairs = Arrays.copyOf(pairs, pairs.length * 2);
    }
    pairs[2 * size] = a;
    pairs[2 * size + 1] = b;
    index[slot] = ++size;
    if (2 * size > index.length) {
      index = new int[index.length * 2];
      for (int e = 0; e < size; e++) {
        index[slot(pairs[2 * e], pairs[2 * e + 1])] = e + 1;
      }
    }
  }
}
