package io.dataops.quality.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The earliest failing rows of a rule (by feed, then row number), at most {@code cap} of them, whatever order the
 * threads found them in: added unsorted and cut back to the cap by a sort now and then, so keeping 20 or 100,000
 * costs O(n log n) overall and memory stays within twice the cap.
 */
public final class Samples {
  private final int cap;
  private final List<ComplianceAnalyzer.Sample> items = new ArrayList<>();
  /** Once the list is full, the latest sample kept: anything later cannot get in. */
  private ComplianceAnalyzer.Sample last;

  public Samples(int cap) {
    this.cap = cap;
  }

  public int cap() {
    return cap;
  }

  public void add(ComplianceAnalyzer.Sample s) {
    if (cap == 0 || (last != null && ComplianceAnalyzer.EARLIEST.compare(s, last) >= 0)) {
      return;
    }
    items.add(s);
    if (items.size() >= 2 * cap + 16) {
      compact();
    }
  }

  public void merge(Samples other) {
    other.items.forEach(this::add);
  }

  /** The kept samples, earliest first. */
  public List<ComplianceAnalyzer.Sample> list() {
    compact();
    return items;
  }

  private void compact() {
    items.sort(ComplianceAnalyzer.EARLIEST);
    if (items.size() >= cap) {
      items.subList(cap, items.size()).clear();
      last = cap == 0 ? null : items.get(cap - 1);
    }
  }
}
