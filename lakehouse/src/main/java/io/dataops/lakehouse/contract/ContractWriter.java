package io.dataops.lakehouse.contract;

import java.nio.charset.StandardCharsets;

/** Writes a contract as the YAML that {@link ContractParser} reads back to an equal contract. */
public final class ContractWriter {
  private ContractWriter() {}

  public static String toYaml(FeedContract c) {
    StringBuilder y = new StringBuilder();
    y.append("# Feed contract: what the department promises for this dataset.\n");
    if (c.department() != null) {
      y.append("department: ").append(c.department()).append('\n');
    }
    if (c.dataset() != null) {
      y.append("dataset: ").append(c.dataset()).append('\n');
    }
    if (c.description() != null) {
      y.append("description: ").append(quoted(c.description())).append('\n');
    }
    y.append("format: ").append(c.format().spelling()).append('\n');
    y.append("encoding: ").append(c.encoding().name()).append('\n');
    if (c.format() == FeedFormat.CSV) {
      y.append("header: ").append(c.header()).append('\n');
      y.append("delimiter: ").append(c.delimiter() == '\t' ? "tab" : quoted(String.valueOf(c.delimiter()))).append('\n');
      y.append("quote: ").append(quoted(String.valueOf(c.quote()))).append('\n');
    }
    y.append("nullValues: [");
    for (int i = 0; i < c.nullValues().size(); i++) {
      y.append(i > 0 ? ", " : "").append(quoted(c.nullValues().get(i)));
    }
    y.append("]\n");
    y.append("dateFormat: ").append(quoted(c.dateFormat())).append('\n');
    y.append("timestampFormat: ").append(quoted(c.timestampFormat())).append('\n');
    if (c.sheet() != null) {
      y.append("sheet: ").append(quoted(c.sheet())).append('\n');
    }
    if (c.maxRecordBytes() != FeedContract.DEFAULT_MAX_RECORD_BYTES) {
      y.append("maxRecordBytes: ").append(c.maxRecordBytes()).append('\n');
    }
    if (c.schedule() != null) {
      y.append("schedule: ").append(c.schedule().yaml()).append('\n');
    }
    if (!c.primaryKey().isEmpty()) {
      y.append("primaryKey: [").append(String.join(", ", c.primaryKey())).append("]\n");
    }
    y.append("columns:\n");
    for (ColumnSpec col : c.columns()) {
      y.append("  - name: ").append(col.name()).append('\n');
      y.append("    type: ").append(col.type()).append('\n');
      if (col.required()) {
        y.append("    required: true\n");
      }
      if (col.maxLength() != null) {
        y.append("    maxLength: ").append(col.maxLength()).append('\n');
      }
      if (col.format() != null) {
        y.append("    format: ").append(quoted(col.format())).append('\n');
      }
      if (col.personal() != null) {
        y.append("    personal: ").append(col.personal().spelling()).append('\n');
      }
      if (col.description() != null) {
        y.append("    description: ").append(quoted(col.description())).append('\n');
      }
      if (col.binaryAsUtf8()) {
        y.append("    binaryAsUtf8: true\n");
      }
    }
    return y.toString();
  }

  public static byte[] toBytes(FeedContract c) {
    return toYaml(c).getBytes(StandardCharsets.UTF_8);
  }

  private static String quoted(String s) {
    StringBuilder q = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '"' -> q.append("\\\"");
        case '\\' -> q.append("\\\\");
        case '\t' -> q.append("\\t");
        case '\n' -> q.append("\\n");
        default -> q.append(ch);
      }
    }
    return q.append('"').toString();
  }
}
