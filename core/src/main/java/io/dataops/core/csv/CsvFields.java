package io.dataops.core.csv;

import io.dataops.core.text.VisibleText;
import java.util.regex.Pattern;

/**
 * Fields of a CSV file (RFC 4180), of two kinds: {@link #exact} for data a program reads back (a partner's delivery),
 * {@link #forSpreadsheet} for reports people open in Excel or WPS (a department's failing rows).
 *
 * <p>A field is quoted when it holds a comma, a quote, a line feed or a carriage return: a lone CR ends a row in
 * Excel as a line feed does. An empty text is quoted, so that it differs from a null (nothing between the commas).
 */
public final class CsvFields {
  /** A plain decimal number: a spreadsheet shows it as the number, which is no formula (-5, +1.5, 2e3). */
  private static final Pattern NUMBER = Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");

  private CsvFields() {}

  /** The text as one field, exactly: a program reading the file back gets the same text. A null is an empty field. */
  public static String exact(String text) {
    if (text == null) {
      return "";
    }
    if (text.isEmpty()) {
      return "\"\"";
    }
    boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0
        || text.indexOf('\r') >= 0;
    return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
  }

  /**
   * The text as one field that a spreadsheet shows as text: one it would take for a formula (beginning with {@code =},
   * {@code +}, {@code -}, {@code @}, a tab or a carriage return, and not a plain number) is written with a leading
   * apostrophe, as OWASP's advice on CSV injection has it. A feed's value such as {@code =cmd|' /C calc'!A0} or
   * {@code =HYPERLINK(...)} would otherwise run, or send data away, in the clerk's spreadsheet that opens the report.
   * The apostrophe shows, which tells the reader that the value began so. Control characters (but line feeds and
   * tabs) and bidirectional overrides are shown as {@link VisibleText#safe} shows them: a NUL cut the cell short, an
   * override reordered it (found by a probe in a department's failing rows).
   */
  public static String forSpreadsheet(String text) {
    String shown = text == null ? null : VisibleText.safe(text);
    return exact(formulaLike(shown) ? "'" + shown : shown);
  }

  /** Whether a spreadsheet would read the text as a formula. */
  static boolean formulaLike(String text) {
    if (text == null || text.isEmpty()) {
      return false;
    }
    char first = text.charAt(0);
    return switch (first) {
      case '=', '@', '\t', '\r' -> true;
      case '+', '-' -> !NUMBER.matcher(text).matches();
      default -> false;
    };
  }
}
