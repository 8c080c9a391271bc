package io.dataops.quality.expect;

/**
 * SQL LIKE matched without backtracking: {@code %} any run of characters, {@code _} one character (a code point),
 * {@code \} makes the next character itself (PostgreSQL's and Spark's default escape, so {@code 100\%} is a literal
 * percent sign), anything else itself, case-sensitive, over the whole value. The matcher returns only to the last {@code %} seen,
 * so a value costs at most (its length x the pattern's) steps; as a regular expression ({@code .*a.*a.*b}) a LIKE of
 * several {@code %} backtracks polynomially, and five of them on a 300-character value took minutes.
 */
final class LikePattern {
  private static final int ANY = -1;
  private static final int ONE = -2;

  private final String written;
  private final int[] pattern;

  /** @throws IllegalArgumentException for a pattern that ends with the escape character, as PostgreSQL refuses it */
  LikePattern(String written) {
    this.written = written;
    int[] points = written.codePoints().toArray();
    int[] out = new int[points.length];
    int n = 0;
    for (int i = 0; i < points.length; i++) {
      int c = points[i];
      if (c == '\\') {
        if (++i == points.length) {
          throw new IllegalArgumentException("LIKE pattern must not end with escape character");
        }
        out[n++] = points[i];
      } else {
        out[n++] = c == '%' ? ANY : c == '_' ? ONE : c;
      }
    }
    this.pattern = java.util.Arrays.copyOf(out, n);
  }

  boolean matches(String value) {
    int n = value.length();
    int m = pattern.length;
    int p = 0;
    int v = 0;
    int lastAny = -1; // the pattern position after the last % seen, and where in the value its run ends so far
    int anyEnd = 0;
    while (v < n) {
      int c = value.codePointAt(v);
      if (p < m && pattern[p] == ANY) {
        lastAny = ++p;
        anyEnd = v;
      } else if (p < m && (pattern[p] == ONE || pattern[p] == c)) {
        p++;
        v += Character.charCount(c);
      } else if (lastAny >= 0) {
        anyEnd += Character.charCount(value.codePointAt(anyEnd)); // the % takes one character more
        p = lastAny;
        v = anyEnd;
      } else {
        return false;
      }
    }
    while (p < m && pattern[p] == ANY) {
      p++;
    }
    return p == m;
  }

  @Override
  public String toString() {
    return written;
  }
}
