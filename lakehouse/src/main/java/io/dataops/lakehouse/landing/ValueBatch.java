package io.dataops.lakehouse.landing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Rows of a typed format (Parquet, Excel) read on the reader thread: values already in contract column order (a
 * cell it could not read among them as a {@link ValueConverter.Unread}), plus any problem the reader found of the row
 * as a whole (a damaged row, a cell beyond the header). Conversion to the contract types still happens on the workers.
 */
final class ValueBatch implements RecordBatch {
  private final List<String> columnNames;
  private final List<Object[]> rows = new ArrayList<>();
  private final List<Long> rowNumbers = new ArrayList<>();
  private final List<Long> lineNumbers = new ArrayList<>();
  private final List<List<Problem>> readProblems = new ArrayList<>();

  ValueBatch(List<String> columnNames) {
    this.columnNames = columnNames;
  }

  void add(long rowNumber, long lineNumber, Object[] values, List<Problem> problems) {
    rows.add(values);
    rowNumbers.add(rowNumber);
    lineNumbers.add(lineNumber);
    if (problems == null || problems.isEmpty()) {
      readProblems.add(List.of());
      return;
    }
    // the row is not converted: its cells' problems are told after the row's own
    List<Problem> all = new ArrayList<>(problems);
    ValueConverter.addUnread(values, columnNames, all);
    readProblems.add(List.copyOf(all));
  }

  @Override
  public int size() {
    return rows.size();
  }

  @Override
  public long rowNumber(int i) {
    return rowNumbers.get(i);
  }

  @Override
  public long lineNumber(int i) {
    return lineNumbers.get(i);
  }

  @Override
  public void parse(int i, Object[] values, List<Problem> problems, Scratch scratch) {
    Object[] row = rows.get(i);
    System.arraycopy(row, 0, values, 0, row.length);
    problems.addAll(readProblems.get(i));
  }

  /** The row as a JSON object of what was read, so a person can see it as sent. */
  @Override
  public RawRow raw(int i, Scratch scratch) {
    Object[] row = rows.get(i);
    StringBuilder sb = new StringBuilder("{");
    for (int c = 0; c < row.length; c++) {
      if (row[c] == ValueConverter.ABSENT) {
        continue;
      }
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append('"').append(columnNames.get(c)).append("\": ");
      Object v = row[c] instanceof ValueConverter.Unread u ? u.stored() : row[c];
      if (v == null) {
        sb.append("null");
      } else if (v instanceof Number || v instanceof Boolean) {
        sb.append(v);
      } else if (v instanceof ByteBuffer b) {
        ByteBuffer copy = b.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        sb.append("\"base64:").append(Base64.getEncoder().encodeToString(bytes)).append('"');
      } else {
        sb.append('"').append(v.toString().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
      }
    }
    return new RawRow(sb.append('}').toString(), null);
  }
}
