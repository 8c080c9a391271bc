package io.dataops.quality.suite;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Great Expectations' suite-parameter expressions ({@code {"$PARAMETER": "now() - timedelta(weeks=52)"}}): numbers,
 * parameters, {@code + - * / ^} (power binds right to left, a leading sign to its operand only), parentheses,
 * {@code PI}, {@code E} and GX's functions abs, trunc, round, sgn, sin, cos, tan, exp, now, datetime and timedelta
 * (positional or keyword arguments). Dates become ISO text as GX's JSON conversion gives them; {@code now()} is the
 * local time of the clock (the platform's UTC+8).
 */
public final class ParameterExpression {
  private static final DateTimeFormatter ISO_SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");
  private static final DateTimeFormatter ISO_MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");

  /** An expression that cannot be read or evaluated; the message says why. */
  public static final class Problem extends RuntimeException {
    Problem(String message) {
      super(message, null, false, false);
    }
  }

  private final String text;
  private final Map<String, Object> parameters;
  private final Clock clock;
  private int pos;

  static final int MAX_DEPTH = 100;

  private int depth;

  private ParameterExpression(String text, Map<String, Object> parameters, Clock clock) {
    this.text = text;
    this.parameters = parameters;
    this.clock = clock;
  }

  /**
   * The value of {@code expression}: a lone parameter name gives the parameter's value as it is (any type, as in
   * GX); anything else is evaluated to a number or an ISO date-time text.
   */
  public static Object evaluate(String expression, Map<String, Object> parameters, Clock clock) {
    String name = expression.strip();
    if (name.matches("[A-Za-z][A-Za-z0-9_$]*") && !name.equalsIgnoreCase("PI") && !name.equalsIgnoreCase("E")) {
      if (!parameters.containsKey(name)) {
        throw new Problem("No value found for $PARAMETER " + name);
      }
      return parameters.get(name);
    }
    ParameterExpression p = new ParameterExpression(expression, parameters, clock);
    Object v;
    try {
      v = p.expr();
      if (v instanceof LocalDateTime t && (t.getYear() < 1 || t.getYear() > 9999)) {
        throw new java.time.DateTimeException("year " + t.getYear() + " is out of range"); // as Python's datetime
      }
    } catch (NumberFormatException e) {
      throw new Problem("'" + p.shown() + "' is not a finite number here (NaN or infinity has no decimal form)");
    } catch (ArithmeticException | java.time.DateTimeException e) {
      // Python's integers and GX's dates would not overflow where Java's do: say so instead of an internal error.
      throw new Problem("'" + p.shown() + "' is out of range (" + e.getMessage() + "): an integer result holds 64 "
          + "bits here (write 1.0 to compute in floating point), a date-time years 1 to 9999");
    }
    p.skipSpace();
    if (p.pos < p.text.length()) {
      throw new Problem("cannot read '" + p.shown() + "' at column " + (p.pos + 1));
    }
    return json(v);
  }

  private String shown() {
    return shown(text);
  }

  /** An expression as a message repeats it: at most 200 characters. */
  static String shown(String expression) {
    return expression.length() <= 200 ? expression
        : expression.substring(0, 200) + "... (" + expression.length() + " characters)";
  }

  /**
   * One level deeper (a parenthesis, a call's argument, a power's exponent): the grammar recurses per level, and an
   * expression nested 20,000 deep overflowed the stack. GX's expressions are a few levels.
   */
  private void deeper() {
    if (++depth > MAX_DEPTH) {
      throw new Problem("'" + shown() + "' is nested more than " + MAX_DEPTH + " deep (at column " + (pos + 1) + ")");
    }
  }

  private static Object json(Object v) {
    if (v instanceof LocalDateTime t) {
      return (t.getNano() == 0 ? ISO_SECONDS : ISO_MICROS).format(t);
    }
    if (v instanceof Duration d) {
      return d.toNanos() / 1e9; // GX has no JSON form for a bare timedelta; its seconds are the nearest
    }
    return v;
  }

  // ---- grammar: expr := term (+|- term)*; term := factor (*|/ factor)*; factor := atom (^ factor)? ----------

  private Object expr() {
    deeper();
    Object v = term();
    for (char op = peek(); op == '+' || op == '-'; op = peek()) {
      pos++;
      v = apply(op, v, term());
    }
    depth--;
    return v;
  }

  private Object term() {
    Object v = factor();
    for (char op = peek(); op == '*' || op == '/'; op = peek()) {
      pos++;
      v = apply(op, v, factor());
    }
    return v;
  }

  private Object factor() {
    Object v = atom();
    if (peek() == '^') {
      pos++;
      deeper();
      v = apply('^', v, factor());
      depth--;
    }
    return v;
  }

  private Object atom() {
    boolean negate = false;
    for (char c = peek(); c == '+' || c == '-'; c = peek()) {
      pos++;
      negate ^= c == '-';
    }
    Object v;
    char c = peek();
    if (c == '(') {
      pos++;
      v = expr();
      expect(')');
    } else if (Character.isDigit(c) || c == '.') {
      v = number();
    } else if (Character.isLetter(c)) {
      String name = identifier();
      if (peek() == '(') {
        v = call(name);
      } else if (name.equalsIgnoreCase("PI")) {
        v = Math.PI;
      } else if (name.equalsIgnoreCase("E")) {
        v = Math.E;
      } else {
        v = variable(name);
      }
    } else {
      throw new Problem("cannot read '" + shown() + "' at column " + (pos + 1));
    }
    return negate ? apply('-', 0L, v) : v;
  }

  private Object number() {
    int start = pos;
    while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
      pos++;
    }
    if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
      int mark = pos++;
      if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
        pos++;
      }
      if (pos < text.length() && Character.isDigit(text.charAt(pos))) {
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
          pos++;
        }
      } else {
        pos = mark;
      }
    }
    return literal(text.substring(start, pos));
  }

  /** A number or date as GX reads an operand: int, else float, else a date (dateutil; ISO forms here). */
  private static Object literal(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException notInt) {
      try {
        return Double.parseDouble(s);
      } catch (NumberFormatException notFloat) {
        String t = s.strip().replace(' ', 'T');
        try {
          return t.length() == 10 ? LocalDate.parse(t).atStartOfDay() : LocalDateTime.parse(t);
        } catch (DateTimeParseException notDate) {
          throw new Problem("'" + s + "' is not a number or a date");
        }
      }
    }
  }

  private Object variable(String name) {
    if (!parameters.containsKey(name)) {
      throw new Problem("No value found for $PARAMETER " + name);
    }
    Object v = parameters.get(name);
    if (v instanceof Number n) {
      return n instanceof Long || n instanceof Integer ? (Object) n.longValue() : n.doubleValue();
    }
    return literal(String.valueOf(v)); // GX substitutes the parameter's text and reads it again
  }

  private Object call(String name) {
    expect('(');
    List<Object> args = new ArrayList<>();
    Map<String, Object> kwargs = new LinkedHashMap<>();
    if (peek() != ')') {
      do {
        int mark = pos;
        if (Character.isLetter(peek())) {
          String key = identifier();
          if (peek() == '=') {
            pos++;
            kwargs.put(key, expr());
            continue;
          }
          pos = mark;
        }
        args.add(expr());
      } while (accept(','));
    }
    expect(')');
    if (!args.isEmpty() && !kwargs.isEmpty()) {
      throw new Problem(name + "(): give its arguments either all by position or all by name");
    }
    return Functions.call(name.toLowerCase(Locale.ROOT), args, kwargs, clock);
  }

  private static Object apply(char op, Object a, Object b) {
    if (a instanceof Long x && b instanceof Long y && op != '/' && !(op == '^' && y < 0)) {
      return switch (op) {
        case '+' -> Math.addExact(x, y);
        case '-' -> Math.subtractExact(x, y);
        case '*' -> Math.multiplyExact(x, y);
        default -> powExact(x, y);
      };
    }
    if (a instanceof Number x && b instanceof Number y) {
      double p = x.doubleValue();
      double q = y.doubleValue();
      return switch (op) {
        case '+' -> p + q;
        case '-' -> p - q;
        case '*' -> p * q;
        case '/' -> {
          if (q == 0) {
            throw new Problem("division by zero");
          }
          yield p / q;
        }
        default -> Math.pow(p, q);
      };
    }
    if (a instanceof LocalDateTime t && b instanceof Duration d && (op == '+' || op == '-')) {
      return op == '+' ? t.plus(d) : t.minus(d);
    }
    if (a instanceof Duration d && b instanceof LocalDateTime t && op == '+') {
      return t.plus(d);
    }
    if (a instanceof LocalDateTime t && b instanceof LocalDateTime u && op == '-') {
      return Duration.between(u, t);
    }
    if (a instanceof Duration d && b instanceof Duration e && (op == '+' || op == '-')) {
      return op == '+' ? d.plus(e) : d.minus(e);
    }
    if (a instanceof Duration d && b instanceof Number n && (op == '*' || op == '/')) {
      double f = op == '*' ? n.doubleValue() : 1 / n.doubleValue();
      return Duration.ofNanos(Math.round(d.toNanos() * f));
    }
    if (a instanceof Number n && b instanceof Duration d && op == '*') {
      return Duration.ofNanos(Math.round(d.toNanos() * n.doubleValue()));
    }
    if (a instanceof Long zero && zero == 0 && b instanceof Duration d && op == '-') {
      return d.negated();
    }
    throw new Problem("unsupported operand types for " + op + ": " + kind(a) + " and " + kind(b));
  }

  /** x to the power y >= 0, exactly, or ArithmeticException past 64 bits (Math.pow's cast gave Long.MAX_VALUE). */
  private static long powExact(long x, long y) {
    if (x == 0 || x == 1) {
      return y == 0 ? 1 : x;
    }
    if (x == -1) {
      return y % 2 == 0 ? 1 : -1;
    }
    if (y > 63) {
      throw new ArithmeticException("long overflow");
    }
    return java.math.BigInteger.valueOf(x).pow((int) y).longValueExact();
  }

  static String kind(Object v) {
    return v instanceof LocalDateTime ? "datetime" : v instanceof Duration ? "timedelta"
        : v instanceof Long ? "int" : "float";
  }

  private String identifier() {
    int start = pos;
    while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_'
        || text.charAt(pos) == '$')) {
      pos++;
    }
    return text.substring(start, pos);
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private char peek() {
    skipSpace();
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private boolean accept(char c) {
    if (peek() == c) {
      pos++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (!accept(c)) {
      throw new Problem("cannot read '" + shown() + "': expected '" + c + "' at column " + (pos + 1));
    }
  }
}
