package io.dataops.lakehouse.contract;

import io.dataops.lakehouse.types.ColumnType;
import io.dataops.lakehouse.types.ValueType;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The column types a feed contract names, in its spelling: every {@link ValueType} but timestamptz. */
public final class ContractTypes {
  private ContractTypes() {}

  public static final String EXPECTED = "string, long, int, double, decimal(p,s), date, timestamp, boolean";
  private static final Pattern DECIMAL = Pattern.compile("decimal\\s*\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");

  /** Parses the contract spelling; throws IllegalArgumentException with a message fit for the user. */
  public static ColumnType parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = DECIMAL.matcher(t);
    if (m.matches()) {
      return ColumnType.decimal(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }
    return switch (t) {
      case "string" -> ColumnType.of(ValueType.STRING);
      case "long" -> ColumnType.of(ValueType.LONG);
      case "int" -> ColumnType.of(ValueType.INT);
      case "double" -> ColumnType.of(ValueType.DOUBLE);
      case "date" -> ColumnType.of(ValueType.DATE);
      case "timestamp" -> ColumnType.of(ValueType.TIMESTAMP);
      case "boolean" -> ColumnType.of(ValueType.BOOLEAN);
      default -> throw new IllegalArgumentException("unknown type '" + text + "' (expected " + EXPECTED + ")");
    };
  }
}
