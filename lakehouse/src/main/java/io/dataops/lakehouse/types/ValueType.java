package io.dataops.lakehouse.types;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Locale;

/**
 * The types of values the platform's tables hold, from a feed contract's columns to a product's, independent of the
 * engine that carries them: Java values are {@link String}, {@link Long}, {@link Integer}, {@link Double},
 * {@link BigDecimal}, {@link LocalDate}, {@link LocalDateTime}, {@link OffsetDateTime} and {@link Boolean}, or null.
 * A feed contract names all but {@link #TIMESTAMPTZ} (departments send local civil time).
 */
public enum ValueType {
  STRING, INT, LONG, DOUBLE, DECIMAL, DATE, TIMESTAMP, TIMESTAMPTZ, BOOLEAN;

  public boolean isNumeric() {
    return this == INT || this == LONG || this == DOUBLE || this == DECIMAL;
  }

  public boolean isTemporal() {
    return this == DATE || this == TIMESTAMP || this == TIMESTAMPTZ;
  }

  public String spelling() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The value in its canonical text form: what leak checks and pseudonyms compare, whatever engine carried it. */
  public static String text(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    return value.toString();
  }
}
