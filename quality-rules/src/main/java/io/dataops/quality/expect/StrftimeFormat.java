package io.dataops.quality.expect;

import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;

/** Python strftime patterns (what Great Expectations suites use) as java.time patterns. */
final class StrftimeFormat {
  private StrftimeFormat() {}

  static DateTimeFormatter toFormatter(String strftime) {
    StringBuilder p = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < strftime.length(); i++) {
      char c = strftime.charAt(i);
      if (c != '%') {
        literal.append(c);
        continue;
      }
      if (++i >= strftime.length()) {
        throw new IllegalArgumentException("the format ends with a lone %");
      }
      flush(p, literal);
      char d = strftime.charAt(i);
      p.append(switch (d) {
        case 'Y' -> "uuuu";
        case 'y' -> "uu";
        case 'm' -> "MM";
        case 'd' -> "dd";
        case 'H' -> "HH";
        case 'I' -> "hh";
        case 'p' -> "a";
        case 'M' -> "mm";
        case 'S' -> "ss";
        case 'f' -> "SSSSSS";
        case 'j' -> "DDD";
        case 'b' -> "MMM";
        case 'B' -> "MMMM";
        case 'a' -> "EEE";
        case 'A' -> "EEEE";
        case 'z' -> "xx";
        case '%' -> "'%'";
        default -> throw new IllegalArgumentException("the directive %" + d + " is not supported");
      });
    }
    flush(p, literal);
    return DateTimeFormatter.ofPattern(p.toString(), java.util.Locale.ENGLISH).withResolverStyle(ResolverStyle.STRICT);
  }

  private static void flush(StringBuilder p, StringBuilder literal) {
    if (literal.length() > 0) {
      p.append('\'').append(literal.toString().replace("'", "''")).append('\'');
      literal.setLength(0);
    }
  }
}
