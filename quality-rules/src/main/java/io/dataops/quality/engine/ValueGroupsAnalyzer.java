package io.dataops.quality.engine;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Groups the non-null values of one column (or the value tuples of several) exactly: how many distinct values,
 * how many occur once, which rows hold a value that occurs more than once. Values are sorted in bounded memory
 * (spilling sorted runs to disk), never kept in a hash set that grows with the data. Rows where every column is
 * null are left out (Great Expectations' default for compound uniqueness).
 */
public final class ValueGroupsAnalyzer implements Analyzer<ValueGroupsAnalyzer.State> {
  private final List<String> columns;
  private final List<Type> types;
  private final boolean withRows;
  private final List<Integer> duplicateListeners = new ArrayList<>();

  public ValueGroupsAnalyzer(List<String> columns, List<Type> types, boolean withRows) {
    this.columns = List.copyOf(columns);
    this.types = List.copyOf(types);
    this.withRows = withRows;
  }

  /** Every row holding a duplicated value is reported as a failure of this expectation. */
  public void reportDuplicatesAs(int expectation) {
    duplicateListeners.add(expectation);
  }

  public List<Integer> listeners() {
    return List.copyOf(duplicateListeners);
  }

  public static final class State implements AnalyzerState<State> {
    final SortedValueRecords records;
    final ScanContext context;
    private final ValueGroupsAnalyzer owner;
    public long values;
    public long distinct;
    public long singletons;
    public long duplicateRows;
    public final List<ComplianceAnalyzer.Sample> samples = new ArrayList<>();
    final KeyBuffer key = new KeyBuffer();

    State(ValueGroupsAnalyzer owner, ScanContext context) {
      this.owner = owner;
      this.context = context;
      this.records = new SortedValueRecords(owner.withRows, context.spillDirectory(), context.spillBudgetBytes());
    }

    @Override
    public State merge(State other) {
      records.absorb(other.records);
      values += other.values;
      return this;
    }

    @Override
    public void finish() {
      SortedValueRecords.Record[] previous = {null};
      long[] groupSize = {0};
      records.forEachSorted(r -> {
        if (previous[0] != null && previous[0].sameValue(r)) {
          groupSize[0]++;
          if (groupSize[0] == 2) {
            singletons--;
            duplicateRows += 2;
            owner.reportDuplicate(this, previous[0]);
          } else {
            duplicateRows++;
          }
          owner.reportDuplicate(this, r);
        } else {
          distinct++;
          singletons++;
          groupSize[0] = 1;
          previous[0] = r;
        }
      });
    }
  }

  private void reportDuplicate(State state, SortedValueRecords.Record r) {
    if (!withRows || duplicateListeners.isEmpty()) {
      return;
    }
    String shown = render(r.value);
    if (state.samples.size() < ComplianceAnalyzer.SAMPLES) {
      state.samples.add(new ComplianceAnalyzer.Sample(r.feedId, r.rowNumber, r.rowKey, shown));
    }
    for (int expectation : duplicateListeners) {
      state.context.failures().fail(expectation, r.rowKey, r.feedId, r.rowNumber,
          columns.size() == 1 ? "the value occurs more than once in " + columns.get(0)
              : "the combination of " + String.join(", ", columns) + " occurs more than once", shown);
    }
  }

  @Override
  public String key() {
    return "ValueGroups(" + String.join(",", columns) + (withRows ? "|rows" : "") + ")";
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
    boolean single = views.length == 1;
    for (int i = 0; i < n; i++) {
      key.clear();
      boolean anyValue = false;
      for (ColumnView v : views) {
        if (v.isNull(i)) {
          key.put(NULL_PART);
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
      if (!anyValue) {
        continue;
      }
      state.values++;
      state.records.add(key.hash(), key.array(), key.length(), withRows ? batch.rowKey(i) : null,
          withRows ? batch.feedId(i) : null, withRows ? batch.sourceRowNumber(i) : 0);
    }
  }

  private static final byte NULL_PART = 0;
  private static final byte VALUE_PART = 1;

  /** Turns grouping bytes back into the value, as a report may show it. */
  String render(byte[] keyBytes) {
    if (columns.size() == 1) {
      return display(0, keyBytes, 0, keyBytes.length);
    }
    StringBuilder sb = new StringBuilder("(");
    int p = 0;
    for (int c = 0; c < columns.size(); c++) {
      sb.append(c > 0 ? ", " : "");
      if (keyBytes[p++] == NULL_PART) {
        sb.append("null");
        continue;
      }
      int len = ((keyBytes[p] & 0xff) << 24) | ((keyBytes[p + 1] & 0xff) << 16) | ((keyBytes[p + 2] & 0xff) << 8)
          | (keyBytes[p + 3] & 0xff);
      p += 4;
      sb.append(display(c, keyBytes, p, len));
      p += len;
    }
    return sb.append(')').toString();
  }

  private String display(int column, byte[] b, int off, int len) {
    Type t = types.get(column);
    String value = switch (t.typeId()) {
      case STRING -> new String(b, off, len, StandardCharsets.UTF_8);
      case LONG, INTEGER -> Long.toString(readLong(b, off));
      case DATE -> LocalDate.ofEpochDay(readLong(b, off)).toString();
      case TIMESTAMP -> LocalDateTime.ofInstant(Instant.EPOCH.plusNanos(readLong(b, off) * 1000), ZoneOffset.UTC).toString();
      case DOUBLE, FLOAT -> Double.toString(Double.longBitsToDouble(readLong(b, off)));
      case DECIMAL -> new BigDecimal(new BigInteger(java.util.Arrays.copyOfRange(b, off, off + len)),
          ((Types.DecimalType) t).scale()).toPlainString();
      case BOOLEAN -> b[off] == 1 ? "true" : "false";
      default -> new String(b, off, len, StandardCharsets.UTF_8);
    };
    return mask.apply(columns.get(column), value);
  }

  private java.util.function.BiFunction<String, String, String> mask = (c, v) -> v;

  /** How values are shown (the run masks personal columns). */
  public void displayWith(java.util.function.BiFunction<String, String, String> masking) {
    this.mask = masking;
  }

  private static long readLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }
}
