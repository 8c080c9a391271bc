package io.dataops.quality.engine;

import io.dataops.lakehouse.arrow.ArrowValues;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/** Turns the grouping bytes of a value ({@link ColumnView#appendKey}) back into its text. */
final class KeyRendering {
  private KeyRendering() {}

  static String render(Type type, byte[] b, int off, int len) {
    return switch (type.typeId()) {
      case STRING -> new String(b, off, len, StandardCharsets.UTF_8);
      case LONG, INTEGER -> Long.toString(readLong(b, off));
      case DATE -> ArrowValues.date(readLong(b, off)).toString();
      case TIMESTAMP -> ((Types.TimestampType) type).shouldAdjustToUTC()
          ? ArrowValues.timestampTz(readLong(b, off)).toString() : ArrowValues.timestamp(readLong(b, off)).toString();
      case DOUBLE, FLOAT -> Double.toString(Double.longBitsToDouble(readLong(b, off)));
      case DECIMAL -> new BigDecimal(new BigInteger(Arrays.copyOfRange(b, off, off + len)),
          ((Types.DecimalType) type).scale()).toPlainString();
      case BOOLEAN -> b[off] == 1 ? "true" : "false";
      default -> new String(b, off, len, StandardCharsets.UTF_8);
    };
  }

  static long readLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }
}
