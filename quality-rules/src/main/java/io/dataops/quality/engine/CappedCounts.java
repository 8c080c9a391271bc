package io.dataops.quality.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How often each key occurs, up to {@code cap} distinct keys: counts of parts add up, so the states merge. Beyond the
 * cap the column is not categorical: the counts are dropped and {@link #overflowed} says so. The state of
 * {@link DistinctSampleAnalyzer} (values) and {@link PairCountsAnalyzer} (value pairs).
 */
public abstract class CappedCounts<K, S extends CappedCounts<K, S>> implements AnalyzerState<S> {
  private final int cap;
  /** Key (values as {@link ColumnView#getString} reads them) to the number of rows holding it, in the order seen. */
  public final Map<K, Long> counts = new LinkedHashMap<>();
  public boolean overflowed;

  CappedCounts(int cap) {
    this.cap = cap;
  }

  void add(K key, long n) {
    if (!overflowed && counts.merge(key, n, Long::sum) == n && counts.size() > cap) {
      overflowed = true;
      counts.clear();
    }
  }

  @Override
  @SuppressWarnings("unchecked") // S is the concrete subclass, as the type parameter's bound says
  public S merge(S other) {
    if (other.overflowed) {
      overflowed = true;
      counts.clear();
    } else {
      other.counts.forEach(this::add);
    }
    return (S) this;
  }
}
