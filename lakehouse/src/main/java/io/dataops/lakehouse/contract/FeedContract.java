package io.dataops.lakehouse.contract;

import io.dataops.lakehouse.types.ValueType;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a source department promised for one dataset: the file format and encoding, the columns with their types,
 * the primary key, how nulls, dates and timestamps are written, and when feeds are due ({@code schedule}, null when
 * none was declared). Immutable; built by {@link ContractParser}.
 */
public record FeedContract(
    String department,
    String dataset,
    String description,
    FeedFormat format,
    Charset encoding,
    boolean header,
    char delimiter,
    char quote,
    List<String> nullValues,
    String dateFormat,
    String timestampFormat,
    List<String> primaryKey,
    String sheet,
    int maxRecordBytes,
    List<ColumnSpec> columns,
    FeedSchedule schedule) {

  public static final String DEFAULT_DATE_FORMAT = "yyyy-MM-dd";
  public static final String DEFAULT_TIMESTAMP_FORMAT = "yyyy-MM-dd HH:mm:ss";
  public static final int DEFAULT_MAX_RECORD_BYTES = 1 << 20;

  /**
   * The values that mean null where a contract names none: the empty one in a text format, where an empty field is the
   * only null there is; none in Parquet, which has a null of its own, so its "" is text, as the file says.
   */
  public static List<String> defaultNullValues(FeedFormat format) {
    return format == FeedFormat.PARQUET ? List.of() : List.of("");
  }

  public FeedContract {
    nullValues = List.copyOf(nullValues);
    primaryKey = List.copyOf(primaryKey);
    columns = List.copyOf(columns);
  }

  public Optional<ColumnSpec> column(String name) {
    return columns.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  public int columnIndex(String name) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  public List<String> columnNames() {
    List<String> names = new ArrayList<>(columns.size());
    columns.forEach(c -> names.add(c.name()));
    return names;
  }

  /** The pattern a date or timestamp column is written in. */
  public String formatOf(ColumnSpec column) {
    if (column.format() != null) {
      return column.format();
    }
    return column.type().type() == ValueType.DATE ? dateFormat : timestampFormat;
  }

  public FeedContract withFormat(FeedFormat newFormat, Charset newEncoding) {
    return new FeedContract(department, dataset, description, newFormat, newEncoding, header, delimiter, quote,
        nullValues, dateFormat, timestampFormat, primaryKey, sheet, maxRecordBytes, columns, schedule);
  }
}
