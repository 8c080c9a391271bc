package io.dataops.quality.engine;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A suite's regular expression read as Python 3.11's {@code re} reads a str pattern (Great Expectations' pandas
 * backend runs {@code column.astype(str).str.contains(regex)}, i.e. {@code re.search}) and rewritten for
 * java.util.regex. A small tokenizer after CPython's {@code re/_parser.py}: it refuses what Python refuses (with
 * Python's message), rewrites Python-only syntax ({@code (?P<n>..)}, {@code (?P=n)}, {@code {,n}}, a literal
 * {@code {}, a literal {@code [} or {@code &} in a class) and spells out what the two engines mean differently:
 * {@code \d \w \s \b} are Unicode (Nd; letters, numbers and {@code _}; {@code str.isspace()}), only {@code \n} ends
 * a line for {@code . ^ $}, and {@code \Z} is the very end. {@code (?a)} gives ASCII classes and case folding.
 *
 * <p>Not supported (refused though Python takes them): conditional groups {@code (?(1)a|b)}, the deprecated
 * {@code (?t)} flag, and a pattern Java then cannot compile (a back reference inside a look-behind, say). Case
 * folding under {@code (?i)} is Java's UNICODE_CASE, which misses a few of Python's special folds ({@code ß} does
 * not match {@code ẞ} U+1E9E). A look-behind of the suite's own reads a character beyond U+FFFF (𠀀, emoji) as
 * Java does, one UTF-16 unit at a time; the translated {@code \b} and {@code \B} read it whole.
 */
public final class PythonRegex {
  private static final String U_DIGIT = "\\p{Nd}";
  private static final String U_WORD = "\\p{L}\\p{N}_";
  /** Python's str.isspace(): bidi WS, B or S, or Zs — which adds \x1c-\x1f to Unicode's White_Space. */
  private static final String U_SPACE = "\\t\\n\\x0B\\f\\r\\x1C-\\x1F \\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}"
      + "\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}";
  /** Python's {@code \s} of str patterns as a Java character class (also what strptime's whitespace matches). */
  public static final String SPACE_CLASS = "[" + U_SPACE + "]";
  private static final String A_DIGIT = "0-9";
  private static final String A_WORD = "a-zA-Z0-9_";
  private static final String A_SPACE = " \\t\\n\\r\\f\\x0B";
  private static final long MAXREPEAT = 4294967295L;
  private static final long MAXWIDTH = 1L << 62;

  private final String python;
  private final Pattern pattern;

  private PythonRegex(String python, Pattern pattern) {
    this.python = python;
    this.pattern = pattern;
  }

  /** A pattern Python's re refuses (or one this translation cannot carry to Java). */
  public static final class Invalid extends IllegalArgumentException {
    private final boolean pythonRefuses;

    Invalid(String python, String what, boolean pythonRefuses) {
      super("pattern '" + python + "' is not valid in Python's re: " + what);
      this.pythonRefuses = pythonRefuses;
    }

    /**
     * True when Python's re raises re.error on it too (GX then raises while validating); false when Python takes it
     * and only this translation cannot (conditional groups, say), so it cannot be checked here at all.
     */
    public boolean pythonRefuses() {
      return pythonRefuses;
    }
  }

  /** The pattern as the suite writes it (Python syntax). */
  public String python() {
    return python;
  }

  /** The java.util.regex pattern that matches as Python's would; search with {@code find()}. */
  public Pattern pattern() {
    return pattern;
  }

  /** Reads {@code python} as Python 3.11's re would; throws {@link Invalid} where Python raises re.error. */
  public static PythonRegex compile(String python) {
    Parser p = new Parser(python);
    String java;
    try {
      java = p.translate();
    } catch (Problem e) {
      throw new Invalid(python, e.getMessage() + " at position " + e.pos, !e.unsupported);
    }
    int flags = Pattern.UNIX_LINES | (p.globalAscii ? 0 : Pattern.UNICODE_CASE)
        | (p.globalIgnoreCase ? Pattern.CASE_INSENSITIVE : 0);
    try {
      return new PythonRegex(python, Pattern.compile(java, flags));
    } catch (PatternSyntaxException e) {
      throw new Invalid(python, "not supported here (" + e.getDescription() + ")", false);
    }
  }

  /**
   * Python's {@code str(x)} of a float (its repr): the shortest digits that read back as {@code d} (the closest to
   * {@code d} when several), written {@code d.ddde+XX} when the decimal exponent is below -4 or from 16, else
   * positional with at least one decimal ({@code 1e+23}, {@code 5e-324}, {@code 1e-05}, {@code 0.0001}, {@code 1.0}).
   * Java 17's {@link Double#toString} is not always shortest (JDK-4511638: {@code 9.999999999999999E22} for 1e23,
   * {@code 4.9E-324}), so its digits are only taken when no shorter ones read back.
   */
  public static String floatText(double d) {
    if (Double.isNaN(d)) {
      return "nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    if (d == 0) {
      return 1 / d < 0 ? "-0.0" : "0.0";
    }
    BigDecimal b = shortestDigits(Math.abs(d));
    String digits = b.unscaledValue().toString();
    int exp = digits.length() - 1 - b.scale(); // d = digits[0].digits[1..] × 10^exp
    String sign = d < 0 ? "-" : "";
    if (exp < -4 || exp >= 16) {
      String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
    String plain = b.toPlainString();
    return sign + (plain.indexOf('.') < 0 ? plain + ".0" : plain);
  }

  /** The shortest decimal (trailing zeros stripped) that reads back as the positive finite {@code d}. */
  static BigDecimal shortestDigits(double d) {
    BigDecimal java = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    if (d >= Double.MIN_NORMAL && java.precision() <= 15 && !shorterReadsBack(java, d)) {
      // Up to 15 digits the decimals of that length are spaced wider than a normal double's rounding interval, so
      // Java's are the only ones of their length; with none shorter they are Python's.
      return java;
    }
    // The lengths that read back are all from the shortest on (pad a shorter one with zeros), so search for it.
    BigDecimal exact = new BigDecimal(d);
    int lo = 1;
    int hi = 17; // 17 significant digits always read back
    BigDecimal best = exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
    while (lo < hi) {
      int p = (lo + hi) / 2;
      BigDecimal found = readingBack(exact, p, d);
      if (found != null) {
        best = found;
        hi = p;
      } else {
        lo = p + 1;
      }
    }
    if (hi < 17 || best.doubleValue() == d) {
      return best.stripTrailingZeros();
    }
    throw new IllegalStateException("no 17-digit decimal reads back as " + Double.toHexString(d));
  }

  /**
   * The {@code p}-digit decimal closest to {@code exact} that reads back as {@code d}, or null. If any does, the
   * nearest below or above {@code exact} does (it lies between), so only those two are tried.
   */
  private static BigDecimal readingBack(BigDecimal exact, int p, double d) {
    BigDecimal down = exact.round(new MathContext(p, RoundingMode.FLOOR));
    BigDecimal up = exact.round(new MathContext(p, RoundingMode.CEILING));
    boolean downOk = down.doubleValue() == d;
    boolean upOk = up.doubleValue() == d;
    if (downOk && upOk) {
      return exact.round(new MathContext(p, RoundingMode.HALF_EVEN)); // the closer one, ties to even
    }
    return downOk ? down : upOk ? up : null;
  }

  /** Whether a decimal one digit shorter than {@code java} (a positive normal double's digits) reads back as d. */
  private static boolean shorterReadsBack(BigDecimal java, double d) {
    if (java.precision() == 1) {
      return false;
    }
    long m = java.unscaledValue().longValueExact() / 10; // the shorter decimals next to java: m and m + 1
    int scale = java.scale() - 1; // value = m × 10^-scale
    return readsBack(m, scale, d) || readsBack(m + 1, scale, d);
  }

  private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
      1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

  /** Whether m × 10^-scale (m below 10^15) reads back as d; exact double arithmetic where it rounds only once. */
  private static boolean readsBack(long m, int scale, double d) {
    if (Math.abs(scale) <= 22) { // m and 10^|scale| are exact doubles: one product or quotient, rounded once
      return (scale >= 0 ? m / POW10[scale] : m * POW10[-scale]) == d;
    }
    return BigDecimal.valueOf(m, scale).doubleValue() == d;
  }

  private static final class Problem extends RuntimeException {
    final int pos;
    /** Python takes it; only this translation cannot. */
    final boolean unsupported;

    Problem(String message, int pos) {
      this(message, pos, false);
    }

    private Problem(String message, int pos, boolean unsupported) {
      super(message, null, false, false);
      this.pos = pos;
      this.unsupported = unsupported;
    }

    static Problem unsupported(String message, int pos) {
      return new Problem(message, pos, true);
    }
  }

  /** Flags in scope. */
  private record Flags(boolean verbose, boolean multiline, boolean dotall, boolean ascii) {}

  private enum Kind { NONE, AT, ATOM, REPEAT }

  private static final class Parser {
    final String s;
    int i;
    boolean globalIgnoreCase;
    boolean globalAscii;
    Flags global = new Flags(false, false, false, false);
    int groups = 1; // the next group's number
    final Set<Integer> open = new HashSet<>();
    final Map<String, Integer> names = new HashMap<>();
    final Map<Integer, long[]> widths = new HashMap<>();
    Integer lookbehindGroups;

    Parser(String s) {
      this.s = s;
    }

    String translate() {
      StringBuilder out = new StringBuilder();
      sub(out, null, 0);
      if (i < s.length()) {
        throw new Problem(s.charAt(i) == ')' ? "unbalanced parenthesis" : "unexpected character", i);
      }
      return out.toString();
    }

    Problem error(String m) {
      return new Problem(m, i);
    }

    boolean more() {
      return i < s.length();
    }

    int peek() {
      return s.codePointAt(i);
    }

    int next() {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      return c;
    }

    boolean match(char c) {
      if (more() && s.charAt(i) == c) {
        i++;
        return true;
      }
      return false;
    }

    /** Alternatives up to ')' or the end; returns the width. flags null: the top level (global flags may come). */
    long[] sub(StringBuilder out, Flags flags, int nested) {
      long lo = MAXWIDTH;
      long hi = 0;
      boolean first = true;
      while (true) {
        long[] w = seq(out, flags, nested == 0 && first);
        lo = Math.min(lo, w[0]);
        hi = Math.max(hi, w[1]);
        first = false;
        if (!match('|')) {
          return new long[] {lo, hi};
        }
        out.append('|');
      }
    }

    long[] seq(StringBuilder out, Flags scoped, boolean first) {
      long lo = 0;
      long hi = 0;
      Kind last = Kind.NONE;
      long[] lastWidth = {0, 0};
      boolean any = false;
      while (more()) {
        Flags f = scoped == null ? global : scoped;
        int start = i;
        int c = next();
        if (c == '|' || c == ')') {
          i = start;
          break;
        }
        if (f.verbose) {
          if (" \t\n\r\u000B\f".indexOf(c) >= 0) {
            continue;
          }
          if (c == '#') {
            while (more() && next() != '\n') {
              // a comment to the end of the line
            }
            continue;
          }
        }
        String atom;
        Kind kind = Kind.ATOM;
        long[] w = {1, 1};
        if (c == '\\') {
          Escaped e = escape(f);
          atom = e.java;
          kind = e.kind;
          w = e.width;
        } else if (c == '[') {
          atom = charClass(f);
        } else if (c == '.') {
          atom = f.dotall ? "[\\x{0}-\\x{10FFFF}]" : "[^\\n]";
        } else if (c == '^') {
          atom = f.multiline ? "(?<![^\\n])" : "\\A";
          kind = Kind.AT;
          w = new long[] {0, 0};
        } else if (c == '$') {
          atom = f.multiline ? "(?=\\n|\\z)" : "(?=\\n?\\z)";
          kind = Kind.AT;
          w = new long[] {0, 0};
        } else if (c == '*' || c == '+' || c == '?' || c == '{') {
          long min;
          long max;
          if (c == '{') {
            long[] q = braces();
            if (q == null) {
              atom = "\\{";
              out.append(atom);
              lo += 1;
              hi += 1;
              last = Kind.ATOM;
              lastWidth = new long[] {1, 1};
              any = true;
              continue;
            }
            min = q[0];
            max = q[1];
          } else {
            min = c == '+' ? 1 : 0;
            max = c == '?' ? 1 : MAXREPEAT;
          }
          if (last == Kind.NONE || last == Kind.AT) {
            throw new Problem("nothing to repeat", start);
          }
          if (last == Kind.REPEAT) {
            throw new Problem("multiple repeat", start);
          }
          StringBuilder q = new StringBuilder();
          q.append(max == MAXREPEAT ? (min == 0 ? "*" : min == 1 ? "+" : "{" + min + ",}")
              : min == 0 && max == 1 ? "?" : "{" + min + "," + max + "}");
          if (match('?')) {
            q.append('?');
          } else if (match('+')) {
            q.append('+');
          }
          out.append(q);
          lo -= lastWidth[0];
          hi -= lastWidth[1];
          long[] rw = {Math.min(MAXWIDTH, lastWidth[0] * min),
              max == MAXREPEAT && lastWidth[1] > 0 ? MAXWIDTH : Math.min(MAXWIDTH, lastWidth[1] * max)};
          lo = Math.min(MAXWIDTH, lo + rw[0]);
          hi = Math.min(MAXWIDTH, hi + rw[1]);
          lastWidth = rw;
          last = Kind.REPEAT;
          continue;
        } else if (c == '(') {
          Group g = group(f, first && !any && scoped == null, start);
          if (g == null) {
            continue; // a comment or the global flags
          }
          atom = g.java;
          w = g.width;
        } else {
          atom = literal(c);
        }
        out.append(atom);
        lo = Math.min(MAXWIDTH, lo + w[0]);
        hi = Math.min(MAXWIDTH, hi + w[1]);
        last = kind;
        lastWidth = w;
        any = true;
      }
      return new long[] {lo, hi};
    }

    /** After '{': {min, max} when a quantifier follows, else null (the '{' is a literal) and nothing is read. */
    long[] braces() {
      int here = i;
      if (more() && s.charAt(i) == '}') {
        return null;
      }
      String lo = digits();
      String hi;
      if (match(',')) {
        hi = digits();
      } else {
        hi = lo;
      }
      if (!match('}')) {
        i = here;
        return null;
      }
      long min = 0;
      long max = MAXREPEAT;
      try {
        if (!lo.isEmpty()) {
          min = Long.parseLong(lo);
        }
        if (!hi.isEmpty()) {
          max = Long.parseLong(hi);
        }
      } catch (NumberFormatException e) {
        min = MAXREPEAT;
      }
      if (min >= MAXREPEAT || !hi.isEmpty() && max >= MAXREPEAT) {
        throw new Problem("the repetition number is too large", here);
      }
      if (max < min) {
        throw new Problem("min repeat greater than max repeat", here);
      }
      if (max > Integer.MAX_VALUE && max != MAXREPEAT) {
        throw Problem.unsupported("the repetition number is too large for this engine", here);
      }
      return new long[] {min, max};
    }

    String digits() {
      int from = i;
      while (more() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      return s.substring(from, i);
    }

    record Escaped(String java, Kind kind, long[] width) {}

    record Group(String java, long[] width) {}

    /** After a backslash outside a class. */
    Escaped escape(Flags f) {
      int at = i - 1;
      if (!more()) {
        throw new Problem("bad escape (end of pattern)", at);
      }
      int c = next();
      long[] one = {1, 1};
      long[] zero = {0, 0};
      switch (c) {
        case 'A':
          return new Escaped("\\A", Kind.AT, zero);
        case 'Z':
          return new Escaped("\\z", Kind.AT, zero);
        case 'b':
        case 'B': {
          String w = "[" + (f.ascii ? A_WORD : U_WORD) + "]";
          // Java's look-behind at a class reads one UTF-16 unit: {1,2} also reads a supplementary character whole.
          String before = w + "{1,2}";
          String any = "[\\x{0}-\\x{10FFFF}]";
          String java = c == 'b' ? "(?:(?<=" + before + ")(?!" + w + ")|(?<!" + before + ")(?=" + w + "))"
              // Python 3.11's \B never matches in an empty string.
              : "(?:(?<=" + before + ")(?=" + w + ")|(?<!" + before + ")(?!" + w + ")(?:(?<=" + any + ")|(?=" + any
                  + ")))";
          return new Escaped(java, Kind.AT, zero);
        }
        default:
          break;
      }
      String category = category(c, f);
      if (category != null) {
        return new Escaped("[" + category + "]", Kind.ATOM, one);
      }
      if (c >= '1' && c <= '9' || c == '0') {
        Integer octal = octalOrNull(c, at, false);
        if (octal != null) {
          return new Escaped(literal(octal), Kind.ATOM, one);
        }
        String num = String.valueOf((char) c);
        if (more() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
          num += s.charAt(i++);
        }
        int group = Integer.parseInt(num);
        if (group >= groups) {
          throw new Problem("invalid group reference " + group, at + 1);
        }
        return backReference(group, at);
      }
      Integer simple = simpleEscape(c, at);
      return new Escaped(literal(simple), Kind.ATOM, one);
    }

    Escaped backReference(int group, int at) {
      if (open.contains(group)) {
        throw new Problem("cannot refer to an open group", at);
      }
      if (lookbehindGroups != null && group >= lookbehindGroups) {
        throw new Problem("cannot refer to group defined in the same lookbehind subpattern", at);
      }
      return new Escaped("(?:\\" + group + ")", Kind.ATOM, widths.get(group));
    }

    /**
     * An octal escape after a backslash and {@code c} (the first digit), or null for a group reference.
     * Outside a class: {@code \0} takes up to two more octal digits; {@code \d d d} of three octal digits is one.
     */
    Integer octalOrNull(int c, int at, boolean inClass) {
      if (c == '0' || inClass && c <= '7') {
        int v = c - '0';
        for (int k = 0; k < 2 && more() && s.charAt(i) >= '0' && s.charAt(i) <= '7'; k++) {
          v = v * 8 + (s.charAt(i++) - '0');
        }
        if (v > 0377) {
          throw new Problem("octal escape value \\" + Integer.toOctalString(v) + " outside of range 0-0o377", at);
        }
        return v;
      }
      if (inClass) {
        throw new Problem("bad escape \\" + (char) c, at);
      }
      if (c <= '7' && i + 1 < s.length() && isOctal(s.charAt(i)) && isOctal(s.charAt(i + 1))) {
        int v = (c - '0') * 64 + (s.charAt(i) - '0') * 8 + (s.charAt(i + 1) - '0');
        i += 2;
        if (v > 0377) {
          throw new Problem("octal escape value \\" + Integer.toOctalString(v) + " outside of range 0-0o377", at);
        }
        return v;
      }
      return null;
    }

    static boolean isOctal(char c) {
      return c >= '0' && c <= '7';
    }

    /** \d \D \s \S \w \W as the inside of a Java class, or null. */
    String category(int c, Flags f) {
      String d = f.ascii ? A_DIGIT : U_DIGIT;
      String w = f.ascii ? A_WORD : U_WORD;
      String sp = f.ascii ? A_SPACE : U_SPACE;
      return switch (c) {
        case 'd' -> d;
        case 'D' -> "[^" + d + "]";
        case 'w' -> w;
        case 'W' -> "[^" + w + "]";
        case 's' -> sp;
        case 'S' -> "[^" + sp + "]";
        default -> null;
      };
    }

    /** The code point of a simple escape (a f n r t v, x u U hex, N{name}) or an escaped non-letter; else refused. */
    Integer simpleEscape(int c, int at) {
      switch (c) {
        case 'a':
          return 7;
        case 'f':
          return 12;
        case 'n':
          return 10;
        case 'r':
          return 13;
        case 't':
          return 9;
        case 'v':
          return 11;
        case '\\':
          return (int) '\\';
        case 'x':
          return hex(2, at, "x");
        case 'u':
          return hex(4, at, "u");
        case 'U': {
          int v = hex(8, at, "U");
          if (v < 0 || v > 0x10FFFF) {
            throw new Problem("bad escape \\" + s.substring(at + 1, i), at);
          }
          return v;
        }
        case 'N': {
          if (!match('{')) {
            throw new Problem("missing {", i);
          }
          int close = s.indexOf('}', i);
          if (close < 0 || close == i) {
            throw new Problem(close < 0 ? "missing }, unterminated name" : "missing character name", i);
          }
          String name = s.substring(i, close);
          i = close + 1;
          try {
            return Character.codePointOf(name);
          } catch (IllegalArgumentException e) {
            throw new Problem("undefined character name '" + name + "'", at);
          }
        }
        default:
          if (c < 128 && Character.isLetter(c)) {
            throw new Problem("bad escape \\" + (char) c, at);
          }
          return c;
      }
    }

    int hex(int n, int at, String letter) {
      if (i + n > s.length()) {
        throw new Problem("incomplete escape \\" + s.substring(at + 1), at);
      }
      String h = s.substring(i, i + n);
      for (char x : h.toCharArray()) {
        if (Character.digit(x, 16) < 0 || x >= 128) {
          throw new Problem("incomplete escape \\" + letter + s.substring(i, Math.min(s.length(), i + n)), at);
        }
      }
      i += n;
      return (int) Long.parseLong(h, 16);
    }

    /** After '[': a class, each literal spelled as a code point so that [ & ^ - mean nothing special to Java. */
    String charClass(Flags f) {
      int here = i - 1;
      boolean negate = match('^');
      List<String> items = new ArrayList<>();
      while (true) {
        if (!more()) {
          throw new Problem("unterminated character set", here);
        }
        int at = i;
        int c = next();
        if (c == ']' && !items.isEmpty()) {
          break;
        }
        int[] lit = new int[1];
        String code1 = classItem(c, f, at, lit);
        if (match('-')) {
          if (!more()) {
            throw new Problem("unterminated character set", here);
          }
          int at2 = i;
          int that = next();
          if (that == ']') {
            items.add(code1);
            items.add(literal('-', true));
            break;
          }
          int[] lit2 = new int[1];
          String code2 = classItem(that, f, at2, lit2);
          if (lit[0] < 0 || lit2[0] < 0 || lit2[0] < lit[0]) {
            throw new Problem("bad character range " + s.substring(at, i), at);
          }
          items.add(literal(lit[0], true) + "-" + literal(lit2[0], true));
        } else {
          items.add(code1);
        }
      }
      return (negate ? "[^" : "[") + String.join("", items) + "]";
    }

    /** One class member; lit[0] gets its code point, or -1 for a category. */
    String classItem(int c, Flags f, int at, int[] lit) {
      if (c != '\\') {
        lit[0] = c;
        return literal(c, true);
      }
      if (!more()) {
        throw new Problem("unterminated character set", at);
      }
      int e = next();
      String category = category(e, f);
      if (category != null) {
        lit[0] = -1;
        return category.startsWith("[") ? category : "[" + category + "]";
      }
      int v;
      if (e == 'b') {
        v = 8;
      } else if (e >= '0' && e <= '9') {
        v = octalOrNull(e, at, true);
      } else {
        v = simpleEscape(e, at);
      }
      lit[0] = v;
      return literal(v, true);
    }

    /** After '(': a group, or null for a comment or global flags (nothing to emit). */
    Group group(Flags f, boolean globalAllowed, int start) {
      boolean capture = true;
      String name = null;
      String open = "(";
      Flags inner = f;
      boolean lookbehind = false;
      if (match('?')) {
        if (!more()) {
          throw new Problem("unexpected end of pattern", i);
        }
        int c = next();
        if (c == 'P') {
          if (match('<')) {
            name = until('>', "group name");
            if (!isIdentifier(name)) {
              throw new Problem("bad character in group name '" + name + "'", start);
            }
          } else if (match('=')) {
            String ref = until(')', "group name");
            if (!isIdentifier(ref)) {
              throw new Problem("bad character in group name '" + ref + "'", start);
            }
            Integer gid = names.get(ref);
            if (gid == null) {
              throw new Problem("unknown group name '" + ref + "'", start);
            }
            Escaped e = backReference(gid, start);
            return new Group(e.java, e.width);
          } else {
            throw new Problem(more() ? "unknown extension ?P" + (char) peek() : "unexpected end of pattern", start);
          }
        } else if (c == ':') {
          capture = false;
          open = "(?:";
        } else if (c == '#') {
          while (true) {
            if (!more()) {
              throw new Problem("missing ), unterminated comment", start);
            }
            if (next() == ')') {
              return null;
            }
          }
        } else if (c == '=' || c == '!' || c == '<') {
          if (c == '<') {
            if (!more()) {
              throw new Problem("unexpected end of pattern", i);
            }
            int d = next();
            if (d != '=' && d != '!') {
              throw new Problem("unknown extension ?<" + new String(Character.toChars(d)), start);
            }
            c = d;
            lookbehind = true;
          }
          Integer saved = lookbehindGroups;
          if (lookbehind && lookbehindGroups == null) {
            lookbehindGroups = groups;
          }
          StringBuilder body = new StringBuilder();
          long[] w = sub(body, f, 1);
          if (lookbehind) {
            lookbehindGroups = saved;
          }
          if (!match(')')) {
            throw new Problem("missing ), unterminated subpattern", start);
          }
          if (lookbehind && w[0] != w[1]) {
            throw new Problem("look-behind requires fixed-width pattern", start);
          }
          return new Group("(?" + (lookbehind ? "<" : "") + (char) c + body + ")", new long[] {0, 0});
        } else if (c == '(') {
          throw Problem.unsupported("conditional groups (?(...)...) are not supported here", start);
        } else if (c == '>') {
          capture = false;
          open = "(?>";
        } else if ("iLmsxatu-".indexOf(c) >= 0) {
          int[] fl = flags(c, start);
          if (fl == null) {
            if (!globalAllowed) {
              throw new Problem("global flags not at the start of the expression", start);
            }
            return null;
          }
          capture = false;
          int add = fl[0];
          int del = fl[1];
          inner = new Flags(on(f.verbose, add, del, 'x'), on(f.multiline, add, del, 'm'),
              on(f.dotall, add, del, 's'), (add & bit('a')) != 0 || f.ascii && (add & bit('u')) == 0);
          StringBuilder jadd = new StringBuilder();
          StringBuilder jdel = new StringBuilder();
          if ((add & bit('i')) != 0) {
            jadd.append('i');
          }
          if ((del & bit('i')) != 0) {
            jdel.append('i');
          }
          if ((add & bit('u')) != 0) {
            jadd.append('u');
          }
          if ((add & bit('a')) != 0) {
            jdel.append('u'); // ASCII case folding only
          }
          open = "(?" + jadd + (jdel.length() > 0 ? "-" + jdel : "") + ":";
        } else {
          throw new Problem("unknown extension ?" + new String(Character.toChars(c)), start);
        }
      }
      int gid = 0;
      if (capture) {
        gid = groups++;
        if (name != null) {
          Integer was = names.putIfAbsent(name, gid);
          if (was != null) {
            throw new Problem("redefinition of group name '" + name + "' as group " + gid + "; was group " + was,
                start);
          }
        }
        this.open.add(gid);
      }
      StringBuilder body = new StringBuilder(open);
      long[] w = sub(body, inner, 1);
      if (!match(')')) {
        throw new Problem("missing ), unterminated subpattern", start);
      }
      if (capture) {
        this.open.remove(gid);
        widths.put(gid, w);
      }
      return new Group(body.append(')').toString(), w);
    }

    static boolean on(boolean was, int add, int del, char flag) {
      return (add & bit(flag)) != 0 || was && (del & bit(flag)) == 0;
    }

    static int bit(char flag) {
      return 1 << "iLmsxatu".indexOf(flag);
    }

    /** Python's _parse_flags after "(?" and its first character: null for global flags, else {add, del}. */
    int[] flags(int c, int start) {
      int add = 0;
      int del = 0;
      if (c != '-') {
        while (true) {
          if (c == 'L') {
            throw new Problem("bad inline flags: cannot use 'L' flag with a str pattern", i);
          }
          add |= bit((char) c);
          int type = add & (bit('a') | bit('u'));
          if (type == (bit('a') | bit('u'))) {
            throw new Problem("bad inline flags: flags 'a', 'u' and 'L' are incompatible", i);
          }
          if (!more()) {
            throw new Problem("missing -, : or )", i);
          }
          c = next();
          if (c == ')' || c == '-' || c == ':') {
            break;
          }
          if ("iLmsxatu".indexOf(c) < 0) {
            throw new Problem(Character.isLetter(c) ? "unknown flag" : "missing -, : or )", i);
          }
        }
      }
      if (c == ')') {
        if ((add & bit('t')) != 0) {
          throw Problem.unsupported("the TEMPLATE flag is not supported here", start);
        }
        globalIgnoreCase |= (add & bit('i')) != 0;
        globalAscii |= (add & bit('a')) != 0;
        global = new Flags(global.verbose || (add & bit('x')) != 0, global.multiline || (add & bit('m')) != 0,
            global.dotall || (add & bit('s')) != 0, global.ascii || (add & bit('a')) != 0);
        return null;
      }
      if ((add & bit('t')) != 0) {
        throw new Problem("bad inline flags: cannot turn on global flag", i);
      }
      if (c == '-') {
        if (!more()) {
          throw new Problem("missing flag", i);
        }
        c = next();
        if ("iLmsxatu".indexOf(c) < 0) {
          throw new Problem(Character.isLetter(c) ? "unknown flag" : "missing flag", i);
        }
        while (true) {
          if (c == 'a' || c == 'u' || c == 'L') {
            throw new Problem("bad inline flags: cannot turn off flags 'a', 'u' and 'L'", i);
          }
          del |= bit((char) c);
          if (!more()) {
            throw new Problem("missing :", i);
          }
          c = next();
          if (c == ':') {
            break;
          }
          if ("iLmsxatu".indexOf(c) < 0) {
            throw new Problem(Character.isLetter(c) ? "unknown flag" : "missing :", i);
          }
        }
      }
      if ((del & bit('t')) != 0) {
        throw new Problem("bad inline flags: cannot turn off global flag", i);
      }
      if ((add & del) != 0) {
        throw new Problem("bad inline flags: flag turned on and off", i);
      }
      return new int[] {add, del};
    }

    String until(char end, String what) {
      int close = s.indexOf(end, i);
      if (close == i) {
        throw new Problem("missing " + what, i);
      }
      if (close < 0) {
        throw new Problem("missing " + end + ", unterminated name", i);
      }
      String name = s.substring(i, close);
      i = close + 1;
      return name;
    }

    static boolean isIdentifier(String name) {
      if (name.isEmpty()) {
        return false;
      }
      int first = name.codePointAt(0);
      if (first != '_' && !Character.isUnicodeIdentifierStart(first)) {
        return false;
      }
      return name.codePoints().skip(1).allMatch(Character::isUnicodeIdentifierPart)
          && name.codePoints().noneMatch(Character::isIdentifierIgnorable);
    }

    static String literal(int c) {
      return literal(c, false);
    }

    static String literal(int c, boolean inClass) {
      if (c < 128 && Character.isLetterOrDigit(c)) {
        return String.valueOf((char) c);
      }
      return "\\x{" + Integer.toHexString(c) + "}";
    }
  }
}
