package io.dataops.quality.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Counts the rows that meet, miss or break one expectation's row condition, and sends every breaking row to the
 * failure sink with its reason. Keeps the first {@value #SAMPLES} failures for the report.
 */
public final class ComplianceAnalyzer implements Analyzer<ComplianceAnalyzer.State> {
  public static final int SAMPLES = 20;

  private final int expectation;
  private final String expectationId;
  private final List<String> columns;
  private final RowCheck check;

  public ComplianceAnalyzer(int expectation, String expectationId, List<String> columns, RowCheck check) {
    this.expectation = expectation;
    this.expectationId = expectationId;
    this.columns = List.copyOf(columns);
    this.check = check;
  }

  public String expectationId() {
    return expectationId;
  }

  /** A failing row as a report shows it. */
  public record Sample(String feedId, long rowNumber, String rowKey, String value) {}

  /** Reports show the earliest failing rows (by feed, then row number), whatever order threads found them in. */
  static final Comparator<Sample> EARLIEST = Comparator.comparing((Sample s) -> s.feedId() == null ? "" : s.feedId())
      .thenComparingLong(Sample::rowNumber);

  /** Adds the sample if it is among the {@value #SAMPLES} earliest; the list stays sorted. */
  static void keepEarliest(List<Sample> samples, Sample s) {
    if (samples.size() == SAMPLES && EARLIEST.compare(s, samples.get(SAMPLES - 1)) >= 0) {
      return;
    }
    int at = java.util.Collections.binarySearch(samples, s, EARLIEST);
    samples.add(at < 0 ? -at - 1 : at, s);
    if (samples.size() > SAMPLES) {
      samples.remove(SAMPLES);
    }
  }

  public static class State implements AnalyzerState<State> {
    public long rows;
    public long missing;
    public long unexpected;
    public final List<Sample> samples = new ArrayList<>();

    @Override
    public State merge(State o) {
      rows += o.rows;
      missing += o.missing;
      unexpected += o.unexpected;
      // Threads finish in any order: keep the samples earliest in the files, so reports are reproducible.
      o.samples.forEach(s -> keepEarliest(samples, s));
      return this;
    }

    public long considered() {
      return rows - missing;
    }
  }

  private static final class LiveState extends State {
    final ScanContext context;

    LiveState(ScanContext context) {
      this.context = context;
    }
  }

  @Override
  public String key() {
    return "Compliance#" + expectation;
  }

  @Override
  public List<String> columns() {
    return columns;
  }

  @Override
  public State newState(ScanContext context) {
    return new LiveState(context);
  }

  @Override
  public void update(State state, Batch batch) {
    ScanContext ctx = ((LiveState) state).context;
    int n = batch.size();
    state.rows += n;
    for (int i = 0; i < n; i++) {
      int verdict = check.check(batch, i);
      if (verdict == RowCheck.OK) {
        continue;
      }
      if (verdict == RowCheck.MISSING) {
        state.missing++;
        continue;
      }
      state.unexpected++;
      String shown = check.shownValue(batch, i, ctx);
      String feed = batch.feedId(i);
      long rowNumber = batch.sourceRowNumber(i);
      String key = batch.rowKey(i);
      keepEarliest(state.samples, new Sample(feed, rowNumber, key, shown));
      ctx.failures().fail(expectation, key, feed, rowNumber, check.reason(batch, i), shown);
    }
  }
}
