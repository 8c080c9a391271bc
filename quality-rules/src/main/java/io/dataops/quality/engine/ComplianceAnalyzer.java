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
  private final List<String> columns;
  private final RowCheck check;

  public ComplianceAnalyzer(int expectation, List<String> columns, RowCheck check) {
    this.expectation = expectation;
    this.columns = List.copyOf(columns);
    this.check = check;
  }

  /** A failing row as a report shows it. */
  public record Sample(String feedId, long rowNumber, String rowKey, String value) {}

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
      samples.addAll(o.samples);
      // Threads finish in any order: keep the samples earliest in the files, so reports are reproducible.
      samples.sort(Comparator.comparing((Sample s) -> s.feedId() == null ? "" : s.feedId())
          .thenComparingLong(Sample::rowNumber));
      while (samples.size() > SAMPLES) {
        samples.remove(samples.size() - 1);
      }
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
      if (state.samples.size() < SAMPLES) {
        state.samples.add(new Sample(feed, rowNumber, key, shown));
      }
      ctx.failures().fail(expectation, key, feed, rowNumber, check.reason(batch, i), shown);
    }
  }
}
