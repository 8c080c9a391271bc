package io.dataops.quality.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.apache.iceberg.types.Type;

/**
 * Groups the non-null values of one column (or the value tuples of several) exactly: how many distinct values,
 * how many occur once, which rows hold a value that occurs more than once. Values are kept in bounded memory
 * (spilling sorted runs to disk), never in a hash set that grows with the data; in memory, only the values whose
 * hash is shared are compared byte for byte (the rest occur once). Which rows are left out is
 * GX's {@code ignore_row_if}: by default those where every column is null.
 */
public final class ValueGroupsAnalyzer implements Analyzer<ValueGroupsAnalyzer.State> {
  private static final byte NULL_PART = 0;
  private static final byte VALUE_PART = 1;

  private final List<String> columns;
  private final List<Type> types;
  private final boolean withRows;
  private final Ignore ignore;
  private final List<Integer> duplicateListeners = new ArrayList<>();
  private BiFunction<String, String, String> mask = (c, v) -> v;

  /** GX's {@code ignore_row_if} for multicolumn expectations. */
  /** GX's {@code ignore_row_if} of a multicolumn expectation: which rows it leaves out by their missing values. */
  public enum Ignore {
    ALL_VALUES_ARE_MISSING, ANY_VALUE_IS_MISSING, NEVER;

    /** Whether a row with {@code nulls} missing values of {@code columns} is left out. */
    public boolean ignores(int nulls, int columns) {
      return this == ANY_VALUE_IS_MISSING ? nulls > 0 : this == ALL_VALUES_ARE_MISSING && nulls == columns;
    }
  }

  public ValueGroupsAnalyzer(List<String> columns, List<Type> types, boolean withRows) {
    this(columns, types, withRows, Ignore.ALL_VALUES_ARE_MISSING);
  }

  public ValueGroupsAnalyzer(List<String> columns, List<Type> types, boolean withRows, Ignore ignore) {
    this.columns = List.copyOf(columns);
    this.types = List.copyOf(types);
    this.withRows = withRows;
    this.ignore = ignore;
  }

  /** Every row holding a duplicated value is reported as a failure of this expectation. */
  public void reportDuplicatesAs(int expectation) {
    duplicateListeners.add(expectation);
  }

  public List<Integer> listeners() {
    return List.copyOf(duplicateListeners);
  }

  private int sampleCap = ComplianceAnalyzer.SAMPLES;

  /** Keeps at least {@code n} of the earliest failing rows for the result (its expectations' result formats). */
  public void keepSamples(int n) {
    sampleCap = Math.max(sampleCap, n);
  }

  public int sampleCap() {
    return sampleCap;
  }

  /** How values are shown (the run masks personal columns). */
  public void displayWith(BiFunction<String, String, String> masking) {
    this.mask = masking;
  }

  /**
   * Memory for a state's records before they spill: the run's budget, at most 4 MB. Grouping spills once, unsorted,
   * and reads back only the records whose hash is shared (a sequential write and a filtered read), so records held
   * beyond a few MB save no work; they only grow arenas for the collector to copy (64 MB held no less CPU and a
   * third more peak RSS at 5M rows: bench/HISTORY.md).
   */
  static final long RECORD_BUDGET = 4L << 20;

  public static final class State implements AnalyzerState<State> {
    final SortedValueRecords records;
    final ScanContext context;
    private final ValueGroupsAnalyzer owner;
    public long values;
    public long distinct;
    public long singletons;
    public long duplicateRows;
    public final Samples samples;
    final KeyBuffer key = new KeyBuffer();
    final KeyBuffer locator = new KeyBuffer();
    final RowLocator.Cursor cursor = new RowLocator.Cursor();

    State(ValueGroupsAnalyzer owner, ScanContext context) {
      this.owner = owner;
      this.context = context;
      this.samples = new Samples(owner.sampleCap);
      this.records = SortedValueRecords.forGrouping(context.spillDirectory(),
          Math.min(RECORD_BUDGET, context.spillBudgetBytes()), context.valueMemory());
    }

    @Override
    public State merge(State other) {
      records.absorb(other.records);
      values += other.values;
      return this;
    }

    @Override
    public void finish() {
      // The previous record is remembered where it lies (in memory) or copied (from a spilled run, whose buffer
      // the next record overwrites), and reported once a twin turns up.
      boolean rows = owner.withRows && !owner.duplicateListeners.isEmpty();
      KeyBuffer copy = new KeyBuffer();
      Previous prev = new Previous();
      long[] groupSize = {0};
      long once = records.forEachSharedHash(r -> {
        int vo = r.valueOffset();
        int vl = r.valueLength();
        boolean same = prev.buf != null && prev.hash == r.hash && vl == prev.valueLength
            && java.util.Arrays.equals(prev.buf, prev.valueOffset, prev.valueOffset + vl, r.buf, vo, vo + vl);
        if (same) {
          groupSize[0]++;
          if (groupSize[0] == 2) {
            singletons--;
            duplicateRows += 2;
            if (rows) {
              owner.reportDuplicate(this, prev.buf, prev.valueOffset, vl, prev.buf, prev.locatorOffset);
            }
          } else {
            duplicateRows++;
          }
          if (rows) {
            owner.reportDuplicate(this, prev.buf, prev.valueOffset, vl, r.buf, r.locatorOffset());
          }
          return;
        }
        distinct++;
        singletons++;
        groupSize[0] = 1;
        prev.hash = r.hash;
        prev.valueLength = vl;
        if (!r.transientBuffer) {
          prev.buf = r.buf;
          prev.valueOffset = vo;
          prev.locatorOffset = r.locatorOffset();
        } else {
          copy.clear();
          copy.put(r.buf, vo, vl);
          int locatorStart = copy.length();
          if (rows) {
            copy.put(r.buf, r.locatorOffset(), r.locatorLength());
          }
          prev.buf = copy.array();
          prev.valueOffset = 0;
          prev.locatorOffset = locatorStart;
        }
      });
      distinct += once;
      singletons += once;
    }
  }

  /** The first record of the current group of equal values. */
  private static final class Previous {
    byte[] buf;
    long hash;
    int valueOffset;
    int valueLength;
    int locatorOffset;
  }

  private void reportDuplicate(State state, byte[] valueBuf, int valueOffset, int valueLength, byte[] locatorBuf,
      int locatorOffset) {
    String shown = render(java.util.Arrays.copyOfRange(valueBuf, valueOffset, valueOffset + valueLength));
    RowLocator.Ref ref = state.context.rowLocator().decode(locatorBuf, locatorOffset, shown);
    state.samples.add(new ComplianceAnalyzer.Sample(ref.feedId(), ref.rowNumber(), ref.rowKey(), shown));
    for (int expectation : duplicateListeners) {
      state.context.failures().fail(expectation, ref.rowKey(), ref.feedId(), ref.rowNumber(),
          columns.size() == 1 ? "the value occurs more than once in " + columns.get(0)
              : "the combination of " + String.join(", ", columns) + " occurs more than once", shown);
    }
  }

  @Override
  public String key() {
    return "ValueGroups(" + String.join(",", columns) + (withRows ? "|rows" : "")
        + (ignore == Ignore.ALL_VALUES_ARE_MISSING ? "" : "|" + ignore) + ")";
  }

  @Override
  public List<String> columns() {
    return columns;
  }

  @Override
  public State newState(ScanContext context) {
    return new State(this, context);
  }

  @Override
  public void update(State state, Batch batch) {
    int n = batch.size();
    ColumnView[] views = new ColumnView[columns.size()];
    for (int c = 0; c < views.length; c++) {
      views[c] = batch.column(columns.get(c));
    }
    KeyBuffer key = state.key;
    KeyBuffer locator = state.locator;
    RowLocator rows = withRows ? state.context.rowLocator() : null;
    boolean keyIsValue = rows != null && rows.keyIs(columns);
    boolean single = untagged();
    for (int i = 0; i < n; i++) {
      key.clear();
      boolean anyValue = false;
      boolean anyNull = false;
      for (ColumnView v : views) {
        if (v.isNull(i)) {
          key.put(NULL_PART);
          anyNull = true;
          continue;
        }
        anyValue = true;
        if (single) {
          v.appendKey(i, key);
        } else {
          // Tagged, length-prefixed parts: ("ab","c") and ("a","bc") differ, and null differs from "".
          key.put(VALUE_PART);
          int lengthAt = key.length();
          key.putInt(0);
          int start = key.length();
          v.appendKey(i, key);
          key.setInt(lengthAt, key.length() - start);
        }
      }
      if (ignore == Ignore.ANY_VALUE_IS_MISSING ? anyNull : !anyValue && ignore == Ignore.ALL_VALUES_ARE_MISSING) {
        continue;
      }
      state.values++;
      locator.clear();
      if (rows != null) {
        rows.append(batch, i, locator, state.cursor, keyIsValue);
      }
      state.records.add(key.hash(), key.array(), key.length(), locator.array(), locator.length());
    }
  }

  /** One column whose nulls are left out: its key is the value's bytes alone (else tagged parts, nulls included). */
  private boolean untagged() {
    return columns.size() == 1 && ignore != Ignore.NEVER;
  }

  /** Turns grouping bytes back into the value, as a report may show it. */
  String render(byte[] keyBytes) {
    if (untagged()) {
      return mask.apply(columns.get(0), KeyRendering.render(types.get(0), keyBytes, 0, keyBytes.length));
    }
    StringBuilder sb = new StringBuilder("(");
    int p = 0;
    for (int c = 0; c < columns.size(); c++) {
      sb.append(c > 0 ? ", " : "");
      if (keyBytes[p++] == NULL_PART) {
        sb.append("null");
        continue;
      }
      int len = SortedValueRecords.getInt(keyBytes, p);
      p += 4;
      sb.append(mask.apply(columns.get(c), KeyRendering.render(types.get(c), keyBytes, p, len)));
      p += len;
    }
    return sb.append(')').toString();
  }

  @Override
  public boolean mergesInAnyOrder() {
    return true; // values sorted at the end, counts, the earliest samples
  }
}
