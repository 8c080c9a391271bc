package io.dataops.jobs.flink.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataops.jobs.flink.sql.DType.Kind;
import io.dataops.lakehouse.types.ColumnType;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.definition.BoundPipeline.BoundColumn;
import io.dataops.pipelines.definition.BoundPipeline.BoundInput;
import io.dataops.pipelines.definition.PipelineDefinition;
import io.dataops.pipelines.definition.PipelineException;
import io.dataops.pipelines.plan.PinnedInput;
import io.dataops.pipelines.plan.RunPlan;
import io.dataops.pipelines.sql.DuckDbConnections;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Translates a bound pipeline's transform (and its inputs' filters) from the SQL subset into Flink SQL with DuckDB's
 * meaning. DuckDB parses the statement ({@code json_serialize_sql}, as the subset check does) and types every
 * expression in it (a DESCRIBE of each expression over the same inputs); the translation then writes each expression
 * so that its Flink type is DuckDB's and its value DuckDB's:
 * <ul>
 *   <li>where Flink's operator means the same (comparisons and logic of same-typed values other than DOUBLE, CASE,
 *       COALESCE, IN, arithmetic on DOUBLE, count/min/max of other types than DOUBLE, sum and avg of DOUBLE, date
 *       parts of DATE and TIMESTAMP, GROUP BY, DISTINCT, joins), it is used, with the operands first made the type
 *       DuckDB computes in;</li>
 *   <li>where it does not (string functions, LIKE, round of a DOUBLE, integer and DECIMAL arithmetic and sums that
 *       must fail on overflow and keep every place of DuckDB's type, every cast, avg of a DECIMAL, % by zero;
 *       comparisons, min/max, grouping and DISTINCT of DOUBLEs, where DuckDB takes -0.0 as 0.0, every NaN as one value
 *       and NaN as the largest), a {@link FlinkFunctions} function with DuckDB's semantics is called;</li>
 *   <li>what cannot be made equal is refused here, with the pipeline file's line: a DOUBLE or a TIMESTAMP WITH TIME
 *       ZONE turned into text (the engines print them differently), date parts and casts of TIMESTAMP WITH TIME ZONE
 *       (they depend on each engine's session time zone), date arithmetic, % of DECIMALs, round of a DECIMAL to a
 *       negative or computed number of places, avg of a DECIMAL of more than 18 digits.</li>
 * </ul>
 * Floating-point sums and averages of DOUBLEs add in the order rows arrive, on either engine (DuckDB's own result
 * varies with its threads): they may differ in the last bits.
 */
public final class FlinkSql {
  static final String ENGINE = "flink";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> AGGREGATES = Set.of("count", "count_star", "sum", "avg", "min", "max");
  private static final Map<String, String> COMPARISONS = Map.of("COMPARE_EQUAL", "=", "COMPARE_NOTEQUAL", "<>",
      "COMPARE_LESSTHAN", "<", "COMPARE_GREATERTHAN", ">", "COMPARE_LESSTHANOREQUALTO", "<=",
      "COMPARE_GREATERTHANOREQUALTO", ">=", "COMPARE_DISTINCT_FROM", "IS DISTINCT FROM",
      "COMPARE_NOT_DISTINCT_FROM", "IS NOT DISTINCT FROM");

  private final Connection duck;
  private final String source;
  /** The inputs in scope: alias → column → type. */
  private final Map<String, Map<String, ColumnType>> scope;
  private final String text;
  private final int firstLine;
  private final int shift;
  private final String what;
  private final IdentityHashMap<JsonNode, DType> types = new IdentityHashMap<>();
  /** The GROUP BY expressions of type DOUBLE (grouped by {@link DuckSemantics#doubleKey}), without their places. */
  private final List<JsonNode> doubleKeys = new ArrayList<>();
  /** True while the select list and HAVING are written: a DOUBLE key there is its group's one value. */
  private boolean keyed;
  /** How many aggregates the expression being written is in. */
  private int aggregateDepth;

  private FlinkSql(Connection duck, String source, Map<String, Map<String, ColumnType>> scope, String text,
      int firstLine, int shift, String what) {
    this.duck = duck;
    this.source = source;
    this.scope = scope;
    this.text = text;
    this.firstLine = firstLine;
    this.shift = shift;
    this.what = what;
  }

  /**
   * The Flink SQL of a bound pipeline; throws {@link PipelineException} (file and line) for what the Flink engine
   * cannot run with DuckDB's meaning.
   */
  public static FlinkTransform translate(BoundPipeline p) {
    return translate(p, null);
  }

  /**
   * The Flink SQL of a run plan: as above, and each input's view keeps only the rows its grant's row filter allows
   * (defence in depth: whatever the pipeline's own filter says). Its reader reads the columns that filter needs
   * besides the input's, and the view gives them to nothing else.
   */
  public static FlinkTransform translate(RunPlan plan) {
    return translate(plan.pipeline(), plan);
  }

  private static FlinkTransform translate(BoundPipeline p, RunPlan plan) {
    PipelineDefinition d = p.definition();
    try (Connection duck = DuckDbConnections.open()) {
      Map<String, Map<String, ColumnType>> all = new LinkedHashMap<>();
      try (Statement s = duck.createStatement()) {
        for (BoundInput in : p.inputs()) {
          StringJoiner cols = new StringJoiner(", ", "CREATE TABLE " + in.alias() + " (", ")");
          in.columns().forEach((name, type) -> cols.add('"' + name.replace("\"", "\"\"") + "\" " + type.sql()));
          s.execute(cols.toString());
          all.put(in.alias(), in.columns());
        }
      }
      List<FlinkTransform.InputView> views = new ArrayList<>();
      for (int i = 0; i < p.inputs().size(); i++) {
        BoundInput in = p.inputs().get(i);
        PipelineDefinition.Input def = d.inputs().get(i);
        views.add(view(duck, d.source(), in, def.filterLine(), plan == null ? null : plan.input(in)));
      }
      int line = d.transform() != null ? d.transformLine() : d.inputs().get(0).line();
      FlinkSql t = new FlinkSql(duck, d.source(), all, p.sql(), line, 0, "transform");
      String sql = t.select(t.parse(p.sql()), p.columns());
      return new FlinkTransform(views, sql, p.columns().stream().map(BoundColumn::name).toList());
    } catch (SQLException e) {
      throw new IllegalStateException("DuckDB failed while translating " + d.source() + " for Flink", e);
    }
  }

  /**
   * An input's view: its columns as the pipeline types them, the grant's row filter (when {@code pinned} has one) and
   * its own filter applied. The grant's filter is also given to the reader as an Iceberg expression, as far as it
   * converts ({@link IcebergFilters}), so that files and row groups outside it are skipped; the view still evaluates
   * it on every row.
   */
  private static FlinkTransform.InputView view(Connection duck, String source, BoundInput in, int filterLine,
      PinnedInput pinned) throws SQLException {
    StringJoiner cols = new StringJoiner(", ");
    in.columns().forEach((name, type) -> cols.add("CAST(" + FlinkTransform.quote(name) + " AS " + DType.of(type).flink()
        + ") AS " + FlinkTransform.quote(name)));
    String select = "SELECT " + cols + " FROM " + FlinkTransform.quote(FlinkTransform.rawName(in.alias())) + " AS "
        + FlinkTransform.quote(in.alias());
    List<String> conditions = new ArrayList<>();
    List<String> read = new ArrayList<>(in.columns().keySet());
    org.apache.iceberg.expressions.Expression pushdown = org.apache.iceberg.expressions.Expressions.alwaysTrue();
    String grantFilter = pinned == null ? null : pinned.grantFilter();
    if (grantFilter != null) {
      // Its own DuckDB table: the filter may read columns the input does not list, which the transform must not see.
      Map<String, ColumnType> scope = new LinkedHashMap<>(in.columns());
      pinned.grantFilterColumns().forEach(scope::putIfAbsent);
      scope.keySet().stream().filter(c -> !read.contains(c)).forEach(read::add);
      try (Connection grantDuck = DuckDbConnections.open()) {
        try (Statement s = grantDuck.createStatement()) {
          StringJoiner ddl = new StringJoiner(", ", "CREATE TABLE " + in.alias() + " (", ")");
          scope.forEach((name, type) -> ddl.add('"' + name.replace("\"", "\"\"") + "\" " + type.sql()));
          s.execute(ddl.toString());
        }
        String prefix = "SELECT 1 FROM " + in.alias() + " WHERE ";
        FlinkSql f = new FlinkSql(grantDuck, "grant " + pinned.grant().grantId(), Map.of(in.alias(), scope),
            grantFilter, 1, prefix.length(), "filter");
        JsonNode node = f.parse(prefix + grantFilter);
        JsonNode where = node.get("where_clause");
        f.type(node, List.of(where));
        conditions.add(f.condition(where));
        pushdown = IcebergFilters.of(where, scope);
      }
    }
    if (in.filter() != null) {
      String prefix = "SELECT 1 FROM " + in.alias() + " WHERE ";
      FlinkSql f = new FlinkSql(duck, source, Map.of(in.alias(), in.columns()), in.filter(), filterLine,
          prefix.length(), "filter");
      JsonNode node = f.parse(prefix + in.filter());
      JsonNode where = node.get("where_clause");
      f.type(node, List.of(where));
      conditions.add(f.condition(where));
    }
    if (!conditions.isEmpty()) {
      select += " WHERE " + String.join(" AND ", conditions);
    }
    return new FlinkTransform.InputView(in.alias(), in.table().toString(), in.snapshotId(), read, select, pushdown);
  }

  // ---------------------------------------------------------------- parsing and typing

  private JsonNode parse(String sql) {
    try (PreparedStatement p = duck.prepareStatement("SELECT json_serialize_sql(CAST(? AS VARCHAR))")) {
      p.setString(1, sql);
      try (ResultSet r = p.executeQuery()) {
        r.next();
        JsonNode tree = JSON.readTree(r.getString(1));
        if (tree.path("error").asBoolean()) {
          throw new IllegalStateException("DuckDB could not parse a statement it accepted before");
        }
        return tree.path("statements").get(0).path("node");
      }
    } catch (SQLException | java.io.IOException e) {
      throw new IllegalStateException("DuckDB could not serialize the statement", e);
    }
  }

  /**
   * Types every expression under {@code roots} as DuckDB binds it: those without an aggregate in a DESCRIBE of them
   * over the statement's FROM, those with one over its FROM and GROUP BY.
   */
  private void type(JsonNode statement, List<JsonNode> roots) {
    List<JsonNode> plain = new ArrayList<>();
    List<JsonNode> grouped = new ArrayList<>();
    for (JsonNode r : roots) {
      collect(r, plain, grouped);
    }
    describe(statement, plain, false);
    describe(statement, grouped, true);
  }

  /** Adds the expression and every expression in it; true when it holds an aggregate. */
  private boolean collect(JsonNode e, List<JsonNode> plain, List<JsonNode> grouped) {
    if (e == null || e.isNull() || e.isMissingNode() || "STAR".equals(e.path("class").asText())) {
      return false;
    }
    boolean aggregate = "FUNCTION".equals(e.path("class").asText())
        && AGGREGATES.contains(e.path("function_name").asText());
    for (JsonNode c : children(e)) {
      aggregate |= collect(c, plain, grouped);
    }
    (aggregate ? grouped : plain).add(e);
    return aggregate;
  }

  private static List<JsonNode> children(JsonNode e) {
    List<JsonNode> out = new ArrayList<>();
    switch (e.path("class").asText()) {
      case "CAST" -> out.add(e.get("child"));
      case "COMPARISON" -> {
        out.add(e.get("left"));
        out.add(e.get("right"));
      }
      case "BETWEEN" -> {
        out.add(e.get("input"));
        out.add(e.get("lower"));
        out.add(e.get("upper"));
      }
      case "CASE" -> {
        for (JsonNode c : e.path("case_checks")) {
          out.add(c.get("when_expr"));
          out.add(c.get("then_expr"));
        }
        out.add(e.get("else_expr"));
      }
      case "CONJUNCTION", "OPERATOR", "FUNCTION" -> e.path("children").forEach(out::add);
      default -> { }
    }
    return out;
  }

  private void describe(JsonNode statement, List<JsonNode> exprs, boolean grouped) {
    if (exprs.isEmpty()) {
      return;
    }
    ObjectNode node = statement.deepCopy();
    ArrayNode list = node.putArray("select_list");
    for (int i = 0; i < exprs.size(); i++) {
      ObjectNode copy = exprs.get(i).deepCopy();
      copy.put("alias", "c" + i);
      list.add(copy);
    }
    node.putArray("modifiers");
    node.putNull("where_clause");
    node.putNull("having");
    if (!grouped) {
      node.putArray("group_expressions");
      node.putArray("group_sets");
    }
    ObjectNode tree = JsonNodeFactory.instance.objectNode();
    tree.put("error", false);
    ObjectNode stmt = tree.putArray("statements").addObject();
    stmt.set("node", node);
    stmt.putArray("named_param_map");
    String sql;
    try (PreparedStatement p = duck.prepareStatement("SELECT json_deserialize_sql(CAST(? AS JSON))")) {
      p.setString(1, JSON.writeValueAsString(tree));
      try (ResultSet r = p.executeQuery()) {
        r.next();
        sql = r.getString(1);
      }
    } catch (SQLException | java.io.IOException e) {
      throw fail(-1, "the Flink engine could not type this " + what + " in DuckDB (" + firstLine(e) + ")");
    }
    try (Statement s = duck.createStatement(); ResultSet r = s.executeQuery("DESCRIBE " + sql)) {
      int i = 0;
      while (r.next()) {
        JsonNode e = exprs.get(i++);
        DType t = DType.parse(r.getString("column_type"));
        if (t == null) {
          throw fail(location(e, -1), "an expression of type " + r.getString("column_type") + " is not carried by "
              + "the Flink engine");
        }
        types.put(e, t);
      }
    } catch (SQLException e) {
      throw fail(-1, "the Flink engine could not type this " + what + " in DuckDB (" + firstLine(e) + ")");
    }
  }

  private static String firstLine(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.lines().findFirst().orElse(m);
  }

  private DType typeOf(JsonNode e) {
    DType t = types.get(e);
    if (t == null) {
      throw new IllegalStateException("an expression was not typed: " + e.path("class").asText());
    }
    return t;
  }

  // ---------------------------------------------------------------- statements

  private String select(JsonNode node, List<BoundColumn> columns) {
    List<JsonNode> roots = new ArrayList<>();
    node.path("select_list").forEach(roots::add);
    roots.add(node.get("where_clause"));
    node.path("group_expressions").forEach(roots::add);
    roots.add(node.get("having"));
    joinConditions(node.path("from_table"), roots);
    type(node, roots);

    for (JsonNode g : node.path("group_expressions")) {
      if (typeOf(g).kind() == Kind.DOUBLE) {
        doubleKeys.add(g);
      }
    }
    StringBuilder sql = new StringBuilder("SELECT ");
    boolean distinct = false;
    for (JsonNode m : node.path("modifiers")) {
      distinct |= "DISTINCT_MODIFIER".equals(m.path("type").asText());
    }
    // DuckDB takes -0.0 and 0.0 (and every NaN) as one value; Flink's DISTINCT compares bits: DOUBLE columns are
    // made distinct by a grouping on their keys instead (below).
    boolean distinctDoubles = distinct && columns.stream().anyMatch(c -> DType.of(c.sqlType()).kind() == Kind.DOUBLE);
    if (distinct && !distinctDoubles) {
      sql.append("DISTINCT ");
    }
    keyed = !doubleKeys.isEmpty();
    StringJoiner items = new StringJoiner(", ");
    int column = 0;
    for (JsonNode item : node.path("select_list")) {
      if ("STAR".equals(item.path("class").asText())) {
        for (String[] c : star(item, node.path("from_table"))) {
          BoundColumn bound = columns.get(column++);
          DType t = DType.of(scope.get(c[0]).get(c[1]));
          items.add(cast(ref(c[0], c[1]), t, DType.of(bound.sqlType()), item) + " AS " + FlinkTransform.quote(
              bound.name()));
        }
        continue;
      }
      BoundColumn bound = columns.get(column++);
      items.add(cast(expr(item), typeOf(item), DType.of(bound.sqlType()), item) + " AS "
          + FlinkTransform.quote(bound.name()));
    }
    keyed = false;
    sql.append(items).append(" FROM ").append(from(node.path("from_table")));
    JsonNode where = node.get("where_clause");
    if (where != null && !where.isNull()) {
      sql.append(" WHERE ").append(condition(where));
    }
    if (!node.path("group_expressions").isEmpty()) {
      StringJoiner groups = new StringJoiner(", ");
      node.path("group_expressions").forEach(g -> groups.add(typeOf(g).kind() == Kind.DOUBLE
          ? "dataops_double_key(" + expr(g) + ")" : expr(g)));
      sql.append(" GROUP BY ").append(groups);
    }
    JsonNode having = node.get("having");
    if (having != null && !having.isNull()) {
      keyed = !doubleKeys.isEmpty();
      sql.append(" HAVING ").append(condition(having));
      keyed = false;
    }
    if (distinctDoubles) {
      StringJoiner outer = new StringJoiner(", ");
      StringJoiner keys = new StringJoiner(", ");
      for (BoundColumn c : columns) {
        String name = FlinkTransform.quote(c.name());
        boolean dbl = DType.of(c.sqlType()).kind() == Kind.DOUBLE;
        outer.add((dbl ? "dataops_max_double(" + name + ")" : name) + " AS " + name);
        keys.add(dbl ? "dataops_double_key(" + name + ")" : name);
      }
      return "SELECT " + outer + " FROM (" + sql + ") AS `__distinct` GROUP BY " + keys;
    }
    return sql.toString();
  }

  /**
   * True when {@code e} is one of the DOUBLE GROUP BY expressions: the same column, or the same expression written
   * anywhere (its place and alias aside).
   */
  private boolean isDoubleKey(JsonNode e) {
    for (JsonNode k : doubleKeys) {
      if ("COLUMN_REF".equals(e.path("class").asText()) && "COLUMN_REF".equals(k.path("class").asText())
          ? column(e).equals(column(k)) : withoutPlaces(e).equals(withoutPlaces(k))) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode withoutPlaces(JsonNode e) {
    JsonNode copy = e.deepCopy();
    strip(copy);
    return copy;
  }

  private static void strip(JsonNode e) {
    if (e instanceof ObjectNode o) {
      o.remove("query_location");
      o.remove("alias");
    }
    e.forEach(FlinkSql::strip);
  }

  private void joinConditions(JsonNode from, List<JsonNode> out) {
    if ("JOIN".equals(from.path("type").asText())) {
      out.add(from.get("condition"));
      joinConditions(from.get("left"), out);
      joinConditions(from.get("right"), out);
    }
  }

  /** The input columns a * stands for, in order: {alias, column}. */
  private List<String[]> star(JsonNode item, JsonNode from) {
    List<String> aliases = new ArrayList<>();
    tables(from, aliases);
    String relation = item.path("relation_name").asText("");
    List<String[]> out = new ArrayList<>();
    for (String alias : aliases) {
      if (relation.isEmpty() || relation.equals(alias)) {
        scope.get(alias).keySet().forEach(c -> out.add(new String[] {alias, c}));
      }
    }
    return out;
  }

  private void tables(JsonNode from, List<String> out) {
    if ("JOIN".equals(from.path("type").asText())) {
      tables(from.get("left"), out);
      tables(from.get("right"), out);
    } else {
      out.add(from.path("table_name").asText());
    }
  }

  private String from(JsonNode t) {
    if ("JOIN".equals(t.path("type").asText())) {
      JsonNode right = t.get("right");
      String r = from(right);
      if ("JOIN".equals(right.path("type").asText())) {
        r = "(" + r + ")";
      }
      String kind = "LEFT".equals(t.path("join_type").asText()) ? " LEFT JOIN " : " INNER JOIN ";
      return from(t.get("left")) + kind + r + " ON " + condition(t.get("condition"));
    }
    return FlinkTransform.quote(t.path("table_name").asText());
  }

  // ---------------------------------------------------------------- expressions

  /** A boolean expression (WHERE, HAVING, ON). */
  private String condition(JsonNode e) {
    DType t = typeOf(e);
    if (t.kind() != Kind.BOOLEAN) {
      return cast(expr(e), t, DType.BOOLEAN, e);
    }
    return expr(e);
  }

  /**
   * The expression in Flink SQL, of the Flink type of DuckDB's type for it. A DOUBLE GROUP BY expression in the select
   * list or HAVING is its group's value: the group holds values DuckDB takes as one (-0.0 and 0.0, NaNs) and gives as
   * the one it met first, Flink as {@code dataops_max_double} chooses it (0.0 if any was).
   */
  private String expr(JsonNode e) {
    boolean aggregate = "FUNCTION".equals(e.path("class").asText())
        && AGGREGATES.contains(e.path("function_name").asText());
    boolean key = keyed && aggregateDepth == 0 && !aggregate && isDoubleKey(e);
    if (aggregate || key) {
      aggregateDepth++;
    }
    try {
      String sql = plainExpr(e);
      return key ? "dataops_max_double(" + sql + ")" : sql;
    } finally {
      if (aggregate || key) {
        aggregateDepth--;
      }
    }
  }

  private String plainExpr(JsonNode e) {
    DType type = typeOf(e);
    return switch (e.path("class").asText()) {
      case "COLUMN_REF" -> column(e);
      case "CONSTANT" -> constant(e, type);
      case "CAST" -> castNode(e, type);
      case "COMPARISON" -> comparison(e);
      case "CONJUNCTION" -> {
        StringJoiner j = new StringJoiner("CONJUNCTION_AND".equals(e.path("type").asText()) ? " AND " : " OR ", "(",
            ")");
        e.path("children").forEach(c -> j.add(condition(c)));
        yield j.toString();
      }
      case "BETWEEN" -> "(" + compare(e.get("input"), ">=", e.get("lower"), e) + " AND "
          + compare(e.get("input"), "<=", e.get("upper"), e) + ")";
      case "OPERATOR" -> operator(e, type);
      case "CASE" -> caseWhen(e, type);
      case "FUNCTION" -> function(e, type);
      default -> throw fail(location(e, -1), e.path("class").asText().toLowerCase(Locale.ROOT)
          + " expressions are not in the subset the Flink engine runs");
    };
  }

  private String column(JsonNode e) {
    JsonNode parts = e.path("column_names");
    String col = parts.get(parts.size() - 1).asText();
    if (parts.size() == 2) {
      return ref(parts.get(0).asText(), col);
    }
    for (Map.Entry<String, Map<String, ColumnType>> in : scope.entrySet()) {
      if (in.getValue().containsKey(col)) {
        return ref(in.getKey(), col);
      }
    }
    throw fail(location(e, -1), "no input reads a column '" + col + "'");
  }

  private static String ref(String alias, String column) {
    return FlinkTransform.quote(alias) + "." + FlinkTransform.quote(column);
  }

  private String constant(JsonNode e, DType type) {
    JsonNode v = e.path("value");
    if (v.path("is_null").asBoolean()) {
      return "CAST(NULL AS " + type.flink() + ")";
    }
    String id = v.path("type").path("id").asText();
    JsonNode value = v.path("value");
    return switch (id) {
      case "INTEGER" -> "(" + value.asInt() + ")";
      case "BIGINT" -> "CAST(" + value.asLong() + " AS BIGINT)";
      case "HUGEINT" -> "CAST('" + new BigInteger(value.asText()) + "' AS DECIMAL(38, 0))";
      case "DECIMAL" -> {
        int width = v.path("type").path("type_info").path("width").asInt();
        int scale = v.path("type").path("type_info").path("scale").asInt();
        BigDecimal d = new BigDecimal(new BigInteger(value.asText()), scale);
        yield "CAST(" + d.toPlainString() + " AS DECIMAL(" + width + ", " + scale + "))";
      }
      case "DOUBLE" -> {
        String s = Double.toString(value.asDouble());
        yield "CAST(" + (s.contains("E") ? s : s + "E0") + " AS DOUBLE)";
      }
      case "VARCHAR" -> "CAST(" + string(value.asText()) + " AS STRING)";
      case "BOOLEAN" -> value.asBoolean() ? "TRUE" : "FALSE";
      default -> throw fail(location(e, -1), "a constant of type " + id + " is not in the subset the Flink engine "
          + "runs");
    };
  }

  private static String string(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  private String castNode(JsonNode e, DType target) {
    JsonNode child = e.get("child");
    // TRUE and FALSE reach us as CAST('t' AS BOOLEAN)
    if (target.kind() == Kind.BOOLEAN && "CONSTANT".equals(child.path("class").asText())
        && "VARCHAR".equals(child.path("value").path("type").path("id").asText())) {
      String v = child.path("value").path("value").asText();
      if (v.equals("t") || v.equals("f")) {
        return v.equals("t") ? "TRUE" : "FALSE";
      }
    }
    return cast(expr(child), typeOf(child), target, e);
  }

  /**
   * {@code sql} (of type {@code from}) as type {@code to}, with DuckDB's cast; native Flink casts only where they are
   * exact (widening integers, integers to DOUBLE, DATE and TIMESTAMP into each other).
   */
  private String cast(String sql, DType from, DType to, JsonNode at) {
    if (from.equals(to)) {
      return sql;
    }
    int where = location(at, -1);
    if (from.kind() == Kind.TIMESTAMPTZ || to.kind() == Kind.TIMESTAMPTZ) {
      throw fail(where, "a cast of a TIMESTAMP WITH TIME ZONE depends on the session time zone, which the engines do "
          + "not share; the Flink engine does not run it (keep the value as it is)");
    }
    return switch (to.kind()) {
      case VARCHAR -> {
        if (from.kind() == Kind.DOUBLE) {
          throw fail(where, "a DOUBLE turned into text is written differently by the engines (1e+20 or 1.0E20); "
              + "the Flink engine does not run it: cast it to DECIMAL(p, s) first");
        }
        yield "dataops_to_varchar(" + sql + ")";
      }
      case INTEGER -> "dataops_to_int(" + sql + ")";
      case BIGINT -> from.kind() == Kind.INTEGER ? "CAST(" + sql + " AS BIGINT)" : "dataops_to_bigint(" + sql + ")";
      case HUGEINT -> from.kind() == Kind.INTEGER || from.kind() == Kind.BIGINT ? "CAST(" + sql + " AS DECIMAL(38, 0))"
          : decimal(sql, 38, 0);
      case DOUBLE -> from.kind() == Kind.INTEGER || from.kind() == Kind.BIGINT ? "CAST(" + sql + " AS DOUBLE)"
          : "dataops_to_double(" + sql + ", " + (from.kind() == Kind.HUGEINT ? 38 : from.precision()) + ")";
      case DECIMAL -> decimal(sql, to.precision(), to.scale());
      case DATE -> from.kind() == Kind.TIMESTAMP ? "CAST(" + sql + " AS DATE)" : "dataops_to_date(" + sql + ")";
      case TIMESTAMP -> from.kind() == Kind.DATE ? "CAST(" + sql + " AS TIMESTAMP(6))"
          : "dataops_to_timestamp(" + sql + ")";
      case BOOLEAN -> "dataops_to_boolean(" + sql + ")";
      case TIMESTAMPTZ -> throw new IllegalStateException("unreachable");
    };
  }

  /** DuckDB's cast to DECIMAL(p, s), exact: its text made by DuckDB's rule, then read by Flink (which is exact). */
  private static String decimal(String sql, int precision, int scale) {
    return "CAST(dataops_to_decimal_text(" + sql + ", " + precision + ", " + scale + ") AS DECIMAL(" + precision + ", "
        + scale + "))";
  }

  private String comparison(JsonNode e) {
    String op = COMPARISONS.get(e.path("type").asText());
    if (op == null) {
      throw fail(location(e, -1), "comparison " + e.path("type").asText() + " is not in the subset the Flink engine "
          + "runs");
    }
    return compare(e.get("left"), op, e.get("right"), e);
  }

  /** {@code left op right}, both made the type DuckDB compares them in. */
  private String compare(JsonNode left, String op, JsonNode right, JsonNode at) {
    DType common = common(List.of(left, right), at);
    if (common.kind() == Kind.DOUBLE) {
      return doubleComparison(operand(left, common), op, operand(right, common));
    }
    return "(" + operand(left, common) + " " + op + " " + operand(right, common) + ")";
  }

  /**
   * A comparison of DOUBLEs in DuckDB's order ({@link DuckSemantics#compareDouble}: NaN equals NaN and is above every
   * other value; -0.0 equals 0.0), where Flink's operators say NaN is neither equal, greater nor less.
   */
  private static String doubleComparison(String left, String op, String right) {
    return switch (op) {
      case "IS NOT DISTINCT FROM" -> "dataops_not_distinct_double(" + left + ", " + right + ")";
      case "IS DISTINCT FROM" -> "(NOT dataops_not_distinct_double(" + left + ", " + right + "))";
      default -> "(dataops_compare_double(" + left + ", " + right + ") " + op + " 0)";
    };
  }

  /**
   * The type DuckDB compares (or chooses among) values of in: their own when they agree; a text constant takes the
   * other side's type; DOUBLE when one is DOUBLE; exact numbers compare as they are (both engines compare them
   * exactly); TIMESTAMP for a DATE and a TIMESTAMP.
   */
  private DType common(List<JsonNode> values, JsonNode at) {
    DType common = null;
    for (JsonNode v : values) {
      DType t = typeOf(v);
      if (isTextConstant(v) && values.size() > 1) {
        continue;
      }
      common = common == null ? t : widen(common, t, at);
    }
    return common == null ? DType.VARCHAR : common;
  }

  private static boolean isTextConstant(JsonNode v) {
    return "CONSTANT".equals(v.path("class").asText())
        && "VARCHAR".equals(v.path("value").path("type").path("id").asText());
  }

  private DType widen(DType a, DType b, JsonNode at) {
    if (a.equals(b)) {
      return a;
    }
    if (a.numeric() && b.numeric()) {
      if (a.kind() == Kind.DOUBLE || b.kind() == Kind.DOUBLE) {
        return DType.DOUBLE;
      }
      if (a.kind() == Kind.DECIMAL || b.kind() == Kind.DECIMAL || a.kind() == Kind.HUGEINT
          || b.kind() == Kind.HUGEINT) {
        return a.kind() == Kind.DECIMAL ? a : b; // exact comparison: no cast needed, Flink compares exactly
      }
      return DType.BIGINT;
    }
    if (a.kind() == Kind.DATE && b.kind() == Kind.TIMESTAMP || a.kind() == Kind.TIMESTAMP && b.kind() == Kind.DATE) {
      return DType.TIMESTAMP;
    }
    throw fail(location(at, -1), "values of types " + a + " and " + b + " are compared; the Flink engine compares "
        + "only values of one type (cast one of them)");
  }

  /** For exact numbers of different kinds the comparison is left to Flink, which compares them exactly. */
  private String operand(JsonNode v, DType common) {
    DType t = typeOf(v);
    if (t.exact() && common.exact()) {
      return expr(v);
    }
    return cast(expr(v), t, common, v);
  }

  private String operator(JsonNode e, DType type) {
    JsonNode children = e.path("children");
    return switch (e.path("type").asText()) {
      case "OPERATOR_NOT" -> "(NOT " + condition(children.get(0)) + ")";
      case "OPERATOR_IS_NULL" -> "(" + expr(children.get(0)) + " IS NULL)";
      case "OPERATOR_IS_NOT_NULL" -> "(" + expr(children.get(0)) + " IS NOT NULL)";
      case "COMPARE_IN", "COMPARE_NOT_IN" -> {
        List<JsonNode> all = new ArrayList<>();
        children.forEach(all::add);
        DType common = common(all, e);
        boolean in = "COMPARE_IN".equals(e.path("type").asText());
        if (common.kind() == Kind.DOUBLE) { // x IN (a, b) is x = a OR x = b, in DuckDB's order
          String x = operand(all.get(0), common);
          StringJoiner any = new StringJoiner(" OR ", "(", ")");
          for (int i = 1; i < all.size(); i++) {
            any.add(doubleComparison(x, "=", operand(all.get(i), common)));
          }
          yield in ? any.toString() : "(NOT " + any + ")";
        }
        StringJoiner values = new StringJoiner(", ", "(", ")");
        for (int i = 1; i < all.size(); i++) {
          values.add(operand(all.get(i), common));
        }
        yield "(" + operand(all.get(0), common) + ("COMPARE_IN".equals(e.path("type").asText()) ? " IN " : " NOT IN ")
            + values + ")";
      }
      case "OPERATOR_COALESCE" -> {
        StringJoiner args = new StringJoiner(", ", "COALESCE(", ")");
        children.forEach(c -> args.add(cast(expr(c), typeOf(c), type, c)));
        yield args.toString();
      }
      default -> throw fail(location(e, -1), "operator " + e.path("type").asText() + " is not in the subset the Flink "
          + "engine runs");
    };
  }

  private String caseWhen(JsonNode e, DType type) {
    StringBuilder s = new StringBuilder("CASE");
    for (JsonNode c : e.path("case_checks")) {
      s.append(" WHEN ").append(condition(c.get("when_expr"))).append(" THEN ")
          .append(cast(expr(c.get("then_expr")), typeOf(c.get("then_expr")), type, c.get("then_expr")));
    }
    JsonNode otherwise = e.get("else_expr");
    s.append(" ELSE ").append(cast(expr(otherwise), typeOf(otherwise), type, otherwise)).append(" END");
    return s.toString();
  }

  private String function(JsonNode e, DType type) {
    String name = e.path("function_name").asText();
    List<JsonNode> args = new ArrayList<>();
    e.path("children").forEach(args::add);
    int at = location(e, -1);
    boolean distinct = e.path("distinct").asBoolean();
    return switch (name) {
      case "upper", "lower", "length", "char_length" -> "dataops_" + (name.equals("char_length") ? "length" : name)
          + "(" + text(args.get(0)) + ")";
      case "trim", "ltrim", "rtrim" -> "dataops_" + name + "(" + text(args.get(0))
          + (args.size() > 1 ? ", " + text(args.get(1)) : "") + ")";
      case "substring", "substr" -> "dataops_substring(" + text(args.get(0)) + ", " + as(args.get(1), DType.BIGINT)
          + (args.size() > 2 ? ", " + as(args.get(2), DType.BIGINT) : "") + ")";
      case "concat" -> {
        StringJoiner j = new StringJoiner(", ", "dataops_concat(", ")");
        args.forEach(a -> j.add(text(a)));
        yield j.toString();
      }
      case "||" -> "(" + text(args.get(0)) + " || " + text(args.get(1)) + ")";
      case "replace" -> "dataops_replace(" + text(args.get(0)) + ", " + text(args.get(1)) + ", " + text(args.get(2))
          + ")";
      case "nullif" -> {
        yield "CASE WHEN " + compare(args.get(0), "=", args.get(1), e) + " THEN CAST(NULL AS " + type.flink()
            + ") ELSE " + cast(expr(args.get(0)), typeOf(args.get(0)), type, args.get(0)) + " END";
      }
      case "~~", "!~~" -> (name.equals("!~~") ? "(NOT " : "(") + "dataops_like(" + text(args.get(0)) + ", "
          + text(args.get(1)) + "))";
      case "abs" -> switch (type.kind()) {
        case INTEGER -> "dataops_abs_int(" + as(args.get(0), type) + ")";
        case BIGINT -> "dataops_abs_bigint(" + as(args.get(0), type) + ")";
        case DOUBLE -> "ABS(" + as(args.get(0), type) + ")";
        case DECIMAL -> exactDecimal("ABS(" + expr(args.get(0)) + ")", type);
        default -> throw fail(at, "abs of a " + type + " is not in the subset the Flink engine runs");
      };
      case "round" -> round(e, args, type);
      case "floor", "ceil", "ceiling" -> {
        DType arg = typeOf(args.get(0));
        String fn = name.equals("floor") ? "FLOOR" : "CEIL";
        if (arg.integral()) {
          yield cast(expr(args.get(0)), arg, type, args.get(0));
        }
        if (arg.kind() == Kind.DOUBLE) {
          yield fn + "(" + expr(args.get(0)) + ")";
        }
        if (arg.kind() == Kind.DECIMAL) {
          yield exactDecimal(fn + "(" + expr(args.get(0)) + ")", type);
        }
        throw fail(at, name + " of a " + arg + " is not in the subset the Flink engine runs");
      }
      case "year", "month", "day", "quarter" -> datePart(name, args.get(0), at);
      case "date_part" -> datePart(args.get(0).path("value").path("value").asText().toLowerCase(Locale.ROOT),
          args.get(1), at);
      case "count_star" -> "COUNT(*)";
      case "count" -> "COUNT(" + (distinct ? "DISTINCT " : "") + (distinct && typeOf(args.get(0)).kind()
          == Kind.DOUBLE ? "dataops_double_key(" + expr(args.get(0)) + ")" : expr(args.get(0))) + ")";
      case "min", "max" -> typeOf(args.get(0)).kind() == Kind.DOUBLE // DuckDB's order: NaN largest, -0.0 = 0.0
          ? "dataops_" + name + "_double(" + expr(args.get(0)) + ")"
          : name.toUpperCase(Locale.ROOT) + "(" + expr(args.get(0)) + ")";
      case "sum" -> {
        DType arg = typeOf(args.get(0));
        if (arg.kind() == Kind.DECIMAL) { // exact, and failing where DuckDB's 128-bit sum overflows (Flink: NULL)
          yield cast("CAST(dataops_sum_exact(" + expr(args.get(0)) + ", " + arg.scale() + ") AS DECIMAL(38, "
              + arg.scale() + "))", DType.decimal(38, arg.scale()), type, e);
        }
        if (arg.kind() == Kind.DOUBLE) { // DuckDB's sum starts from 0.0: never -0.0
          yield cast("dataops_double_key(SUM(" + expr(args.get(0)) + "))", DType.DOUBLE, type, e);
        }
        if (arg.integral() && type.kind() == Kind.HUGEINT) {
          yield "CAST(dataops_sum_exact(" + expr(args.get(0)) + ", 0) AS DECIMAL(38, 0))";
        }
        throw fail(at, "sum of a " + arg + " is not in the subset the Flink engine runs");
      }
      case "avg" -> {
        DType arg = typeOf(args.get(0));
        if (arg.kind() == Kind.DOUBLE && type.kind() == Kind.DOUBLE) {
          yield "AVG(" + expr(args.get(0)) + ")";
        }
        if (arg.kind() == Kind.DECIMAL && arg.precision() <= 18 && type.kind() == Kind.DOUBLE) {
          yield "dataops_avg_decimal(" + expr(args.get(0)) + ", " + arg.precision() + ")";
        }
        throw fail(at, "avg of a " + arg + " is not in the subset the Flink engine runs the same way (a DOUBLE, or "
            + "a DECIMAL of at most 18 digits)");
      }
      case "+", "-", "*" -> arithmetic(name, args, type, at);
      case "/" -> {
        if (type.kind() != Kind.DOUBLE) {
          throw fail(at, "a division giving " + type + " is not in the subset the Flink engine runs");
        }
        yield "(" + as(args.get(0), DType.DOUBLE) + " / " + as(args.get(1), DType.DOUBLE) + ")";
      }
      case "%" -> {
        if (type.kind() == Kind.DOUBLE) {
          yield "dataops_fmod(" + as(args.get(0), type) + ", " + as(args.get(1), type) + ")";
        }
        if (type.kind() == Kind.INTEGER || type.kind() == Kind.BIGINT) { // DuckDB: x % 0 is NULL
          String divisor = as(args.get(1), type);
          yield "CASE WHEN " + divisor + " = 0 THEN CAST(NULL AS " + type.flink() + ") ELSE MOD(" + as(args.get(0),
              type) + ", " + divisor + ") END";
        }
        throw fail(at, "% of " + type + " values is not in the subset the Flink engine runs (INTEGER, BIGINT, DOUBLE)");
      }
      default -> throw fail(at, "function " + name + "() is not in the subset the Flink engine runs");
    };
  }

  /** An argument as text (DuckDB casts what string functions are given to VARCHAR). */
  private String text(JsonNode arg) {
    return as(arg, DType.VARCHAR);
  }

  private String as(JsonNode arg, DType type) {
    return cast(expr(arg), typeOf(arg), type, arg);
  }

  /** A DECIMAL computed by Flink (exactly), made DuckDB's DECIMAL type (refused if it does not fit, as DuckDB would). */
  private static String exactDecimal(String sql, DType type) {
    return decimal(sql, type.precision(), type.scale());
  }

  private String round(JsonNode e, List<JsonNode> args, DType type) {
    int at = location(e, -1);
    DType arg = typeOf(args.get(0));
    if (arg.kind() == Kind.DOUBLE) {
      return "dataops_round(" + expr(args.get(0)) + (args.size() > 1 ? ", " + as(args.get(1), DType.INTEGER) : "")
          + ")";
    }
    Integer places = args.size() == 1 ? Integer.valueOf(0) : constantInt(args.get(1));
    if (places == null || places < 0) {
      throw fail(at, "round of a " + arg + " to a negative or computed number of places is not in the subset the "
          + "Flink engine runs");
    }
    if (arg.integral()) {
      return cast(expr(args.get(0)), arg, type, args.get(0));
    }
    if (arg.kind() == Kind.DECIMAL) { // both round half away from zero, exactly
      return exactDecimal("ROUND(" + expr(args.get(0)) + ", " + places + ")", type);
    }
    throw fail(at, "round of a " + arg + " is not in the subset the Flink engine runs");
  }

  private static Integer constantInt(JsonNode e) {
    if ("CONSTANT".equals(e.path("class").asText()) && "INTEGER".equals(e.path("value").path("type").path("id")
        .asText())) {
      return e.path("value").path("value").asInt();
    }
    if ("FUNCTION".equals(e.path("class").asText()) && "-".equals(e.path("function_name").asText())
        && e.path("children").size() == 1) {
      Integer v = constantInt(e.path("children").get(0));
      return v == null ? null : -v;
    }
    return null;
  }

  private String datePart(String part, JsonNode arg, int at) {
    DType t = typeOf(arg);
    if (t.kind() == Kind.TIMESTAMPTZ) {
      throw fail(at, "a date part of a TIMESTAMP WITH TIME ZONE depends on the session time zone, which the engines "
          + "do not share; the Flink engine does not run it");
    }
    if (t.kind() != Kind.DATE && t.kind() != Kind.TIMESTAMP) {
      throw fail(at, "date parts are taken of DATE and TIMESTAMP values on the Flink engine, not of " + t);
    }
    return "EXTRACT(" + part.toUpperCase(Locale.ROOT) + " FROM " + expr(arg) + ")";
  }

  private String arithmetic(String op, List<JsonNode> args, DType type, int at) {
    String name = switch (op) {
      case "+" -> "add";
      case "-" -> "subtract";
      default -> "multiply";
    };
    if (args.size() == 1) {
      if (!op.equals("-")) {
        return expr(args.get(0));
      }
      return switch (type.kind()) {
        case INTEGER -> "dataops_negate_int(" + as(args.get(0), type) + ")";
        case BIGINT -> "dataops_negate_bigint(" + as(args.get(0), type) + ")";
        case DOUBLE -> "(- " + as(args.get(0), type) + ")";
        case DECIMAL, HUGEINT -> exactDecimal("(- " + expr(args.get(0)) + ")", type.kind() == Kind.HUGEINT
            ? DType.decimal(38, 0) : type);
        default -> throw fail(at, "negation of a " + type + " is not in the subset the Flink engine runs");
      };
    }
    return switch (type.kind()) {
      case INTEGER -> "dataops_" + name + "_int(" + as(args.get(0), type) + ", " + as(args.get(1), type) + ")";
      case BIGINT -> "dataops_" + name + "_bigint(" + as(args.get(0), type) + ", " + as(args.get(1), type) + ")";
      case DOUBLE -> "(" + as(args.get(0), type) + " " + op + " " + as(args.get(1), type) + ")";
      case DECIMAL, HUGEINT -> {
        for (JsonNode a : args) {
          if (!typeOf(a).exact()) {
            throw fail(at, "arithmetic of a " + typeOf(a) + " into " + type + " is not in the subset the Flink engine "
                + "runs");
          }
        }
        // ours, not Flink's operator: Flink's result type may round to fewer places, and an overflow becomes NULL
        DType t = type.kind() == Kind.HUGEINT ? DType.decimal(38, 0) : type;
        yield "CAST(dataops_decimal_arithmetic('" + op + "', " + expr(args.get(0)) + ", " + expr(args.get(1)) + ", "
            + t.precision() + ", " + t.scale() + ") AS DECIMAL(" + t.precision() + ", " + t.scale() + "))";
      }
      default -> throw fail(at, "arithmetic on " + type + " values (date arithmetic) is not in the subset the Flink "
          + "engine runs");
    };
  }

  // ---------------------------------------------------------------- lines

  private static int location(JsonNode e, int fallback) {
    JsonNode q = e == null ? null : e.path("query_location");
    if (q == null || q.isMissingNode() || q.isNull()) {
      return fallback;
    }
    long v = q.asLong(-1);
    return v < 0 || v > Integer.MAX_VALUE ? fallback : (int) v;
  }

  private int lineOf(int offset) {
    int o = offset - shift;
    if (o < 0) {
      return firstLine;
    }
    int line = firstLine;
    for (int i = 0; i < Math.min(o, text.length()); i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  private PipelineException fail(int offset, String problem) {
    return new PipelineException(source, lineOf(offset), what + ": " + problem + " (engine " + ENGINE + ")");
  }
}
