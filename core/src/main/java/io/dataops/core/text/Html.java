package io.dataops.core.text;

/**
 * Text put into the platform's HTML pages (a department's quality report, the evaluation page, a destruction
 * certificate): every value there may come from a feed, a name an operator typed or a reason someone wrote, so each
 * goes through {@link #escape}, in element content and in quoted attributes alike.
 */
public final class Html {
  private Html() {}

  /**
   * {@code text} with the five characters that can end an element's content or an attribute's value ({@code < > & "
   * '}) as character references, and its control characters and bidirectional overrides made visible
   * ({@link VisibleText#safe}: an override reordered what a report showed); null as the empty text.
   */
  public static String escape(String text) {
    if (text == null) {
      return "";
    }
    text = VisibleText.safe(text);
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String ref = switch (c) {
        case '<' -> "&lt;";
        case '>' -> "&gt;";
        case '&' -> "&amp;";
        case '"' -> "&quot;";
        case '\'' -> "&#39;";
        default -> null;
      };
      if (ref != null && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        if (ref != null) {
          out.append(ref);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }
}
