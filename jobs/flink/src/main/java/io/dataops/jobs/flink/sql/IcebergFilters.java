package io.dataops.jobs.flink.sql;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.lakehouse.types.ColumnType;
import io.dataops.lakehouse.types.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;

/**
 * A row filter (DuckDB's parse tree of it) as an Iceberg expression the reader pushes down, so that data files and
 * row groups outside it are skipped and Iceberg drops rows outside it as it reads. Only what means the same in
 * Iceberg converts — comparisons, IN and IS [NOT] NULL of a text or integer column with literals of its kind, joined
 * by AND and OR — and the rest stands for "any row": the expression may keep more rows than the filter, never fewer.
 * The filter itself is always evaluated on every row afterwards, in the input's view.
 */
final class IcebergFilters {
  private static final Map<String, String> FLIPPED = Map.of("COMPARE_LESSTHAN", "COMPARE_GREATERTHAN",
      "COMPARE_GREATERTHAN", "COMPARE_LESSTHAN", "COMPARE_LESSTHANOREQUALTO", "COMPARE_GREATERTHANOREQUALTO",
      "COMPARE_GREATERTHANOREQUALTO", "COMPARE_LESSTHANOREQUALTO", "COMPARE_EQUAL", "COMPARE_EQUAL");

  private IcebergFilters() {}

  /** The pushed-down form of {@code where} over {@code columns}; {@code alwaysTrue()} when nothing converts. */
  static Expression of(JsonNode where, Map<String, ColumnType> columns) {
    Expression e = convert(where, columns);
    return e == null ? Expressions.alwaysTrue() : e;
  }

  /** Null: no Iceberg expression keeps (at least) the same rows. */
  private static Expression convert(JsonNode e, Map<String, ColumnType> columns) {
    String cls = e.path("class").asText();
    String type = e.path("type").asText();
    switch (cls) {
      case "CONJUNCTION" -> {
        boolean and = "CONJUNCTION_AND".equals(type);
        Expression out = null;
        for (JsonNode c : e.path("children")) {
          Expression x = convert(c, columns);
          if (x == null && !and) {
            return null; // one branch of an OR that cannot be pushed down may keep any row
          }
          if (x != null) {
            out = out == null ? x : and ? Expressions.and(out, x) : Expressions.or(out, x);
          }
        }
        return out;
      }
      case "COMPARISON" -> {
        JsonNode left = e.get("left");
        JsonNode right = e.get("right");
        String op = type;
        if (isConstant(left) && !isConstant(right)) {
          JsonNode t = left;
          left = right;
          right = t;
          op = FLIPPED.get(op);
        }
        String column = column(left, columns);
        Object value = column == null || op == null ? null : literal(right, columns.get(column));
        if (value == null) {
          return null;
        }
        return switch (op) {
          case "COMPARE_EQUAL" -> Expressions.equal(column, value);
          case "COMPARE_LESSTHAN" -> Expressions.lessThan(column, value);
          case "COMPARE_GREATERTHAN" -> Expressions.greaterThan(column, value);
          case "COMPARE_LESSTHANOREQUALTO" -> Expressions.lessThanOrEqual(column, value);
          case "COMPARE_GREATERTHANOREQUALTO" -> Expressions.greaterThanOrEqual(column, value);
          default -> null;
        };
      }
      case "OPERATOR" -> {
        JsonNode children = e.path("children");
        String column = children.isEmpty() ? null : column(children.get(0), columns);
        if (column == null) {
          return null;
        }
        if ("OPERATOR_IS_NULL".equals(type)) {
          return Expressions.isNull(column);
        }
        if ("OPERATOR_IS_NOT_NULL".equals(type)) {
          return Expressions.notNull(column);
        }
        if (!"COMPARE_IN".equals(type)) {
          return null;
        }
        List<Object> values = new ArrayList<>();
        for (int i = 1; i < children.size(); i++) {
          Object v = literal(children.get(i), columns.get(column));
          if (v == null) {
            return null;
          }
          values.add(v);
        }
        return Expressions.in(column, values);
      }
      default -> {
        return null;
      }
    }
  }

  private static boolean isConstant(JsonNode e) {
    return "CONSTANT".equals(e.path("class").asText());
  }

  /** The column a reference names, when it is one the filter's table has and of a kind that converts. */
  private static String column(JsonNode e, Map<String, ColumnType> columns) {
    if (!"COLUMN_REF".equals(e.path("class").asText())) {
      return null;
    }
    JsonNode parts = e.path("column_names");
    String name = parts.get(parts.size() - 1).asText();
    ColumnType t = columns.get(name);
    return t != null && (t.type() == ValueType.STRING || t.type() == ValueType.INT || t.type() == ValueType.LONG)
        ? name : null;
  }

  /** A literal of the column's kind (text for text, an integer for an integer), else null. */
  private static Object literal(JsonNode e, ColumnType column) {
    if (!isConstant(e) || e.path("value").path("is_null").asBoolean()) {
      return null;
    }
    String id = e.path("value").path("type").path("id").asText();
    JsonNode v = e.path("value").path("value");
    if (column.type() == ValueType.STRING) {
      return "VARCHAR".equals(id) ? v.asText() : null;
    }
    return switch (id) {
      case "TINYINT", "SMALLINT", "INTEGER", "BIGINT" -> v.canConvertToLong() ? v.asLong() : null;
      default -> null;
    };
  }
}
