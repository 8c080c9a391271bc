package io.dataops.quality.expect;

import io.dataops.quality.engine.Batch;
import io.dataops.quality.engine.ColumnView;
import io.dataops.quality.engine.RowFilter;
import io.dataops.quality.engine.TextOrder;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.iceberg.types.Type;

/**
 * GX's {@code row_condition}, read by our own parser and evaluated by our engine, in the three forms GX takes:
 * {@code great_expectations} ({@code col("age") > 18 & col("city") == "福田"}, {@code col("x").notnull()},
 * {@code date("2024-01-01")}), {@code pandas} ({@code age > 18 & city == "福田"}, {@code x.notnull()},
 * {@code x in [1, 2]}, {@code and}/{@code or}/{@code not}) and {@code spark} ({@code age > 18 AND city = '福田'},
 * {@code x IS NOT NULL}, {@code x IN (1, 2)}). Comparisons with a column's null are unknown and the row is left
 * out, as in SQL and Spark; under {@code pandas} they are false ({@code !=} true), as pandas compares NaN.
 */
final class RowCondition implements RowFilter {
  private static final Set<String> PARSERS = Set.of("great_expectations", "great_expectations__experimental__",
      "pandas", "spark");

  static final int MAX_DEPTH = 100;
  static final int MAX_COMPARISONS = 1_000;

  private final String text;
  private final String parser;
  private final Node root;
  private final List<String> columns;

  private RowCondition(String text, String parser, Node root, List<String> columns) {
    this.text = text;
    this.parser = parser;
    this.root = root;
    this.columns = columns;
  }

  /** The condition of the expectation's {@code row_condition} and {@code condition_parser}, or null. */
  static RowCondition of(Args a) {
    String text = a.string("row_condition", false);
    String parser = a.string("condition_parser", false);
    if (text == null || text.isBlank()) {
      return null;
    }
    if (parser == null) {
      throw a.fail("row_condition", "a row_condition needs its condition_parser (great_expectations, pandas or spark)");
    }
    if (!PARSERS.contains(parser)) {
      throw a.fail("condition_parser", "value is not a valid enumeration member; permitted: 'great_expectations', "
          + "'great_expectations__experimental__', 'pandas', 'spark'");
    }
    Parser p = new Parser(text, parser.startsWith("great_expectations") ? Dialect.GX
        : parser.equals("pandas") ? Dialect.PANDAS : Dialect.SPARK, a.table());
    try {
      Node root = p.condition();
      p.end();
      return new RowCondition(text, parser, root, new ArrayList<>(p.columns));
    } catch (Problem e) {
      String shown = text.length() <= 200 ? text : text.substring(0, 200) + "... (" + text.length() + " characters)";
      throw a.fail("row_condition", "cannot use row_condition '" + shown + "' (" + parser + "): " + e.getMessage());
    }
  }

  @Override
  public String key() {
    return parser + ":" + text;
  }

  @Override
  public List<String> columns() {
    return columns;
  }

  @Override
  public boolean test(Batch batch, int row) {
    return root.eval(batch, row) == Boolean.TRUE;
  }

  private enum Dialect { GX, PANDAS, SPARK }

  private static final class Problem extends RuntimeException {
    Problem(String message) {
      super(message, null, false, false);
    }
  }

  /** Three-valued: TRUE, FALSE, or null for unknown. */
  private interface Node {
    Boolean eval(Batch batch, int row);
  }

  /** A column read as a comparable value: numbers as doubles, dates as days, timestamps as micros, text, booleans. */
  private record Column(String name, Type type) {
    Object value(Batch batch, int row) {
      ColumnView c = batch.column(name);
      if (c.isNull(row)) {
        return null;
      }
      return switch (type.typeId()) {
        case STRING -> c.getString(row);
        case DATE, TIMESTAMP -> (double) c.getLong(row);
        case BOOLEAN -> c.getLong(row) == 1;
        default -> c.getDouble(row);
      };
    }
  }

  private static final class Parser {
    private final String s;
    private final Dialect dialect;
    private final TableFacts table;
    private final Set<String> columns = new LinkedHashSet<>();
    private int pos;
    private int depth;
    private int comparisons;

    Parser(String s, Dialect dialect, TableFacts table) {
      this.s = s;
      this.dialect = dialect;
      this.table = table;
    }

    Node condition() {
      Node left = conjunction();
      while (symbol("|") || word("or")) {
        Node l = left;
        Node r = conjunction();
        left = (b, i) -> {
          Boolean x = l.eval(b, i);
          if (x == Boolean.TRUE) {
            return true;
          }
          Boolean y = r.eval(b, i);
          return y == Boolean.TRUE ? Boolean.TRUE : x == null || y == null ? null : Boolean.FALSE;
        };
      }
      return left;
    }

    private Node conjunction() {
      Node left = negation();
      while (symbol("&") || word("and")) {
        Node l = left;
        Node r = negation();
        left = (b, i) -> {
          Boolean x = l.eval(b, i);
          if (x == Boolean.FALSE) {
            return false;
          }
          Boolean y = r.eval(b, i);
          return y == Boolean.FALSE ? Boolean.FALSE : x == null || y == null ? null : Boolean.TRUE;
        };
      }
      return left;
    }

    private Node negation() {
      if (symbol("~") || word("not")) {
        deeper();
        Node inner = negation();
        depth--;
        return (b, i) -> {
          Boolean x = inner.eval(b, i);
          return x == null ? null : !x;
        };
      }
      if (symbol("(")) {
        deeper();
        Node inner = condition();
        expect(")");
        depth--;
        return inner;
      }
      return comparison();
    }

    /**
     * Parsing and evaluating recurse once per level and per term: a condition nested thousands deep, or of tens of
     * thousands of terms, overflowed the stack (an Error, not a message). GX's conditions are a few terms.
     */
    private void deeper() {
      if (++depth > MAX_DEPTH) {
        throw new Problem("parentheses and negations nested more than " + MAX_DEPTH + " deep at column " + pos);
      }
    }

    private Node comparison() {
      if (++comparisons > MAX_COMPARISONS) {
        throw new Problem("more than " + MAX_COMPARISONS + " comparisons (at column " + (pos + 1) + ")");
      }
      Column column = column();
      // Null tests: col("x").notnull(), x.isnull(), x IS [NOT] NULL.
      if (symbol(".")) {
        String method = identifier().toLowerCase(Locale.ROOT);
        expect("(");
        expect(")");
        boolean wantNull = switch (method) {
          case "isnull", "isna" -> true;
          case "notnull", "notna" -> false;
          default -> throw new Problem("unknown method ." + method + "() (expected notnull, isnull, notna, isna)");
        };
        return (b, i) -> b.column(column.name()).isNull(i) == wantNull;
      }
      if (word("is")) {
        boolean not = word("not");
        if (!word("null")) {
          throw new Problem("expected NULL after IS at column " + (pos + 1));
        }
        return (b, i) -> b.column(column.name()).isNull(i) != not;
      }
      boolean negatedIn = word("not");
      if (word("in")) {
        boolean pandasList = symbol("[");
        if (!pandasList) {
          expect("(");
        }
        List<Object> values = new ArrayList<>();
        do {
          values.add(literal(column));
        } while (symbol(","));
        expect(pandasList ? "]" : ")");
        return (b, i) -> {
          Object v = column.value(b, i);
          if (v == null) {
            return dialect == Dialect.PANDAS ? negatedIn : null;
          }
          return values.stream().anyMatch(x -> x.equals(v)) != negatedIn;
        };
      }
      if (negatedIn) {
        throw new Problem("expected IN after NOT at column " + (pos + 1));
      }
      String op = operator();
      Object literal = literal(column);
      if (literal instanceof Boolean && !op.equals("==") && !op.equals("!=")) {
        throw new Problem("true and false compare with == and != only");
      }
      return (b, i) -> {
        Object v = column.value(b, i);
        if (v == null) {
          return dialect == Dialect.PANDAS ? op.equals("!=") : null;
        }
        int cmp = v instanceof Double d ? Double.compare(d, (Double) literal)
            : v instanceof String t ? TextOrder.compare(t, (String) literal) : ((Boolean) v).compareTo((Boolean) literal);
        return switch (op) {
          case "==" -> cmp == 0;
          case "!=" -> cmp != 0;
          case "<" -> cmp < 0;
          case "<=" -> cmp <= 0;
          case ">" -> cmp > 0;
          default -> cmp >= 0;
        };
      };
    }

    private Column column() {
      String name;
      if (dialect == Dialect.GX) {
        if (!word("col")) {
          throw new Problem("expected col(\"name\") at column " + (pos + 1));
        }
        expect("(");
        name = quoted();
        expect(")");
      } else if (peek() == '`') {
        pos++;
        int end = s.indexOf('`', pos);
        if (end < 0) {
          throw new Problem("unclosed ` at column " + pos);
        }
        name = s.substring(pos, end);
        pos = end + 1;
      } else {
        name = identifier();
      }
      if (name.isEmpty()) {
        throw new Problem("expected a column at column " + (pos + 1));
      }
      if (!table.hasColumn(name)) {
        throw new Problem("column '" + name + "' does not exist in " + table.table());
      }
      columns.add(name);
      return new Column(name, table.type(name));
    }

    private String operator() {
      skip();
      for (String op : new String[] {"==", "!=", "<>", "<=", ">=", "<", ">", "="}) {
        if (s.startsWith(op, pos)) {
          if (op.equals("=") && dialect != Dialect.SPARK || op.equals("<>") && dialect != Dialect.SPARK) {
            break;
          }
          pos += op.length();
          return op.equals("=") ? "==" : op.equals("<>") ? "!=" : op;
        }
      }
      throw new Problem("expected a comparison (" + (dialect == Dialect.SPARK ? "=, <>, " : "")
          + "==, !=, <, <=, >, >=) at column " + (pos + 1));
    }

    /** A literal in the column's comparable terms (checked against its type now, not row by row). */
    private Object literal(Column column) {
      skip();
      Type.TypeID type = column.type().typeId();
      boolean temporal = type == Type.TypeID.DATE || type == Type.TypeID.TIMESTAMP;
      if (dialect == Dialect.GX && word("date")) {
        expect("(");
        String d = quoted();
        expect(")");
        return temporal(d, column);
      }
      char c = peek();
      if (c == '"' || c == '\'') {
        String text = quoted();
        if (temporal) {
          return temporal(text, column);
        }
        if (type != Type.TypeID.STRING) {
          throw new Problem("column '" + column.name() + "' is " + column.type() + "; it cannot equal text '" + text
              + "'");
        }
        return text;
      }
      int start = pos;
      String w = identifier();
      if (!w.isEmpty()) {
        if (w.equalsIgnoreCase("true") || w.equalsIgnoreCase("false")) {
          if (type != Type.TypeID.BOOLEAN) {
            throw new Problem("column '" + column.name() + "' is " + column.type() + ", not boolean");
          }
          return Boolean.parseBoolean(w.toLowerCase(Locale.ROOT));
        }
        pos = start;
        throw new Problem("expected a value at column " + (pos + 1) + " (quote text)");
      }
      int numberStart = pos;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || ".eE".indexOf(s.charAt(pos)) >= 0
          || (pos > numberStart && "+-".indexOf(s.charAt(pos)) >= 0 && "eE".indexOf(s.charAt(pos - 1)) >= 0))) {
        pos++;
      }
      String number = s.substring(numberStart, pos);
      try {
        double d = Double.parseDouble(number);
        if (type == Type.TypeID.STRING || type == Type.TypeID.BOOLEAN || temporal) {
          throw new Problem("column '" + column.name() + "' is " + column.type() + "; it cannot compare with the "
              + "number " + number);
        }
        return d;
      } catch (NumberFormatException e) {
        throw new Problem("expected a value at column " + (numberStart + 1));
      }
    }

    private static Double temporal(String text, Column column) {
      String t = text.strip().replace(' ', 'T');
      try {
        if (column.type().typeId() == Type.TypeID.DATE) {
          return (double) LocalDate.parse(t.length() > 10 ? t.substring(0, 10) : t).toEpochDay();
        }
        LocalDateTime dt = t.length() == 10 ? LocalDate.parse(t).atStartOfDay() : LocalDateTime.parse(t);
        return (double) (dt.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + dt.getNano() / 1000);
      } catch (DateTimeParseException e) {
        throw new Problem("'" + text + "' is not an ISO date or timestamp");
      }
    }

    private String quoted() {
      char q = peek();
      if (q != '"' && q != '\'') {
        throw new Problem("expected a quoted value at column " + (pos + 1));
      }
      int end = s.indexOf(q, pos + 1);
      if (end < 0) {
        throw new Problem("unclosed quote at column " + (pos + 1));
      }
      String text = s.substring(pos + 1, end);
      pos = end + 1;
      return text;
    }

    private String identifier() {
      skip();
      int start = pos;
      if (pos < s.length() && Character.isDigit(s.charAt(pos))) {
        return "";
      }
      while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
        pos++;
      }
      return s.substring(start, pos);
    }

    private boolean word(String w) {
      skip();
      int end = pos + w.length();
      if (s.regionMatches(true, pos, w, 0, w.length())
          && (end == s.length() || !(Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_'))) {
        pos = end;
        return true;
      }
      return false;
    }

    private boolean symbol(String sym) {
      skip();
      if (s.startsWith(sym, pos)) {
        pos += sym.length();
        return true;
      }
      return false;
    }

    private void expect(String sym) {
      if (!symbol(sym)) {
        throw new Problem("expected '" + sym + "' at column " + (pos + 1));
      }
    }

    private char peek() {
      skip();
      return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private void skip() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    void end() {
      skip();
      if (pos < s.length()) {
        throw new Problem("unexpected '" + s.substring(pos) + "' at column " + (pos + 1));
      }
    }
  }
}
