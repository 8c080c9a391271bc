package io.dataops.pipelines.definition;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.types.ColumnType;
import io.dataops.lakehouse.types.ValueType;
import io.dataops.pipelines.sql.DuckDbConnections;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;

/**
 * A row filter on one table that is not written in a pipeline (a grant's): checked exactly as an input's filter is —
 * one boolean expression over the table's columns in the SQL subset both engines run, bound by DuckDB against the
 * table's current schema — so that an executor can apply it on either engine.
 */
public final class RowFilters {
  private RowFilters() {}

  /**
   * Throws {@link PipelineException} naming {@code source} and {@code line} when the filter is not such an expression;
   * gives the columns it reads, typed as pipelines read them.
   */
  public static Map<String, ColumnType> check(Lakehouse lakehouse, TableIdentifier table, String filter,
      String source, int line) {
    Schema schema = lakehouse.load(table).schema();
    String alias = table.name();
    Map<String, ValueType> types = new LinkedHashMap<>();
    Map<String, ColumnType> typed = new LinkedHashMap<>();
    StringBuilder ddl = new StringBuilder("CREATE TABLE \"" + alias + "\" (");
    for (Types.NestedField f : schema.columns()) {
      ColumnType t = ColumnType.fromIceberg(f.type());
      if (t == null) {
        continue; // a type pipelines do not read cannot be filtered on either
      }
      ddl.append(types.isEmpty() ? "" : ", ").append('"').append(f.name()).append("\" ").append(t.sql());
      types.put(f.name(), t.type());
      typed.put(f.name(), t);
    }
    try (Connection duck = DuckDbConnections.open()) {
      try (Statement s = duck.createStatement()) {
        s.execute(ddl.append(')').toString());
      }
      List<String> read = SqlSubset.checkFilter(duck, source, alias, filter, line, types);
      PipelineValidator.bindFilter(duck, source, "\"" + alias + "\"", filter, line);
      Map<String, ColumnType> out = new LinkedHashMap<>();
      read.forEach(c -> out.put(c, typed.get(c)));
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("DuckDB failed while checking a filter of " + table, e);
    }
  }

  /**
   * The rows a view keeps: the grant's row filter, applied here whatever the pipeline's own filter says (defence in
   * depth), and the pipeline's. Both were checked as one boolean expression in the SQL subset; each ends on its own
   * line, so a trailing comment in one cannot swallow what follows it.
   */
  public static String where(String grantFilter, String inputFilter) {
    List<String> parts = new java.util.ArrayList<>();
    for (String f : new String[] {grantFilter, inputFilter}) {
      if (f != null && !f.isBlank()) {
        parts.add("(" + f + "\n)");
      }
    }
    return parts.isEmpty() ? "" : " WHERE " + String.join(" AND ", parts);
  }
}
