package io.dataops.quality.engine;

import java.math.BigDecimal;

/** One column of a batch, read by position. Accessors other than {@link #isNull} assume a non-null value. */
public interface ColumnView {
  enum Kind { STRING, LONG, INT, DOUBLE, DECIMAL, DATE, TIMESTAMP, BOOLEAN, OTHER }

  Kind kind();

  boolean isNull(int row);

  /** Whole numbers; dates as days since 1970-01-01; timestamps as microseconds. */
  long getLong(int row);

  /** Any numeric value as a double. */
  double getDouble(int row);

  BigDecimal getDecimal(int row);

  /** Text for strings; the ISO form for dates and timestamps; the plain form for numbers. */
  String getString(int row);

  /** Appends canonical bytes identifying the value (equal values give equal bytes) for hashing and grouping. */
  void appendKey(int row, KeyBuffer out);

  default boolean isNumeric() {
    Kind k = kind();
    return k == Kind.LONG || k == Kind.INT || k == Kind.DOUBLE || k == Kind.DECIMAL;
  }
}
