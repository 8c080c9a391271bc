package io.dataops.products.delivery;

import java.math.BigDecimal;

/** Fields of a delivered CSV file (RFC 4180): quoted when they hold a comma, a quote or a line break. */
final class Csv {
  private Csv() {}

  static String text(Object value) {
    return value instanceof BigDecimal d ? d.toPlainString() : value.toString();
  }

  /** An empty text is written quoted, so that it differs from a null (nothing between the commas). */
  static String field(String text) {
    if (text.isEmpty()) {
      return "\"\"";
    }
    boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0
        || text.indexOf('\r') >= 0;
    return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
  }
}
