package io.dataops.pipelines.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataops.lakehouse.types.ValueType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SQL both job engines run identically: one SELECT [DISTINCT] over the inputs' names, with INNER or LEFT JOIN ...
 * ON, WHERE, GROUP BY (names, not positions), HAVING; scalar functions and aggregates from a short list; no ORDER BY,
 * LIMIT, WITH, subqueries, set operations or window functions (a product is a set; its order is not part of it).
 * The text is parsed by DuckDB's parser ({@code json_serialize_sql}), never by hand, and the tree is checked here.
 *
 * <p>Where the engines differ on numbers, the subset asks for explicit types: {@code /} and {@code avg} need a DOUBLE
 * or DECIMAL operand (DuckDB divides integers into a double, Flink into an integer), {@code sum} a BIGINT, DOUBLE or
 * DECIMAL one. The analysis also gives each output column its lineage: the input columns it comes from and whether
 * the value is carried (a column, a cast, string functions, min/max, CASE branches) or only derived (counts, sums,
 * date parts, lengths).
 */
public final class SqlSubset {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** An input column an output column depends on; {@code carrying}: the raw value can come through. */
  public record Source(String alias, String column, boolean carrying) {}

  /**
   * @param reshaped whether a value carried into the column passed through a function that moves or changes its
   *     characters (substring, concat, replace, arithmetic, a cast to another type than VARCHAR): the column's
   *     character positions are then not the input's, so a mask's "first 6 and last 4" no longer bound what it shows
   */
  public record OutputColumn(String name, List<Source> sources, int line, boolean reshaped, Form form) {}

  /**
   * What an output column's expression is at its top: a count ({@code count(...)}, {@code count(*)}), the sum of one
   * input column, an input column (cast or not), or any other expression. A privacy section's countColumn must be one
   * of the first three: {@code count(*) + 4} passed as a count made every person a class of five (found by a probe).
   */
  public enum Form { COUNT, COUNT_DISTINCT, SUM_OF_COLUMN, COLUMN, EXPRESSION }

  /**
   * @param conditionSources the input columns a condition reads other than as a whole value in an equality with
   *     another column (a join key) or a null test, wherever it is: in a join, WHERE or HAVING (which rows come
   *     through then depends on their values) or in a select item's CASE, comparison, LIKE, IN or BETWEEN (which
   *     value a column takes). A product can carry a value picked out that way: probes put every digit of every ID
   *     number into columns that held no personal data with 17 joins, each on one digit, and with a CASE mapping
   *     each digit to a letter
   */
  public record Analysis(List<OutputColumn> columns, boolean aggregates, boolean joins, boolean distinct,
      List<Source> conditionSources) {}

  /** Division carries its operand (x / 1 is x, x / 10 is x moved: found by a probe to publish ID numbers). */
  private static final Set<String> CARRYING = Set.of("upper", "lower", "trim", "ltrim", "rtrim", "substring", "substr",
      "concat", "||", "nullif", "replace", "min", "max", "+", "-", "*", "/", "%", "abs", "round", "floor", "ceil",
      "ceiling");
  private static final Set<String> DERIVING = Set.of("count", "count_star", "sum", "avg", "year", "month", "day",
      "quarter", "date_part", "char_length", "~~", "!~~");
  /** Carrying functions whose result's characters are not the input's at the same positions. */
  private static final Set<String> RESHAPING = Set.of("substring", "substr", "concat", "||", "replace", "+", "-", "*",
      "/", "%", "abs", "round", "floor", "ceil", "ceiling");
  private static final Set<String> AGGREGATES = Set.of("count", "count_star", "sum", "avg", "min", "max");
  private static final Set<String> DATE_PARTS = Set.of("year", "quarter", "month", "day");
  /**
   * Date parts that carry their date: the day, with the year and the month beside it, is the whole date (found by a
   * probe: year * 10000 + month * 100 + day published every birth date as "derived").
   */
  private static final Set<String> CARRYING_DATE_PARTS = Set.of("day");
  private static final Set<String> CAST_TYPES = Set.of("VARCHAR", "INTEGER", "BIGINT", "DOUBLE", "DECIMAL", "DATE",
      "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "BOOLEAN");
  private static final Set<String> OPERATORS = Set.of("OPERATOR_NOT", "OPERATOR_IS_NULL", "OPERATOR_IS_NOT_NULL",
      "COMPARE_IN", "COMPARE_NOT_IN", "OPERATOR_COALESCE");

  private final String source;
  private final String sql;
  private final int firstLine;
  private final int offsetShift;
  private final Map<String, Map<String, ValueType>> inputs;
  private boolean aggregates;
  /** Set while a select item is checked when a carried value is reshaped ({@link OutputColumn#reshaped}). */
  private boolean reshaped;
  /** The input columns conditions read other than as whole values matched with another column, or tested for null. */
  private final Set<Source> conditionSources = new LinkedHashSet<>();
  private boolean distinct;

  private SqlSubset(String source, String sql, int firstLine, int offsetShift,
      Map<String, Map<String, ValueType>> inputs) {
    this.source = source;
    this.sql = sql;
    this.firstLine = firstLine;
    this.offsetShift = offsetShift;
    this.inputs = inputs;
  }

  /**
   * Checks a transform and gives its output columns with their lineage.
   *
   * @param inputs each input's name and the columns (with types) it may read, in order
   */
  public static Analysis analyze(Connection duck, String source, String sql, int firstLine,
      Map<String, Map<String, ValueType>> inputs) {
    SqlSubset s = new SqlSubset(source, sql, firstLine, 0, inputs);
    JsonNode node = s.parse(duck, sql);
    return s.select(node);
  }

  /**
   * Checks an input's row filter: a boolean expression over that input's columns only. Gives the columns it reads.
   */
  public static List<String> checkFilter(Connection duck, String source, String alias, String filter, int line,
      Map<String, ValueType> columns) {
    String prefix = "SELECT 1 FROM " + alias + " WHERE ";
    SqlSubset s = new SqlSubset(source, filter, line, prefix.length(), Map.of(alias, columns));
    JsonNode node = s.parse(duck, prefix + filter);
    if (node.path("where_clause").isNull() || !node.path("group_expressions").isEmpty()
        || !node.path("modifiers").isEmpty()) {
      throw s.fail(-1, "a filter is one boolean expression over the input's columns");
    }
    Set<Source> read = new LinkedHashSet<>();
    s.expression(node.get("where_clause"), read, true, -1);
    if (s.aggregates) {
      throw s.fail(-1, "a filter cannot use aggregate functions");
    }
    return read.stream().map(Source::column).distinct().toList();
  }

  private JsonNode parse(Connection duck, String text) {
    JsonNode tree;
    try (PreparedStatement p = duck.prepareStatement("SELECT json_serialize_sql(CAST(? AS VARCHAR))")) {
      p.setString(1, text);
      try (ResultSet r = p.executeQuery()) {
        r.next();
        tree = JSON.readTree(r.getString(1));
      }
    } catch (SQLException | java.io.IOException e) {
      throw new IllegalStateException("DuckDB could not serialize the statement", e);
    }
    if (tree.path("error").asBoolean()) {
      int at = tree.path("position").asInt(-1);
      throw fail(at, "not valid SQL: " + tree.path("error_message").asText());
    }
    JsonNode statements = tree.path("statements");
    if (statements.size() != 1) {
      throw fail(-1, "exactly one SELECT statement, found " + statements.size());
    }
    JsonNode node = statements.get(0).path("node");
    if (!"SELECT_NODE".equals(node.path("type").asText())) {
      throw fail(-1, "only a plain SELECT is supported (" + node.path("type").asText().replace("_NODE", "")
          .toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " is not in the subset both engines run)");
    }
    return node;
  }

  private Analysis select(JsonNode node) {
    if (!node.path("cte_map").path("map").isEmpty()) {
      throw fail(-1, "WITH is not in the subset both engines run: list the inputs and join them");
    }
    for (JsonNode m : node.path("modifiers")) {
      String type = m.path("type").asText();
      distinct |= type.equals("DISTINCT_MODIFIER");
      if (!type.equals("DISTINCT_MODIFIER") || !m.path("distinct_on_targets").isEmpty()) {
        int at = location(m.path("orders").path(0).path("expression"), location(m.path("limit"), -1));
        throw fail(at, switch (type) {
          case "ORDER_MODIFIER" -> "ORDER BY is not allowed: a product is a set, its order is not part of it";
          case "LIMIT_MODIFIER", "LIMIT_PERCENT_MODIFIER" -> "LIMIT is not allowed: it makes the product depend on "
              + "the order rows happen to be read in";
          default -> "DISTINCT ON is not in the subset both engines run";
        });
      }
    }
    if (!"STANDARD_HANDLING".equals(node.path("aggregate_handling").asText())) {
      throw fail(-1, "GROUP BY ALL is DuckDB's own: name the grouping columns");
    }
    if (!node.path("qualify").isNull() || !node.path("sample").isNull()) {
      throw fail(-1, "QUALIFY and USING SAMPLE are not in the subset both engines run");
    }
    Set<String> aliases = new LinkedHashSet<>();
    boolean joins = from(node.path("from_table"), aliases);
    if (node.has("where_clause") && !node.get("where_clause").isNull()) {
      condition(node.get("where_clause"), -1);
    }
    for (JsonNode g : node.path("group_expressions")) {
      if ("CONSTANT".equals(g.path("class").asText())) {
        throw fail(location(g, -1), "GROUP BY names columns or expressions, not positions");
      }
      expression(g, new LinkedHashSet<>(), true, -1);
    }
    if (!node.path("group_expressions").isEmpty()) {
      aggregates = true;
    }
    if (node.has("having") && !node.get("having").isNull()) {
      condition(node.get("having"), -1);
    }
    List<OutputColumn> out = new ArrayList<>();
    Map<String, Integer> names = new LinkedHashMap<>();
    for (JsonNode item : node.path("select_list")) {
      int at = location(item, -1);
      if ("STAR".equals(item.path("class").asText())) {
        star(item, aliases, out, names);
        continue;
      }
      Set<Source> sources = new LinkedHashSet<>();
      reshaped = false;
      expression(item, sources, true, at);
      String name = item.path("alias").asText("");
      if (name.isEmpty()) {
        if (!"COLUMN_REF".equals(item.path("class").asText())) {
          throw fail(at, "give this expression a name (... AS name): the engines would name it differently");
        }
        JsonNode parts = item.path("column_names");
        name = parts.get(parts.size() - 1).asText();
      }
      add(out, names, new OutputColumn(name, List.copyOf(sources), lineOf(at), reshaped, form(item)));
    }
    return new Analysis(List.copyOf(out), aggregates, joins, distinct, List.copyOf(conditionSources));
  }

  private void add(List<OutputColumn> out, Map<String, Integer> names, OutputColumn c) {
    Integer earlier = names.put(c.name(), c.line());
    if (earlier != null) {
      throw new PipelineException(source, c.line(), "transform: two output columns are called '" + c.name()
          + "'; name one of them differently (AS ...)");
    }
    out.add(c);
  }

  private void star(JsonNode item, Set<String> aliases, List<OutputColumn> out, Map<String, Integer> names) {
    int at = location(item, -1);
    if (!item.path("exclude_list").isEmpty() || !item.path("replace_list").isEmpty()
        || item.path("columns").asBoolean(false) || !item.path("expr").isMissingNode() && !item.path("expr").isNull()) {
      throw fail(at, "* with EXCLUDE, REPLACE or COLUMNS is DuckDB's own: list the columns");
    }
    String relation = item.path("relation_name").asText("");
    for (String alias : aliases) {
      if (!relation.isEmpty() && !relation.equals(alias)) {
        continue;
      }
      for (String column : inputs.get(alias).keySet()) {
        add(out, names, new OutputColumn(column, List.of(new Source(alias, column, true)), lineOf(at), false,
            Form.COLUMN));
      }
    }
  }

  /** Checks the FROM clause; records the input names it uses; true when it joins. */
  private boolean from(JsonNode t, Set<String> aliases) {
    String type = t.path("type").asText();
    switch (type) {
      case "BASE_TABLE" -> {
        String name = t.path("table_name").asText();
        int at = location(t, -1);
        if (!t.path("schema_name").asText("").isEmpty() || !t.path("catalog_name").asText("").isEmpty()) {
          throw fail(at, "refer to inputs by their names (" + String.join(", ", inputs.keySet()) + "), not '"
              + t.path("schema_name").asText() + "." + name + "'");
        }
        if (!inputs.containsKey(name)) {
          throw fail(at, "'" + name + "' is not one of the pipeline's inputs (" + String.join(", ", inputs.keySet())
              + ")");
        }
        if (!t.path("alias").asText("").isEmpty() && !t.path("alias").asText().equals(name)) {
          throw fail(at, "do not rename input '" + name + "' in the SQL; name it with 'as' in the pipeline's inputs");
        }
        if (!t.path("at_clause").isNull() && !t.path("at_clause").isMissingNode() || !t.path("sample").isNull()) {
          throw fail(at, "AT and TABLESAMPLE are not in the subset: the run pins each input's snapshot");
        }
        aliases.add(name);
        return false;
      }
      case "JOIN" -> {
        int at = location(t, -1);
        String kind = t.path("join_type").asText();
        if (!kind.equals("INNER") && !kind.equals("LEFT")) {
          throw fail(at, kind + " JOIN is not in the subset: use INNER or LEFT JOIN");
        }
        if (!"REGULAR".equals(t.path("ref_type").asText())) {
          throw fail(at, t.path("ref_type").asText() + " joins are not in the subset: use JOIN ... ON");
        }
        if (!t.path("using_columns").isEmpty() || t.path("condition").isNull()) {
          throw fail(at, "write the join condition with ON (USING and NATURAL differ between the engines)");
        }
        from(t.get("left"), aliases);
        from(t.get("right"), aliases);
        condition(t.get("condition"), at);
        return true;
      }
      case "EMPTY" -> throw fail(-1, "the SELECT reads no input");
      default -> throw fail(location(t, -1), "FROM " + type.toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
          + " is not in the subset: read the inputs by name and join them");
    }
  }

  /**
   * Checks a condition (ON, WHERE, HAVING) as an expression and collects what it reads into {@link
   * #conditionSources}, but for the parts of an AND that match two columns' whole values (a join key) or test a column
   * for null.
   */
  private void condition(JsonNode e, int at) {
    String cls = e.path("class").asText();
    String type = e.path("type").asText();
    if ("CONJUNCTION".equals(cls) && "CONJUNCTION_AND".equals(type)) {
      e.path("children").forEach(c -> condition(c, location(e, at)));
      return;
    }
    Set<Source> read = new LinkedHashSet<>();
    boolean before = reshaped;
    expression(e, read, false, at);
    reshaped = before;
    boolean key = "COMPARISON".equals(cls) && "COMPARE_EQUAL".equals(type)
        && "COLUMN_REF".equals(e.path("left").path("class").asText())
        && "COLUMN_REF".equals(e.path("right").path("class").asText());
    boolean nullTest = "OPERATOR".equals(cls) && ("OPERATOR_IS_NULL".equals(type)
        || "OPERATOR_IS_NOT_NULL".equals(type)) && e.path("children").size() == 1
        && "COLUMN_REF".equals(e.path("children").get(0).path("class").asText());
    if (!key && !nullTest) {
      conditionSources.addAll(read);
    }
  }

  /** The form of a select item's expression at its top (see {@link Form}). */
  private static Form form(JsonNode item) {
    JsonNode e = item;
    while ("CAST".equals(e.path("class").asText())) {
      e = e.get("child");
    }
    String cls = e.path("class").asText();
    if ("COLUMN_REF".equals(cls)) {
      return Form.COLUMN;
    }
    if ("FUNCTION".equals(cls)) {
      String name = e.path("function_name").asText();
      if (name.equals("count") || name.equals("count_star")) {
        return e.path("distinct").asBoolean() ? Form.COUNT_DISTINCT : Form.COUNT;
      }
      if (name.equals("sum") && e.path("children").size() == 1) {
        JsonNode arg = e.path("children").get(0);
        while ("CAST".equals(arg.path("class").asText())) {
          arg = arg.get("child");
        }
        if ("COLUMN_REF".equals(arg.path("class").asText())) {
          return Form.SUM_OF_COLUMN;
        }
      }
    }
    return Form.EXPRESSION;
  }

  /**
   * Checks an expression and collects the input columns it reads into {@code sources}; {@code carrying} says whether
   * this position passes values through.
   */
  private void expression(JsonNode e, Set<Source> sources, boolean carrying, int parentAt) {
    int at = location(e, parentAt);
    String cls = e.path("class").asText();
    switch (cls) {
      case "COLUMN_REF" -> sources.add(column(e, carrying, at));
      case "CONSTANT" -> { }
      case "CAST" -> {
        String target = e.path("cast_type").path("id").asText();
        if (e.path("try_cast").asBoolean() || !CAST_TYPES.contains(target)) {
          throw fail(at, (e.path("try_cast").asBoolean() ? "TRY_CAST" : "CAST to " + target)
              + " is not in the subset (VARCHAR, INTEGER, BIGINT, DOUBLE, DECIMAL, DATE, TIMESTAMP, BOOLEAN)");
        }
        reshaped |= carrying && !target.equals("VARCHAR");
        expression(e.get("child"), sources, carrying, at);
      }
      case "COMPARISON" -> {
        Set<Source> read = new LinkedHashSet<>();
        expression(e.get("left"), read, false, at);
        expression(e.get("right"), read, false, at);
        sources.addAll(read);
        if (!("COMPARE_EQUAL".equals(e.path("type").asText())
            && "COLUMN_REF".equals(e.path("left").path("class").asText())
            && "COLUMN_REF".equals(e.path("right").path("class").asText()))) {
          conditionSources.addAll(read); // not two whole values matched (a key): the outcome depends on the values
        }
      }
      case "CONJUNCTION" -> e.path("children").forEach(c -> operand(c, sources, at));
      case "BETWEEN" -> {
        Set<Source> read = new LinkedHashSet<>();
        expression(e.get("input"), read, false, at);
        expression(e.get("lower"), read, false, at);
        expression(e.get("upper"), read, false, at);
        sources.addAll(read);
        conditionSources.addAll(read);
      }
      case "OPERATOR" -> {
        String type = e.path("type").asText();
        if (!OPERATORS.contains(type)) {
          throw fail(at, "operator " + type.replace("OPERATOR_", "").toLowerCase(java.util.Locale.ROOT)
              + " is not in the subset");
        }
        if (type.equals("OPERATOR_COALESCE")) {
          e.path("children").forEach(c -> expression(c, sources, carrying, at));
        } else if (type.equals("OPERATOR_NOT")) {
          e.path("children").forEach(c -> operand(c, sources, at));
        } else {
          Set<Source> read = new LinkedHashSet<>();
          e.path("children").forEach(c -> expression(c, read, false, at));
          sources.addAll(read);
          boolean nullTest = (type.equals("OPERATOR_IS_NULL") || type.equals("OPERATOR_IS_NOT_NULL"))
              && e.path("children").size() == 1 && "COLUMN_REF".equals(e.path("children").get(0).path("class")
              .asText());
          if (!nullTest) {
            conditionSources.addAll(read); // IN, NOT IN, a null test of a computed value
          }
        }
      }
      case "CASE" -> {
        for (JsonNode check : e.path("case_checks")) {
          operand(check.get("when_expr"), sources, at);
          expression(check.get("then_expr"), sources, carrying, at);
        }
        expression(e.get("else_expr"), sources, carrying, at);
      }
      case "FUNCTION" -> function(e, sources, carrying, at);
      case "STAR" -> throw fail(at, "* is only allowed alone in the select list or in count(*)");
      case "SUBQUERY" -> throw fail(at, "subqueries are not in the subset: join the inputs instead");
      case "WINDOW" -> throw fail(at, "window functions are not in the subset both engines run");
      default -> throw fail(at, cls.toLowerCase(java.util.Locale.ROOT) + " expressions are not in the subset");
    }
  }

  /**
   * A boolean operand of AND, OR, NOT or a CASE's WHEN: a comparison, LIKE, IN or BETWEEN records itself; a boolean
   * column read as it is decides the outcome by its value.
   */
  private void operand(JsonNode c, Set<Source> sources, int at) {
    if ("COLUMN_REF".equals(c.path("class").asText())) {
      Source s = column(c, false, location(c, at));
      sources.add(s);
      conditionSources.add(s);
      return;
    }
    expression(c, sources, false, at);
  }

  private void function(JsonNode e, Set<Source> sources, boolean carrying, int at) {
    String name = e.path("function_name").asText();
    boolean allowed = CARRYING.contains(name) || DERIVING.contains(name);
    if (!allowed || !e.path("schema").asText("").isEmpty() && !e.path("schema").asText().equals("main")) {
      throw fail(at, "function " + name + "() is not in the subset both engines run (known: upper, lower, trim, "
          + "substring, concat, ||, coalesce, nullif, replace, char_length, abs, round, floor, ceil, year, month, day, "
          + "EXTRACT, count, sum, avg, min, max, LIKE, + - * / %)");
    }
    if (!e.path("filter").isNull() && !e.path("filter").isMissingNode()
        || !e.path("order_bys").path("orders").isEmpty() || e.path("export_state").asBoolean()) {
      throw fail(at, name + "(): FILTER and ORDER BY inside a function are not in the subset");
    }
    if (e.path("distinct").asBoolean() && !name.equals("count")) {
      throw fail(at, name + "(DISTINCT ...) is not in the subset; count(DISTINCT ...) is");
    }
    JsonNode children = e.path("children");
    if (AGGREGATES.contains(name)) {
      aggregates = true;
    }
    if (name.equals("date_part")) {
      JsonNode part = children.get(0);
      if (!"CONSTANT".equals(part.path("class").asText())
          || !DATE_PARTS.contains(part.path("value").path("value").asText().toLowerCase(java.util.Locale.ROOT))) {
        throw fail(at, "EXTRACT takes YEAR, QUARTER, MONTH or DAY");
      }
    }
    if (name.equals("/") || name.equals("avg")) {
      for (JsonNode c : children) {
        if (typedNumber(c, Set.of(ValueType.DOUBLE, ValueType.DECIMAL))) {
          break;
        }
        if (c == children.get(children.size() - 1)) {
          throw fail(at, (name.equals("/") ? "division" : "avg") + " needs a DOUBLE or DECIMAL operand (cast it: "
              + "CAST(x AS DOUBLE)): the engines treat integers differently");
        }
      }
    }
    if (name.equals("sum") && !children.isEmpty()
        && !typedNumber(children.get(0), Set.of(ValueType.LONG, ValueType.DOUBLE, ValueType.DECIMAL))) {
      throw fail(at, "sum needs a BIGINT, DOUBLE or DECIMAL operand (cast it: CAST(x AS BIGINT)): the engines widen "
          + "integers differently");
    }
    boolean datePartCarries = CARRYING_DATE_PARTS.contains(name) || name.equals("date_part")
        && CARRYING_DATE_PARTS.contains(children.get(0).path("value").path("value").asText()
            .toLowerCase(java.util.Locale.ROOT));
    boolean carries = carrying && (CARRYING.contains(name) || datePartCarries);
    reshaped |= carries && (RESHAPING.contains(name) || datePartCarries);
    if (name.equals("~~") || name.equals("!~~")) { // LIKE: which value a column takes depends on the pattern's match
      Set<Source> read = new LinkedHashSet<>();
      children.forEach(c -> expression(c, read, false, at));
      sources.addAll(read);
      conditionSources.addAll(read);
      return;
    }
    children.forEach(c -> expression(c, sources, carries, at));
  }

  /** True when the expression's type is known to be one of {@code types}: a typed column, a cast or a constant. */
  private boolean typedNumber(JsonNode e, Set<ValueType> types) {
    switch (e.path("class").asText()) {
      case "CAST" -> {
        String t = e.path("cast_type").path("id").asText();
        return types.contains(ValueType.DOUBLE) && t.equals("DOUBLE") || types.contains(ValueType.DECIMAL)
            && t.equals("DECIMAL") || types.contains(ValueType.LONG) && t.equals("BIGINT");
      }
      case "CONSTANT" -> {
        String t = e.path("value").path("type").path("id").asText();
        return types.contains(ValueType.DECIMAL) && t.equals("DECIMAL") || types.contains(ValueType.DOUBLE)
            && t.equals("DOUBLE");
      }
      case "COLUMN_REF" -> {
        Source s = column(e, false, location(e, -1));
        return types.contains(inputs.get(s.alias()).get(s.column()));
      }
      default -> {
        return false;
      }
    }
  }

  private Source column(JsonNode e, boolean carrying, int at) {
    JsonNode parts = e.path("column_names");
    if (parts.size() == 2) {
      String alias = parts.get(0).asText();
      String col = parts.get(1).asText();
      if (!inputs.containsKey(alias)) {
        throw fail(at, "'" + alias + "' is not one of the pipeline's inputs (" + String.join(", ", inputs.keySet())
            + ")");
      }
      if (!inputs.get(alias).containsKey(col)) {
        throw fail(at, "input " + alias + " has no column '" + col + "' among the columns it reads ("
            + String.join(", ", inputs.get(alias).keySet()) + ")");
      }
      return new Source(alias, col, carrying);
    }
    if (parts.size() != 1) {
      throw fail(at, "column references are NAME or INPUT.NAME");
    }
    String col = parts.get(0).asText();
    Source found = null;
    for (Map.Entry<String, Map<String, ValueType>> in : inputs.entrySet()) {
      if (in.getValue().containsKey(col)) {
        if (found != null) {
          throw fail(at, "column '" + col + "' is in both " + found.alias() + " and " + in.getKey()
              + ": write INPUT." + col);
        }
        found = new Source(in.getKey(), col, carrying);
      }
    }
    if (found == null) {
      throw fail(at, "no input reads a column '" + col + "' (add it to an input's columns if it is granted)");
    }
    return found;
  }

  private static int location(JsonNode e, int fallback) {
    JsonNode q = e.path("query_location");
    if (q.isMissingNode() || q.isNull()) {
      return fallback;
    }
    long v = q.asLong(-1);
    return v < 0 || v > Integer.MAX_VALUE ? fallback : (int) v;
  }

  /** The file line of a character offset in the statement DuckDB parsed (-1: the statement's first line). */
  int lineOf(int offset) {
    int o = offset - offsetShift;
    if (o < 0) {
      return firstLine;
    }
    int line = firstLine;
    for (int i = 0; i < Math.min(o, sql.length()); i++) {
      if (sql.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  private PipelineException fail(int offset, String problem) {
    return new PipelineException(source, lineOf(offset), (offsetShift > 0 ? "filter: " : "transform: ") + problem);
  }
}
