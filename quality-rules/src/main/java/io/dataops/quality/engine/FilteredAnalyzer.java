package io.dataops.quality.engine;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * An analyzer that sees only the rows a {@link RowFilter} keeps: each batch is narrowed to the selected rows (a
 * selection vector over the same column vectors, nothing copied) before the analyzer's own update.
 */
public final class FilteredAnalyzer<S extends AnalyzerState<S>> implements Analyzer<S> {
  private final Analyzer<S> inner;
  private final RowFilter filter;

  public FilteredAnalyzer(Analyzer<S> inner, RowFilter filter) {
    this.inner = inner;
    this.filter = filter;
  }

  public Analyzer<S> inner() {
    return inner;
  }

  /** The rows it sees: what a caller's check of the columns a condition reads looks at. */
  public RowFilter filter() {
    return filter;
  }

  /** The key an analyzer has under a filter. */
  public static String key(RowFilter filter, String innerKey) {
    return "Where(" + filter.key() + ")" + innerKey;
  }

  @Override
  public String key() {
    return key(filter, inner.key());
  }

  @Override
  public boolean mergesInAnyOrder() {
    return inner.mergesInAnyOrder();
  }

  @Override
  public List<String> columns() {
    LinkedHashSet<String> all = new LinkedHashSet<>(inner.columns());
    all.addAll(filter.columns());
    return new ArrayList<>(all);
  }

  @Override
  public S newState(ScanContext context) {
    return inner.newState(context);
  }

  @Override
  public void update(S state, Batch batch) {
    int n = batch.size();
    int[] selected = new int[n];
    int kept = 0;
    for (int i = 0; i < n; i++) {
      if (filter.test(batch, i)) {
        selected[kept++] = i;
      }
    }
    if (kept == n) {
      inner.update(state, batch);
    } else if (kept > 0) {
      inner.update(state, new Selected(batch, selected, kept));
    }
  }

  @Override
  public String persistKey() {
    String k = inner.persistKey();
    return k == null ? null : key(filter, k);
  }

  @Override
  public byte[] save(S state) {
    return inner.save(state);
  }

  @Override
  public S restore(byte[] bytes, ScanContext context) {
    return inner.restore(bytes, context);
  }

  /** The selected rows of a batch, renumbered 0..kept-1. */
  private static final class Selected implements Batch {
    private final Batch batch;
    private final int[] rows;
    private final int size;

    Selected(Batch batch, int[] rows, int size) {
      this.batch = batch;
      this.rows = rows;
      this.size = size;
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public ColumnView column(String name) {
      ColumnView c = batch.column(name);
      return c == null ? null : new View(c, rows);
    }

    @Override
    public String rowKey(int row) {
      return batch.rowKey(rows[row]);
    }

    @Override
    public String feedId(int row) {
      return batch.feedId(rows[row]);
    }

    @Override
    public long sourceRowNumber(int row) {
      return batch.sourceRowNumber(rows[row]);
    }
  }

  private record View(ColumnView c, int[] rows) implements ColumnView {
    @Override
    public Kind kind() {
      return c.kind();
    }

    @Override
    public boolean isNull(int row) {
      return c.isNull(rows[row]);
    }

    @Override
    public long getLong(int row) {
      return c.getLong(rows[row]);
    }

    @Override
    public double getDouble(int row) {
      return c.getDouble(rows[row]);
    }

    @Override
    public BigDecimal getDecimal(int row) {
      return c.getDecimal(rows[row]);
    }

    @Override
    public String getString(int row) {
      return c.getString(rows[row]);
    }

    @Override
    public void appendKey(int row, KeyBuffer out) {
      c.appendKey(rows[row], out);
    }
  }
}
