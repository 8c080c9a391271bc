package io.dataops.jobs.flink.sql;

import io.dataops.lakehouse.types.ColumnType;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A DuckDB type as the translation follows it, and the Flink type that holds the same values: HUGEINT (what DuckDB's
 * sum of integers gives) is carried as DECIMAL(38, 0).
 */
record DType(Kind kind, int precision, int scale) {
  enum Kind { VARCHAR, INTEGER, BIGINT, HUGEINT, DOUBLE, DECIMAL, DATE, TIMESTAMP, TIMESTAMPTZ, BOOLEAN }

  private static final Pattern DECIMAL = Pattern.compile("DECIMAL\\((\\d+),\\s*(\\d+)\\)");

  static final DType VARCHAR = of(Kind.VARCHAR);
  static final DType INTEGER = of(Kind.INTEGER);
  static final DType BIGINT = of(Kind.BIGINT);
  static final DType HUGEINT = of(Kind.HUGEINT);
  static final DType DOUBLE = of(Kind.DOUBLE);
  static final DType DATE = of(Kind.DATE);
  static final DType TIMESTAMP = of(Kind.TIMESTAMP);
  static final DType BOOLEAN = of(Kind.BOOLEAN);

  static DType of(Kind kind) {
    return new DType(kind, 0, 0);
  }

  static DType decimal(int precision, int scale) {
    return new DType(Kind.DECIMAL, precision, scale);
  }

  /** DuckDB's name of a type (as DESCRIBE gives it), or null for a type the translation does not carry. */
  static DType parse(String duck) {
    Matcher m = DECIMAL.matcher(duck);
    if (m.matches()) {
      return decimal(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }
    return switch (duck) {
      case "VARCHAR" -> VARCHAR;
      case "INTEGER", "\"NULL\"", "NULL" -> INTEGER;
      case "BIGINT" -> BIGINT;
      case "HUGEINT" -> HUGEINT;
      case "DOUBLE" -> DOUBLE;
      case "DATE" -> DATE;
      case "TIMESTAMP" -> TIMESTAMP;
      case "TIMESTAMP WITH TIME ZONE" -> of(Kind.TIMESTAMPTZ);
      case "BOOLEAN" -> BOOLEAN;
      default -> null;
    };
  }

  /** The type of a pipeline column (an input's or the transform's result). */
  static DType of(ColumnType t) {
    return switch (t.type()) {
      case STRING -> VARCHAR;
      case INT -> INTEGER;
      case LONG -> BIGINT;
      case DOUBLE -> DOUBLE;
      case DECIMAL -> decimal(t.precision(), t.scale());
      case DATE -> DATE;
      case TIMESTAMP -> TIMESTAMP;
      case TIMESTAMPTZ -> of(Kind.TIMESTAMPTZ);
      case BOOLEAN -> BOOLEAN;
    };
  }

  /** The Flink SQL type holding the same values. */
  String flink() {
    return switch (kind) {
      case VARCHAR -> "STRING";
      case INTEGER -> "INT";
      case BIGINT -> "BIGINT";
      case HUGEINT -> "DECIMAL(38, 0)";
      case DOUBLE -> "DOUBLE";
      case DECIMAL -> "DECIMAL(" + precision + ", " + scale + ")";
      case DATE -> "DATE";
      case TIMESTAMP -> "TIMESTAMP(6)";
      case TIMESTAMPTZ -> "TIMESTAMP_LTZ(6)";
      case BOOLEAN -> "BOOLEAN";
    };
  }

  boolean integral() {
    return kind == Kind.INTEGER || kind == Kind.BIGINT || kind == Kind.HUGEINT;
  }

  boolean numeric() {
    return integral() || kind == Kind.DOUBLE || kind == Kind.DECIMAL;
  }

  /** Exact numbers: their comparison and arithmetic is the same in both engines (no binary rounding). */
  boolean exact() {
    return integral() || kind == Kind.DECIMAL;
  }

  @Override
  public String toString() {
    return kind == Kind.DECIMAL ? "DECIMAL(" + precision + "," + scale + ")"
        : kind == Kind.TIMESTAMPTZ ? "TIMESTAMP WITH TIME ZONE" : kind.name();
  }
}
