package io.dataops.pipelines.definition;

import io.dataops.core.BadInputException;
import io.dataops.lakehouse.types.ColumnType;
import io.dataops.lakehouse.types.ValueType;
import io.dataops.pipelines.sql.DuckDbConnections;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types.NestedField;

/**
 * A query over one table's snapshot under the restrictions of pipeline SQL (for GX's unexpected_rows_expectation):
 * the text must be in the {@link SqlSubset} both engines run, with the table as the input named {@code alias}; it runs
 * in DuckDB over the snapshot's Parquet files only, locked as the Spring Batch transform is (no other file, no
 * external access, the configuration locked), within a memory limit. Only the first {@code limit} rows are kept.
 */
public final class RowsQuery {
  private RowsQuery() {}

  /**
   * The rows found: column names, the first rows (numbers and booleans as themselves, other values as text), how
   * many rows the query gave in all, and per output column the input columns whose values it carries.
   */
  public record Rows(List<String> columns, List<List<Object>> rows, long count, Map<String, List<String>> carried) {}

  public static Rows run(Table table, Snapshot snapshot, Schema schema, String alias, String sql, String source,
      int line, int limit, Path spill) {
    Map<String, ColumnType> columns = new LinkedHashMap<>();
    for (NestedField f : schema.columns()) {
      ColumnType t = ColumnType.fromIceberg(f.type());
      if (t != null) {
        columns.put(f.name(), t);
      }
    }
    List<String> files = snapshot == null ? List.of() : files(table, snapshot);
    Properties props = new Properties();
    props.setProperty("jdbc_stream_results", "true");
    try (Connection duck = DuckDbConnections.open(props)) {
      java.nio.file.Files.createDirectories(spill);
      try (Statement s = duck.createStatement()) {
        s.execute("SET memory_limit = '256MB'");
        s.execute("SET threads = 2");
        s.execute("SET temp_directory = '" + spill.toString().replace("'", "''") + "'");
        s.execute("SET enable_progress_bar = false");
        s.execute(view(alias, columns, files));
      }
      Map<String, ValueType> types = new LinkedHashMap<>();
      columns.forEach((c, t) -> types.put(c, t.type()));
      SqlSubset.Analysis analysis = SqlSubset.analyze(duck, source, sql, line, Map.of(alias, types));
      Map<String, List<String>> carried = new LinkedHashMap<>();
      for (SqlSubset.OutputColumn c : analysis.columns()) {
        carried.put(c.name(), c.sources().stream().filter(SqlSubset.Source::carrying).map(SqlSubset.Source::column)
            .distinct().toList());
      }
      try (Statement s = duck.createStatement()) {
        s.execute("SET allowed_paths = [" + files.stream().map(f -> "'" + f.replace("'", "''") + "'")
            .collect(Collectors.joining(", ")) + "]");
        s.execute("SET allowed_directories = ['" + spill.toAbsolutePath().toString().replace("'", "''") + "/']");
        s.execute("SET enable_external_access = false");
        s.execute("SET lock_configuration = true");
      }
      return rows(duck, sql, limit, carried);
    } catch (SQLException e) {
      // Only DuckDB's kind of error: its message may quote a value of the table (a failed conversion).
      throw new BadInputException(source + ":" + line + ": the query failed in DuckDB (" + kind(e.getMessage()) + ")");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Rows rows(Connection duck, String sql, int limit, Map<String, List<String>> carried)
      throws SQLException {
    try (Statement s = duck.createStatement(); ResultSet r = s.executeQuery(sql)) {
      ResultSetMetaData meta = r.getMetaData();
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        names.add(meta.getColumnLabel(i));
      }
      List<List<Object>> kept = new ArrayList<>();
      long count = 0;
      while (r.next()) {
        if (count++ < limit) {
          List<Object> row = new ArrayList<>();
          for (int i = 1; i <= names.size(); i++) {
            Object v = r.getObject(i);
            row.add(v == null || v instanceof Number || v instanceof Boolean ? normalized(v) : String.valueOf(v));
          }
          kept.add(row);
        }
      }
      return new Rows(names, kept, count, carried);
    }
  }

  private static Object normalized(Object v) {
    return v instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString() : v;
  }

  private static String view(String alias, Map<String, ColumnType> columns, List<String> files) {
    String typed = columns.entrySet().stream()
        .map(e -> "CAST(" + quote(e.getKey()) + " AS " + e.getValue().sql() + ") AS " + quote(e.getKey()))
        .collect(Collectors.joining(", "));
    if (files.isEmpty()) {
      return "CREATE TABLE " + alias + " AS SELECT " + columns.entrySet().stream()
          .map(e -> "CAST(NULL AS " + e.getValue().sql() + ") AS " + quote(e.getKey()))
          .collect(Collectors.joining(", ")) + " WHERE false";
    }
    return "CREATE VIEW " + alias + " AS SELECT " + typed + " FROM read_parquet([" + files.stream()
        .map(f -> "'" + f.replace("'", "''") + "'").collect(Collectors.joining(", ")) + "], union_by_name = true)";
  }

  private static String quote(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /** The snapshot's data files as local paths; row-level deletes are refused, as pipelines refuse them. */
  private static List<String> files(Table table, Snapshot snapshot) {
    List<String> out = new ArrayList<>();
    io.dataops.pipelines.plan.LocalFiles local = io.dataops.pipelines.plan.LocalFiles.of(table.io());
    try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(snapshot.snapshotId()).planFiles()) {
      for (FileScanTask t : tasks) {
        if (!t.deletes().isEmpty()) {
          throw new BadInputException(table.name() + " has row-level deletes, which queries do not read; rewrite the "
              + "table's data files first");
        }
        out.add(t.file().location());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(null); // by location, as the engines read them, whatever names their local copies have
    return local.paths(out, "queries");
  }

  private static String kind(String message) {
    String m = message == null ? "" : message;
    int colon = m.indexOf(':');
    return colon > 0 && colon < 40 ? m.substring(0, colon) : "error";
  }
}
