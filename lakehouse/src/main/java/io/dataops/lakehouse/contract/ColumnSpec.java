package io.dataops.lakehouse.contract;

import io.dataops.lakehouse.types.ColumnType;

/**
 * One column a department promised: its type, whether a value is required, the longest value it may have (in
 * characters), the date/timestamp pattern (null: the contract's default), whether it holds personal data, and
 * ({@code binaryAsUtf8}, string columns of Parquet feeds) whether a plain Parquet BINARY, without the STRING
 * annotation older writers left out, is UTF-8 text.
 */
public record ColumnSpec(
    String name, ColumnType type, boolean required, Integer maxLength, String format, PersonalData personal,
    String description, boolean binaryAsUtf8) {

  public boolean isPersonal() {
    return personal != null;
  }
}
