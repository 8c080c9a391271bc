package io.dataops.pipelines.privacy.lattice;

/** An open-addressing set of longs (0 included). */
final class LongSet {
  private final LongIntMap map = new LongIntMap();

  boolean add(long x) {
    if (map.get(x) >= 0) {
      return false;
    }
    map.put(x, 0);
    return true;
  }

  int size() {
    return map.size();
  }
}
