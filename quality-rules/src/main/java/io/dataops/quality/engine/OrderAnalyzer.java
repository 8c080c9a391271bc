package io.dataops.quality.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * GX's increasing/decreasing: each non-null value against the previous non-null value in row order (the order the
 * feeds were landed, then row number within a feed). Threads read files whose row numbers interleave, so each
 * keeps runs of consecutive rows (first and last value, violations inside, found as it reads); the runs of all
 * threads are sorted at the end and each run's first value is checked against the previous run's last. One pass;
 * the state merges (its size grows with the number of runs: rows over the landing batch size), but it is not
 * compact, so it is not stored between feeds.
 */
public final class OrderAnalyzer implements Analyzer<OrderAnalyzer.State> {
  private final int expectation;
  private final String column;
  private final boolean decreasing;
  private final boolean strictly;
  private final int sampleCap;
  private final java.util.Map<String, Long> feedOrder;

  /** {@code feedOrder}: each feed's place in the table's history (its snapshot's sequence number). */
  public OrderAnalyzer(int expectation, String column, boolean decreasing, boolean strictly, int sampleCap,
      java.util.Map<String, Long> feedOrder) {
    this.expectation = expectation;
    this.column = column;
    this.decreasing = decreasing;
    this.strictly = strictly;
    this.sampleCap = sampleCap;
    this.feedOrder = java.util.Map.copyOf(feedOrder);
  }

  /** Consecutive rows of one feed as one thread read them. */
  private static final class Run {
    String feed;
    long start;
    long end;
    boolean hasValue;
    double first;
    double last;
    long firstRow;
    String firstKey;
    String firstShown;
  }

  public static final class State implements AnalyzerState<State> {
    private final OrderAnalyzer owner;
    private final ScanContext context;
    private final List<Run> runs = new ArrayList<>();
    private Run current;
    public long rows;
    public long missing;
    public long unexpected;
    public final Samples samples;

    State(OrderAnalyzer owner, ScanContext context) {
      this.owner = owner;
      this.context = context;
      this.samples = new Samples(owner.sampleCap);
    }

    public long considered() {
      return rows - missing;
    }

    @Override
    public State merge(State o) {
      runs.addAll(o.runs);
      rows += o.rows;
      missing += o.missing;
      unexpected += o.unexpected;
      samples.merge(o.samples);
      return this;
    }

    @Override
    public void finish() {
      // Feeds in the order they were landed (feed ids of one second do not sort by time), then row numbers.
      runs.sort(Comparator.comparingLong((Run r) -> r.feed == null ? -1 : owner.feedOrder.getOrDefault(r.feed,
          Long.MAX_VALUE)).thenComparing(r -> r.feed == null ? "" : r.feed).thenComparingLong(r -> r.start));
      boolean hasPrevious = false;
      double previous = 0;
      for (Run r : runs) {
        if (!r.hasValue) {
          continue;
        }
        if (hasPrevious && !owner.inOrder(previous, r.first)) {
          unexpected++;
          owner.report(this, r.feed, r.firstRow, r.firstKey, r.firstShown);
        }
        hasPrevious = true;
        previous = r.last;
      }
      runs.clear();
    }
  }

  boolean inOrder(double previous, double value) {
    int cmp = Double.compare(value, previous);
    if (decreasing) {
      cmp = -cmp;
    }
    return strictly ? cmp > 0 : cmp >= 0;
  }

  private void report(State s, String feed, long row, String key, String shown) {
    s.samples.add(new ComplianceAnalyzer.Sample(feed, row, key, shown));
    s.context.failures().fail(expectation, key, feed, row, "the value is not " + (strictly ? "strictly " : "")
        + (decreasing ? "below" : "above") + " the one before it", shown);
  }

  @Override
  public String key() {
    return "Order#" + expectation;
  }

  @Override
  public List<String> columns() {
    return List.of(column);
  }

  @Override
  public State newState(ScanContext context) {
    return new State(this, context);
  }

  @Override
  public void update(State s, Batch batch) {
    ColumnView c = batch.column(column);
    boolean temporal = c.kind() == ColumnView.Kind.DATE || c.kind() == ColumnView.Kind.TIMESTAMP;
    int n = batch.size();
    s.rows += n;
    for (int i = 0; i < n; i++) {
      String feed = batch.feedId(i);
      long rowNumber = batch.sourceRowNumber(i);
      Run r = s.current;
      if (r == null || rowNumber != r.end + 1 || !java.util.Objects.equals(feed, r.feed)) {
        r = new Run();
        r.feed = feed;
        r.start = rowNumber;
        s.runs.add(r);
        s.current = r;
      }
      r.end = rowNumber;
      if (c.isNull(i)) {
        s.missing++;
        continue;
      }
      double v = temporal ? c.getLong(i) : c.getDouble(i);
      if (!r.hasValue) {
        r.hasValue = true;
        r.first = v;
        r.firstRow = rowNumber;
        r.firstKey = batch.rowKey(i);
        r.firstShown = s.context.display(column, c.getString(i));
      } else if (!inOrder(r.last, v)) {
        s.unexpected++;
        report(s, feed, rowNumber, batch.rowKey(i), s.context.display(column, c.getString(i)));
      }
      r.last = v;
    }
  }

  @Override
  public boolean mergesInAnyOrder() {
    return true; // runs sorted at the end, counts, the earliest samples
  }
}
