package io.dataops.core.text;

/**
 * Text as a person reading it is shown it: on a terminal, in a report's page or in a spreadsheet. The platform's
 * output repeats what departments and partners sent (a table's values, a ticket's rule, a quality run's unexpected
 * values): an escape sequence in a value would act on the reader's terminal — clear it, set its title, or make it type
 * a reply into the shell —, a carriage return would overwrite what the line said, a NUL cuts a cell short in some
 * spreadsheets, and a bidirectional override reorders what a page shows (found by a probe in the quality reports).
 * Control characters are shown as Unicode's control pictures ({@code ␛} for ESC), C1 controls and the bidirectional
 * overrides by their code. {@code --json} output is left to the JSON writer, which escapes C0 controls as JSON does,
 * and a partner's delivery to {@code CsvFields.exact}: a program reads those back.
 */
public final class VisibleText {
  private VisibleText() {}

  /** Text laid out in lines: line feeds and tabs stay. */
  public static String safe(String text) {
    return shown(text, false);
  }

  /** One value in a line of a listing: its own line feeds and tabs are shown too, so it stays on its line. */
  public static String value(String text) {
    return shown(text, true);
  }

  /**
   * One line of free text stored before {@link FreeText} refused what it holds (an organization's display name with a
   * zero-width joiner, stored before format characters were refused): as {@link #value}, and every other character
   * {@link FreeText#unsafeAt} finds (invisible format characters, bidirectional marks, line separators) shown by its
   * code, so that two names that look alike are seen to differ. Not for data values, which may hold such characters
   * rightly (an emoji sequence joins with U+200D).
   */
  public static String freeText(String text) {
    String shown = value(text);
    if (FreeText.unsafeAt(shown) < 0) {
      return shown;
    }
    StringBuilder b = new StringBuilder(shown.length() + 16);
    shown.codePoints().forEach(c -> {
      if (FreeText.refused(c)) {
        b.append(String.format("<U+%04X>", c));
      } else {
        b.appendCodePoint(c);
      }
    });
    return b.toString();
  }

  private static String shown(String text, boolean oneLine) {
    int i = 0;
    while (i < text.length() && !replaced(text.charAt(i), oneLine)) {
      i++;
    }
    if (i == text.length()) {
      return text;
    }
    StringBuilder b = new StringBuilder(text.length() + 16).append(text, 0, i);
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!replaced(c, oneLine)) {
        b.append(c);
      } else if (c < 0x20) {
        b.append((char) (0x2400 + c));
      } else if (c == 0x7f) {
        b.append('\u2421');
      } else {
        b.append(String.format("<U+%04X>", (int) c));
      }
    }
    return b.toString();
  }

  private static boolean replaced(char c, boolean oneLine) {
    if (c == '\n' || c == '\t') {
      return oneLine;
    }
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
  }
}
