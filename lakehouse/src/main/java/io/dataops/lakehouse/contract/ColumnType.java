package io.dataops.lakehouse.contract;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/** A contract column type: one of the base types, with precision and scale for decimals. */
public record ColumnType(Base base, int precision, int scale) {

  public enum Base { STRING, LONG, INT, DOUBLE, DECIMAL, DATE, TIMESTAMP, BOOLEAN }

  public static final String EXPECTED = "string, long, int, double, decimal(p,s), date, timestamp, boolean";
  private static final Pattern DECIMAL = Pattern.compile("decimal\\s*\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");

  public ColumnType {
    if (base == Base.DECIMAL && (precision < 1 || precision > 38 || scale < 0 || scale > precision)) {
      throw new IllegalArgumentException(
          "decimal(" + precision + "," + scale + ") needs 1 <= precision <= 38 and 0 <= scale <= precision");
    }
  }

  public static ColumnType of(Base base) {
    return new ColumnType(base, 0, 0);
  }

  public static ColumnType decimal(int precision, int scale) {
    return new ColumnType(Base.DECIMAL, precision, scale);
  }

  /** Parses the contract spelling; throws IllegalArgumentException with a message fit for the user. */
  public static ColumnType parse(String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    Matcher m = DECIMAL.matcher(t);
    if (m.matches()) {
      return decimal(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }
    return switch (t) {
      case "string" -> of(Base.STRING);
      case "long" -> of(Base.LONG);
      case "int" -> of(Base.INT);
      case "double" -> of(Base.DOUBLE);
      case "date" -> of(Base.DATE);
      case "timestamp" -> of(Base.TIMESTAMP);
      case "boolean" -> of(Base.BOOLEAN);
      default -> throw new IllegalArgumentException("unknown type '" + text + "' (expected " + EXPECTED + ")");
    };
  }

  /** Timestamps are local civil time (what departments send); no zone is invented. */
  public Type toIceberg() {
    return switch (base) {
      case STRING -> Types.StringType.get();
      case LONG -> Types.LongType.get();
      case INT -> Types.IntegerType.get();
      case DOUBLE -> Types.DoubleType.get();
      case DECIMAL -> Types.DecimalType.of(precision, scale);
      case DATE -> Types.DateType.get();
      case TIMESTAMP -> Types.TimestampType.withoutZone();
      case BOOLEAN -> Types.BooleanType.get();
    };
  }

  @Override
  public String toString() {
    return base == Base.DECIMAL ? "decimal(" + precision + "," + scale + ")" : base.name().toLowerCase(java.util.Locale.ROOT);
  }
}
