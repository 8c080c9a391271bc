package io.dataops.core.text;

import io.dataops.core.BadInputException;

/**
 * Text a user types that others read later as one line of a record (a licence, a rejection reason, an approval
 * note): it is shown to partners and operators in lists and histories, so a line feed or an escape sequence in it
 * would forge the lines after it ("published ... by the authority") or drive the reader's terminal. Refused at input,
 * with the option named, rather than escaped at every place it is shown.
 */
public final class FreeText {
  /**
   * The longest such text: a paragraph, not a document, and what the product transitions' reason column holds on
   * PostgreSQL (VARCHAR(2000), which refused a longer note as an internal error after every check had passed).
   */
  public static final int MAX = 2000;

  private FreeText() {}

  /**
   * {@code text} when it is one line of at most {@link #MAX} characters without control or bidi characters, nor the
   * replacement character that undecodable bytes become.
   */
  public static String line(String option, String text) {
    if (text == null) {
      return null;
    }
    String problem = problem(text, MAX);
    if (problem != null) {
      throw new BadInputException(option + " " + problem);
    }
    return text;
  }

  /**
   * What is wrong with {@code text} as one line of at most {@code max} characters, to follow the name of what holds it
   * ("is 2,345 characters long; at most 2,000", "holds a control character (U+001B) at character 10: ..."); null when
   * nothing is.
   */
  public static String problem(String text, int max) {
    if (text.length() > max) {
      return "is " + String.format("%,d", text.length()) + " characters long; at most " + String.format("%,d", max);
    }
    int at = unsafeAt(text);
    if (at >= 0) {
      int c = text.codePointAt(at);
      String code = "U+" + String.format("%04X", c);
      int character = text.codePointCount(0, at) + 1;
      if (Character.getType(c) == Character.FORMAT && !bidi(c)) {
        return "holds an invisible format character (" + code + ") at character " + character + ": text that looks"
            + " the same would differ (a name, a reason) or hide what it says; write it without zero-width, joiner,"
            + " soft hyphen or tag characters";
      }
      return "holds a control character (" + code + ") at character " + character + ": it is shown to others as"
          + " one line of text; write it without line breaks, tabs or escape sequences";
    }
    int replaced = text.indexOf('\uFFFD');
    if (replaced >= 0) {
      // Java reads command-line bytes that are not UTF-8 as U+FFFD: a GBK terminal's note was stored as "��" (a probe).
      return "holds U+FFFD at character " + (replaced + 1) + ", the mark of bytes that were not UTF-8 (a terminal or"
          + " file in GBK?): write it again in UTF-8";
    }
    return null;
  }

  /**
   * Where {@code text} first holds a character that must not reach a reader's line: a control character (line feed,
   * escape) or a bidirectional override or isolate, which reorders what follows it on screen (U+202E shows
   * "txt.exe" as "exe.txt"); -1 when it holds none. Every one-line text others read (names, notes, reasons, signers)
   * is checked by this one rule. Unicode's own line and paragraph separators (U+2028, U+2029) break a line too, and
   * its bidirectional marks (U+200E, U+200F, U+061C) are bidi controls as the overrides are (a probe forged a line of
   * a version's history with them). So are Unicode's other format characters (category Cf), which show as nothing:
   * a zero-width space (U+200B), a word joiner (U+2060), a byte order mark (U+FEFF), a soft hyphen (U+00AD) or a tag
   * character (U+E0000 to U+E007F) made two organizations' names look the same and hid what a reason said (a probe).
   * The index is of the {@code char} where the character starts.
   */
  public static int unsafeAt(String text) {
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      if (refused(c)) {
        return i;
      }
      i += Character.charCount(c);
    }
    return -1;
  }

  /** Whether the character {@code c} (a code point) is one {@link #unsafeAt} finds. */
  static boolean refused(int c) {
    return Character.isISOControl(c) || bidi(c) || c == '\u2028' || c == '\u2029'
        || Character.getType(c) == Character.FORMAT;
  }

  /** The bidirectional overrides, isolates and marks. */
  private static boolean bidi(int c) {
    return c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069' || c == '\u200e' || c == '\u200f'
        || c == '\u061c';
  }
}
