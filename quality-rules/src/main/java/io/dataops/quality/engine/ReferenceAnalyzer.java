package io.dataops.quality.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Type;

/**
 * Referential integrity: every non-null value of a column must occur in a column of another table (Deequ's
 * ReferentialIntegrity). Both sides are sorted in bounded memory (spilling as needed) and merge-joined, so
 * neither side has to fit in memory. The reference table is read when the scan is finished, at the snapshot chosen when
 * the rule was compiled (the run's pin of it): not at its current one then, which a feed landed since has moved.
 */
public final class ReferenceAnalyzer implements Analyzer<ReferenceAnalyzer.State> {
  private final int expectation;
  private final String column;
  private final Type type;
  private final Table reference;
  private final Long referenceSnapshot;
  private final String referenceColumn;
  private BiFunction<String, String, String> mask = (c, v) -> v;

  /** @param referenceSnapshot the snapshot of {@code reference} read, or null when it has none (no values) */
  public ReferenceAnalyzer(int expectation, String column, Type type, Table reference, Long referenceSnapshot,
      String referenceColumn) {
    this.expectation = expectation;
    this.column = column;
    this.type = type;
    this.reference = reference;
    this.referenceSnapshot = referenceSnapshot;
    this.referenceColumn = referenceColumn;
  }

  private int sampleCap = ComplianceAnalyzer.SAMPLES;

  /** Keeps at least {@code n} of the earliest failing rows for the result (its expectations' result formats). */
  public void keepSamples(int n) {
    sampleCap = Math.max(sampleCap, n);
  }

  public int sampleCap() {
    return sampleCap;
  }

  public void displayWith(BiFunction<String, String, String> masking) {
    this.mask = masking;
  }

  public static final class State implements AnalyzerState<State> {
    private final ReferenceAnalyzer owner;
    private final ScanContext context;
    final SortedValueRecords records;
    final KeyBuffer key = new KeyBuffer();
    final KeyBuffer locator = new KeyBuffer();
    final RowLocator.Cursor cursor = new RowLocator.Cursor();
    public long rows;
    public long missing;
    public long unexpected;
    public long referenceValues;
    public Long referenceSnapshot;
    public final Samples samples;

    State(ReferenceAnalyzer owner, ScanContext context) {
      this.owner = owner;
      this.context = context;
      this.samples = new Samples(owner.sampleCap);
      this.records = new SortedValueRecords(context.spillDirectory(), context.spillBudgetBytes(),
          context.valueMemory());
    }

    public long considered() {
      return rows - missing;
    }

    @Override
    public State merge(State o) {
      records.absorb(o.records);
      rows += o.rows;
      missing += o.missing;
      return this;
    }

    @Override
    public void finish() {
      Values collect = new Values(owner.referenceColumn);
      referenceSnapshot = owner.referenceSnapshot;
      Values.State ref = (Values.State) ScanRunner.run(owner.reference, referenceSnapshot, List.of(collect), List.of(),
          1, slot -> context).states().get(collect.key());
      referenceValues = ref.values;
      // Merge-join: both sides in (hash, value) order; a probe value with no equal reference value is unexpected.
      try (SortedValueRecords.Sorted probe = records.openSorted();
           SortedValueRecords.Sorted refs = ref.records.openSorted()) {
        SortedValueRecords.View r = refs.next();
        for (SortedValueRecords.View p = probe.next(); p != null; p = probe.next()) {
          while (r != null && r.compareTo(p) < 0) {
            r = refs.next();
          }
          if (r == null || r.compareTo(p) != 0) {
            unexpected++;
            owner.report(this, p);
          }
        }
      }
    }
  }

  /** Sorts a column's non-null values and nothing more (finishing must not consume them: the join reads them). */
  private record Values(String column) implements Analyzer<Values.State> {
    static final class State implements AnalyzerState<State> {
      final SortedValueRecords records;
      final KeyBuffer key = new KeyBuffer();
      long values;

      State(ScanContext context) {
        this.records = new SortedValueRecords(context.spillDirectory(), context.spillBudgetBytes(),
            context.valueMemory());
      }

      @Override
      public State merge(State o) {
        records.absorb(o.records);
        values += o.values;
        return this;
      }
    }

    @Override
    public String key() {
      return "ReferenceValues(" + column + ")";
    }

    @Override
    public List<String> columns() {
      return List.of(column);
    }

    @Override
    public State newState(ScanContext context) {
      return new State(context);
    }

    @Override
    public void update(State state, Batch batch) {
      ColumnView c = batch.column(column);
      for (int i = 0, n = batch.size(); i < n; i++) {
        if (!c.isNull(i)) {
          state.key.clear();
          c.appendKey(i, state.key);
          state.records.add(state.key.hash(), state.key.array(), state.key.length(), EMPTY, 0);
          state.values++;
        }
      }
    }
  }

  private static final byte[] EMPTY = new byte[0];

  private void report(State state, SortedValueRecords.View p) {
    String shown = mask.apply(column, KeyRendering.render(type, p.buf, p.valueOffset(), p.valueLength()));
    RowLocator.Ref ref = state.context.rowLocator().decode(p.buf, p.locatorOffset(), shown);
    state.samples.add(new ComplianceAnalyzer.Sample(ref.feedId(), ref.rowNumber(), ref.rowKey(), shown));
    state.context.failures().fail(expectation, ref.rowKey(), ref.feedId(), ref.rowNumber(),
        "the value does not occur in " + reference.name() + "." + referenceColumn, shown);
  }

  @Override
  public String key() {
    return "Reference#" + expectation;
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
  public void update(State state, Batch batch) {
    ColumnView c = batch.column(column);
    RowLocator rows = state.context.rowLocator();
    boolean keyIsValue = rows.keyIs(List.of(column));
    int n = batch.size();
    state.rows += n;
    for (int i = 0; i < n; i++) {
      if (c.isNull(i)) {
        state.missing++;
        continue;
      }
      state.key.clear();
      c.appendKey(i, state.key);
      state.locator.clear();
      rows.append(batch, i, state.locator, state.cursor, keyIsValue);
      state.records.add(state.key.hash(), state.key.array(), state.key.length(), state.locator.array(),
          state.locator.length());
    }
  }

  @Override
  public boolean mergesInAnyOrder() {
    return true; // both sides sorted at the end
  }
}
