package io.dataops.quality.engine;

import java.util.Comparator;
import java.util.List;

/**
 * Counts the rows that meet, miss or break one expectation's row condition, and sends every breaking row to the
 * failure sink with its reason. Keeps the earliest failures for the report: {@value #SAMPLES} unless the
 * expectation's result format asks for more. A value on which the check's pattern runs past its budget
 * ({@link PatternTooCostly}) ends this expectation only, as Great Expectations' raised exception does: the state keeps
 * the overrun of the earliest row (by feed, then row number) instead of counts, whatever the number of workers.
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
      // Last and optional: states stored before overruns were kept read as before.
      out.writeBoolean(s.overrun != null);
      if (s.overrun != null) {
        writeNullable(out, s.overrun.feedId());
        out.writeLong(s.overrun.rowNumber());
        out.writeUTF(s.overrun.message());
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
      if (in.available() > 0 && in.readBoolean()) {
        s.overrun = new Overrun(readNullable(in), in.readLong(), in.readUTF());
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

  /**
   * The row on which the check's pattern ran past its budget, and the message that names the pattern, the expectation
   * and the row (never the value).
   */
  public record Overrun(String feedId, long rowNumber, String message) {
    boolean before(Overrun o) {
      return EARLIEST.compare(new Sample(feedId, rowNumber, null, null), new Sample(o.feedId, o.rowNumber, null,
          null)) < 0;
    }
  }

  /** Reports show the earliest failing rows (by feed, then row number), whatever order threads found them in. */
  static final Comparator<Sample> EARLIEST = Comparator.comparing((Sample s) -> s.feedId() == null ? "" : s.feedId())
      .thenComparingLong(Sample::rowNumber);

  public static class State implements AnalyzerState<State> {
    public long rows;
    public long missing;
    public long unexpected;
    public final Samples samples;
    /** Set when the pattern overran on a row: the expectation could not be checked, its counts mean nothing. */
    public Overrun overrun;
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
      if (o.overrun != null && (overrun == null || o.overrun.before(overrun))) {
        overrun = o.overrun;
      }
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
    if (state.overrun != null) {
      earliestOverrun(state, batch, n);
      return; // nothing more to count or record: the expectation is not evaluated
    }
    state.rows += n;
    if (state.verdicts.length < n) {
      state.verdicts = new byte[n];
    }
    byte[] verdicts = state.verdicts;
    try {
      check.checkAll(batch, n, verdicts);
    } catch (PatternTooCostly overrun) {
      earliestOverrun(state, batch, n);
      if (state.overrun == null) { // no single row overran when checked again: named without its row
        state.overrun = new Overrun(null, Long.MAX_VALUE, overrun.at(where()).getMessage());
      }
      return;
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

  private String where() {
    String type = rule.indexOf(' ') > 0 ? rule.substring(0, rule.indexOf(' ')) : rule;
    return " of expectation " + (expectation + 1) + " (" + type + ")";
  }

  /**
   * Keeps, as the state's overrun, the earliest row of the batch on which the pattern runs past its budget, checking
   * only rows earlier than the overrun already kept: each worker then ends with the earliest of the rows it read, and
   * the merge with the earliest of all. A pattern costs its budget once per overrun found, not once per row after it.
   */
  private void earliestOverrun(State state, Batch batch, int n) {
    String where = where();
    for (int i = 0; i < n; i++) {
      String feed = batch.feedId(i);
      long rowNumber = batch.sourceRowNumber(i);
      Overrun candidate = new Overrun(feed, rowNumber, null);
      if (state.overrun != null && !candidate.before(state.overrun)) {
        continue;
      }
      try {
        check.check(batch, i);
      } catch (PatternTooCostly again) {
        state.overrun = new Overrun(feed, rowNumber, again.at(where + " on row " + rowNumber
            + (feed == null ? "" : " of feed " + feed)).getMessage());
      }
    }
  }

  @Override
  public boolean mergesInAnyOrder() {
    return true; // counts and the earliest samples
  }
}
