package io.dataops.lakehouse.contract;

import io.dataops.lakehouse.types.ColumnType;

/**
 * One column a department promised: its type, whether a value is required, the longest value it may have (in
 * characters), the date/timestamp pattern (null: the contract's default), and whether it holds personal data.
 */
public record ColumnSpec(
    String name, ColumnType type, boolean required, Integer maxLength, String format, PersonalData personal,
    String description) {

  public boolean isPersonal() {
    return personal != null;
  }
}
