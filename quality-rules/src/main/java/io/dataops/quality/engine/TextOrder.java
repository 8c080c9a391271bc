package io.dataops.quality.engine;

/**
 * Python's order of text, which GX compares and sorts with: by code point. Java's {@link String#compareTo} orders
 * UTF-16 units, which puts the characters above U+FFFF (emoji, CJK Extension B such as 𠀀) before U+E000–U+FFFF (the
 * full-width forms such as ｚ): found by a probe, {@code between "a" and "ｚ"} passed "😀x".
 */
public final class TextOrder {
  private TextOrder() {}

  public static int compare(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        if (x >= 0xD800 && y >= 0xD800) {
          // a surrogate (a code point above U+FFFF) sorts after U+E000–U+FFFF: move the ranges past each other
          return fix(x) - fix(y);
        }
        return x - y;
      }
    }
    return a.length() - b.length();
  }

  private static int fix(char c) {
    return c >= 0xE000 ? c - 0x800 : c + 0x2000;
  }

  /** {@link #compare} of the values' text. */
  public static int compareText(Object a, Object b) {
    return compare(String.valueOf(a), String.valueOf(b));
  }
}
