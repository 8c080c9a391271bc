package io.dataops.quality.engine;

import java.util.Comparator;
import java.util.List;

/**
 * Counts the rows that meet, miss or break one expectation's row condition, and sends every breaking row to the
 * failure sink with its reason. Keeps the earliest failures for the report: {@value #SAMPLES} unless the
 * expectation's result format asks for more.
 */
public final class ComplianceAnalyzer implements Analyzer<ComplianceAnalyzer.State> {
  public static final int SAMPLES = 20;

  private final int expectation;
  private final String expectationId;
  private final String rule;
  private final List<String> columns;
  private final RowCheck check;
  private final int sampleCap;

  /** {@code rule} identifies the row condition across suites and runs (type and arguments). */
  public ComplianceAnalyzer(int expectation, String expectationId, String rule, List<String> columns, RowCheck check) {
    this(expectation, expectationId, rule, columns, check, SAMPLES);
  }

  /** {@code sampleCap}: how many of the earliest failing rows to keep for the result. */
  public ComplianceAnalyzer(int expectation, String expectationId, String rule, List<String> columns, RowCheck check,
      int sampleCap) {
    this.expectation = expectation;
    this.expectationId = expectationId;
    this.rule = rule;
    this.columns = List.copyOf(columns);
    this.check = check;
    this.sampleCap = sampleCap;
  }

  @Override
  public String persistKey() {
    return "Compliance(" + rule + ")";
  }

  @Override
  public byte[] save(State s) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
      out.writeLong(s.rows);
      out.writeLong(s.missing);
      out.writeLong(s.unexpected);
      List<Sample> kept = s.samples.list();
      out.writeInt(kept.size());
      for (Sample x : kept) {
        writeNullable(out, x.feedId());
        out.writeLong(x.rowNumber());
        writeNullable(out, x.rowKey());
        writeNullable(out, x.value());
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  @Override
  public State restore(byte[] bytes, ScanContext context) {
    State s = new LiveState(context, sampleCap);
    try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
      s.rows = in.readLong();
      s.missing = in.readLong();
      s.unexpected = in.readLong();
      for (int i = in.readInt(); i > 0; i--) {
        s.samples.add(new Sample(readNullable(in), in.readLong(), readNullable(in), readNullable(in)));
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return s;
  }

  private static void writeNullable(java.io.DataOutputStream out, String v) throws java.io.IOException {
    out.writeBoolean(v != null);
    if (v != null) {
      out.writeUTF(v);
    }
  }

  private static String readNullable(java.io.DataInputStream in) throws java.io.IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }

  public String expectationId() {
    return expectationId;
  }

  /** A failing row as a report shows it. */
  public record Sample(String feedId, long rowNumber, String rowKey, String value) {}

  /** Reports show the earliest failing rows (by feed, then row number), whatever order threads found them in. */
  static final Comparator<Sample> EARLIEST = Comparator.comparing((Sample s) -> s.feedId() == null ? "" : s.feedId())
      .thenComparingLong(Sample::rowNumber);

  public static class State implements AnalyzerState<State> {
    public long rows;
    public long missing;
    public long unexpected;
    public final Samples samples;
    /** Scratch for one batch's verdicts (a state belongs to one scan thread). */
    byte[] verdicts = new byte[0];

    State(int sampleCap) {
      samples = new Samples(sampleCap);
    }

    @Override
    public State merge(State o) {
      rows += o.rows;
      missing += o.missing;
      unexpected += o.unexpected;
      // Threads finish in any order: keep the samples earliest in the files, so reports are reproducible.
      samples.merge(o.samples);
      return this;
    }

    public long considered() {
      return rows - missing;
    }
  }

  private static final class LiveState extends State {
    final ScanContext context;

    LiveState(ScanContext context, int sampleCap) {
      super(sampleCap);
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
  public List<String> nullsOnlyColumns() {
    return check.readsOnlyNulls() ? columns : List.of();
  }

  @Override
  public State newState(ScanContext context) {
    return new LiveState(context, sampleCap);
  }

  @Override
  public void update(State state, Batch batch) {
    ScanContext ctx = ((LiveState) state).context;
    int n = batch.size();
    state.rows += n;
    if (state.verdicts.length < n) {
      state.verdicts = new byte[n];
    }
    byte[] verdicts = state.verdicts;
    try {
      check.checkAll(batch, n, verdicts);
    } catch (PatternTooCostly overrun) {
      throw locate(overrun, batch, n);
    }
    for (int i = 0; i < n; i++) {
      int verdict = verdicts[i];
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
      state.samples.add(new Sample(feed, rowNumber, key, shown));
      ctx.failures().fail(expectation, key, feed, rowNumber, check.reason(batch, i), shown);
    }
  }

  /** The row of the batch whose value ran past a pattern's budget (found again: the same value overruns again). */
  private PatternTooCostly locate(PatternTooCostly overrun, Batch batch, int n) {
    String type = rule.indexOf(' ') > 0 ? rule.substring(0, rule.indexOf(' ')) : rule;
    String where = " of expectation " + (expectation + 1) + " (" + type + ")";
    for (int i = 0; i < n; i++) {
      try {
        check.check(batch, i);
      } catch (PatternTooCostly again) {
        String feed = batch.feedId(i);
        return again.at(where + " on row " + batch.sourceRowNumber(i) + (feed == null ? "" : " of feed " + feed));
      }
    }
    return overrun.at(where);
  }

  @Override
  public boolean mergesInAnyOrder() {
    return true; // counts and the earliest samples
  }
}
