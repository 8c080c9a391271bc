package io.dataops.quality.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A matcher for the patterns quality rules use most — anchored sequences of single characters, ASCII classes,
 * {@code \d} and fixed repetitions, such as {@code ^1[3-9]\d{9}$} — that runs on a value's UTF-8 bytes without
 * decoding it or backtracking. {@link #compile} takes the pattern as the suite writes it (Python syntax, already
 * accepted by {@link PythonRegex}) and returns null for anything else, which then goes to java.util.regex.
 * Python's {@code \d} is Unicode (Nd: {@code ١٢٣}, {@code １２３}): where a non-ASCII character meets a {@code \d}
 * the answer is {@link #UNDECIDED} and the caller asks the regex; ASCII values never need it.
 */
public final class FastPattern {
  public static final int NO = 0;
  public static final int YES = 1;
  /** A non-ASCII character where a Unicode class ({@code \d}) might take it: ask the regex. */
  public static final int UNDECIDED = -1;

  /** The slot after the 128 ASCII bytes of a class: set when it holds {@code \d}, which Python reads as Unicode Nd. */
  private static final int UNICODE_DIGITS = 128;

  private final boolean[][] classes; // per position: which ASCII bytes match
  private final boolean[] unicode; // per position: whether it may also match a non-ASCII character
  private final int[] min;
  private final int[] max;

  private FastPattern(List<boolean[]> classes, List<int[]> counts, List<Boolean> unicode) {
    this.classes = classes.toArray(new boolean[0][]);
    this.unicode = new boolean[unicode.size()];
    for (int i = 0; i < unicode.size(); i++) {
      this.unicode[i] = unicode.get(i);
    }
    this.min = new int[counts.size()];
    this.max = new int[counts.size()];
    for (int i = 0; i < counts.size(); i++) {
      min[i] = counts.get(i)[0];
      max[i] = counts.get(i)[1];
    }
  }

  /** The fast matcher for {@code regex}, or null when it is not of the simple anchored kind. */
  public static FastPattern compile(String regex) {
    if (!regex.startsWith("^") || !regex.endsWith("$") || regex.endsWith("\\$")) {
      return null;
    }
    String body = regex.substring(1, regex.length() - 1);
    List<boolean[]> classes = new ArrayList<>();
    List<int[]> counts = new ArrayList<>();
    List<Boolean> unicode = new ArrayList<>();
    int i = 0;
    while (i < body.length()) {
      boolean[] cls = new boolean[129];
      char c = body.charAt(i);
      if (c == '[') {
        int close = body.indexOf(']', i + 1);
        // A ']' first in a class is a literal in Python: leave such classes to the regex.
        if (close < 0 || close == i + 1 || body.charAt(i + 1) == '^') {
          return null;
        }
        if (!parseClass(body.substring(i + 1, close), cls)) {
          return null;
        }
        i = close + 1;
      } else if (c == '\\') {
        if (i + 1 >= body.length() || !escape(body.charAt(i + 1), cls)) {
          return null;
        }
        i += 2;
      } else if (c < 128 && Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == ' ' || c == ':' || c == '/') {
        cls[c] = true;
        i++;
      } else {
        return null;
      }
      int lo = 1;
      int hi = 1;
      if (i < body.length() && body.charAt(i) == '{') {
        int close = body.indexOf('}', i);
        if (close < 0) {
          return null;
        }
        String[] parts = body.substring(i + 1, close).split(",", -1);
        // Only {n} and {n,m}: Python reads "{ 1}" as literal text and "{,n}" as {0,n}.
        if (parts.length > 2 || !parts[0].matches("[0-9]{1,9}")
            || parts.length == 2 && !parts[1].matches("[0-9]{1,9}")) {
          return null;
        }
        try {
          lo = Integer.parseInt(parts[0]);
          hi = parts.length == 1 ? lo : Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
          return null;
        }
        i = close + 1;
      }
      if (i < body.length() && "*+?".indexOf(body.charAt(i)) >= 0) {
        return null;
      }
      // Without backtracking only fixed counts are safe, except a variable count on the last item.
      if (lo != hi && i < body.length()) {
        return null;
      }
      classes.add(cls);
      counts.add(new int[] {lo, hi});
      unicode.add(cls[UNICODE_DIGITS]);
    }
    return new FastPattern(classes, counts, unicode);
  }

  private static boolean parseClass(String s, boolean[] cls) {
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\\') {
        if (i + 1 >= s.length() || !escape(s.charAt(i + 1), cls)) {
          return false;
        }
        i += 2;
      } else if (i + 2 < s.length() && s.charAt(i + 1) == '-') {
        char hi = s.charAt(i + 2);
        if (c >= 128 || hi >= 128 || hi < c) {
          return false;
        }
        for (char x = c; x <= hi; x++) {
          cls[x] = true;
        }
        i += 3;
      } else {
        if (c >= 128) {
          return false;
        }
        cls[c] = true;
        i++;
      }
    }
    return true;
  }

  /** {@code \d}, or an escaped ASCII punctuation character; false for anything else (\w, \s, \p...). */
  private static boolean escape(char e, boolean[] cls) {
    if (e == 'd') {
      for (char d = '0'; d <= '9'; d++) {
        cls[d] = true;
      }
      cls[UNICODE_DIGITS] = true;
      return true;
    }
    if (!Character.isLetterOrDigit(e) && e < 128) {
      cls[e] = true;
      return true;
    }
    return false;
  }

  /**
   * Whether the UTF-8 bytes match: {@link #YES}, {@link #NO}, or {@link #UNDECIDED} where a non-ASCII character
   * meets a class holding {@code \d} (a non-ASCII byte never matches an ASCII class).
   */
  public int match(byte[] b, int off, int len) {
    int p = off;
    int end = off + len;
    for (int k = 0; k < classes.length; k++) {
      boolean[] cls = classes[k];
      int n = 0;
      while (n < max[k] && p < end && b[p] >= 0 && cls[b[p]]) {
        p++;
        n++;
      }
      if (n < max[k] && p < end && b[p] < 0 && unicode[k]) {
        return UNDECIDED;
      }
      if (n < min[k]) {
        return NO;
      }
    }
    // Python's '$' also matches just before one final line break.
    return p == end || (p == end - 1 && b[p] == '\n') ? YES : NO;
  }
}
