package io.dataops.lakehouse.types;

import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * A column's type: a {@link ValueType} with precision and scale for decimals (0 otherwise). The one mapping between
 * the platform's types and Iceberg's, for landed tables and products alike; serializable, as engines ship it to
 * their tasks.
 */
public record ColumnType(ValueType type, int precision, int scale) implements java.io.Serializable {

  public ColumnType {
    if (type == ValueType.DECIMAL && (precision < 1 || precision > 38 || scale < 0 || scale > precision)) {
      throw new IllegalArgumentException(
          "decimal(" + precision + "," + scale + ") needs 1 <= precision <= 38 and 0 <= scale <= precision");
    }
  }

  public static ColumnType of(ValueType type) {
    return new ColumnType(type, 0, 0);
  }

  public static ColumnType decimal(int precision, int scale) {
    return new ColumnType(ValueType.DECIMAL, precision, scale);
  }

  /** TIMESTAMP is local civil time (what departments send; no zone is invented), TIMESTAMPTZ an instant. */
  public Type toIceberg() {
    return switch (type) {
      case STRING -> Types.StringType.get();
      case INT -> Types.IntegerType.get();
      case LONG -> Types.LongType.get();
      case DOUBLE -> Types.DoubleType.get();
      case DECIMAL -> Types.DecimalType.of(precision, scale);
      case DATE -> Types.DateType.get();
      case TIMESTAMP -> Types.TimestampType.withoutZone();
      case TIMESTAMPTZ -> Types.TimestampType.withZone();
      case BOOLEAN -> Types.BooleanType.get();
    };
  }

  /** The type that holds an Iceberg column's values (a float widens to double); null for types we do not read. */
  public static ColumnType fromIceberg(Type t) {
    return switch (t.typeId()) {
      case STRING -> of(ValueType.STRING);
      case INTEGER -> of(ValueType.INT);
      case LONG -> of(ValueType.LONG);
      case FLOAT, DOUBLE -> of(ValueType.DOUBLE);
      case DECIMAL -> decimal(((Types.DecimalType) t).precision(), ((Types.DecimalType) t).scale());
      case DATE -> of(ValueType.DATE);
      case TIMESTAMP -> of(((Types.TimestampType) t).shouldAdjustToUTC() ? ValueType.TIMESTAMPTZ : ValueType.TIMESTAMP);
      case BOOLEAN -> of(ValueType.BOOLEAN);
      default -> null;
    };
  }

  /** The SQL spelling (standard names, as DuckDB reads them in the transforms' casts and DDL). */
  public String sql() {
    return switch (type) {
      case STRING -> "VARCHAR";
      case INT -> "INTEGER";
      case LONG -> "BIGINT";
      case DOUBLE -> "DOUBLE";
      case DECIMAL -> "DECIMAL(" + precision + "," + scale + ")";
      case DATE -> "DATE";
      case TIMESTAMP -> "TIMESTAMP";
      case TIMESTAMPTZ -> "TIMESTAMP WITH TIME ZONE";
      case BOOLEAN -> "BOOLEAN";
    };
  }

  /** The spelling users write: {@code decimal(p,s)} or the type's name in lower case. */
  @Override
  public String toString() {
    return type == ValueType.DECIMAL ? "decimal(" + precision + "," + scale + ")" : type.spelling();
  }
}
