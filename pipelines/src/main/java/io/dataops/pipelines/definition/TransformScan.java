package io.dataops.pipelines.definition;

import io.dataops.core.BadInputException;
import io.dataops.core.files.OwnerOnly;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.types.ColumnType;
import io.dataops.pipelines.definition.BoundPipeline.BoundInput;
import io.dataops.pipelines.plan.LocalFiles;
import io.dataops.pipelines.plan.PinnedInput;
import io.dataops.pipelines.sql.DuckDbConnections;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Some columns of a pipeline's transform over its pinned input snapshots, streamed from DuckDB for a check that reads
 * the data apart from the engines' passes (the validator's measure of undeclared quasi-identifiers, a population
 * table's people for the journalist risk). DuckDB is locked as the Spring
 * Batch transform is (only the pinned files, spilling to {@code spill} within a memory limit, no external access, the
 * configuration locked). Values come typed as the row function takes them.
 */
public final class TransformScan implements AutoCloseable {
  private final Connection duck;
  private final Statement statement;
  private final ResultSet rows;
  private final List<ColumnType> types;
  private final Object[] row;

  /** Over the inputs' pinned snapshots in the lakehouse ({@code pinned}: each input's data files, in input order). */
  static TransformScan of(Lakehouse lakehouse, List<PinnedInput> pinned, String sql, List<String> columns,
      List<ColumnType> types, Path spill, String source, int line) {
    Located at = Located.of(lakehouse, pinned);
    return new TransformScan(at.inputs(), at.files(), sql, columns, types, spill, source, line);
  }

  /** The inputs and, for each, its pinned data files as local paths DuckDB reads. */
  private record Located(List<BoundInput> inputs, List<List<String>> files) {
    static Located of(Lakehouse lakehouse, List<PinnedInput> pinned) {
      LocalFiles local = LocalFiles.of(lakehouse.io());
      List<BoundInput> inputs = new ArrayList<>();
      List<List<String>> files = new ArrayList<>();
      for (PinnedInput in : pinned) {
        inputs.add(in.input());
        files.add(local.paths(in.dataFiles(), "the validator"));
      }
      return new Located(inputs, files);
    }
  }

  /**
   * @param files each input's pinned data files, as local paths
   * @param columns the result columns to read, with their types
   * @param source, line where an error is reported (the pipeline file and the SQL's line)
   */
  public TransformScan(List<BoundInput> inputs, List<List<String>> files, String sql, List<String> columns,
      List<ColumnType> types, Path spill, String source, int line) {
    this.types = List.copyOf(types);
    this.row = new Object[columns.size()];
    Connection c = null;
    Statement st = null;
    ResultSet rs = null;
    try {
      c = openLocked(inputs, files, spill, true);
      st = c.createStatement();
      rs = st.executeQuery("SELECT " + columns.stream().map(TransformScan::quote)
          .collect(Collectors.joining(", ")) + " FROM (" + sql + "\n) AS transform_result");
    } catch (SQLException e) {
      closeAll(rs, st, c);
      // DuckDB's kind of error only: its message may quote a value of the input
      throw failed(source, line, e);
    } catch (IOException e) {
      closeAll(rs, st, c);
      throw new UncheckedIOException(e);
    }
    this.duck = c;
    this.statement = st;
    this.rows = rs;
  }

  /**
   * For each of {@code columns}, the size of its smallest group of rows sharing one value (a null is a value too),
   * in one grouped query DuckDB runs over the transform: the distinct {@code person} values counted up to {@code k}
   * (a null person counts as one), else the sum of {@code weight} (a null weight is 0), else the rows. A column with
   * no rows is absent. Only counts leave DuckDB. For columns whose values the product shows as they are and whose
   * types DuckDB compares as the validator's row-by-row measure does.
   */
  static Map<String, Long> smallestGroups(Lakehouse lakehouse, List<PinnedInput> pinned, String sql,
      List<String> columns, List<ColumnType> types, String person, ColumnType personType, String weight, int k,
      Path spill, String source, int line) {
    Located at = Located.of(lakehouse, pinned);
    // The values under names of their own (c0, c1, ..., p, w); texts as their UTF-8 bytes, so that a collation the
    // transform gave them (COLLATE NOCASE) cannot merge values the product shows apart.
    List<String> values = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      values.add(exact(columns.get(i), types.get(i)) + " AS c" + i);
    }
    if (person != null) {
      values.add(exact(person, personType) + " AS p");
    } else if (weight != null) {
      values.add(quote(weight) + " AS w");
    }
    String size = person != null ? "least(count(DISTINCT p) + max(CASE WHEN p IS NULL THEN 1 ELSE 0 END), " + k + ")"
        : weight != null ? "sum(coalesce(CAST(w AS BIGINT), 0))" : "count(*)";
    List<String> names = java.util.stream.IntStream.range(0, columns.size()).mapToObj(i -> "c" + i).toList();
    // GROUPING(c0, c1, ...) has a bit set for each column a row is not grouped by, c0's bit highest
    String query = "SELECT g, CAST(min(n) AS BIGINT) FROM (SELECT GROUPING(" + String.join(", ", names) + ") AS g, "
        + size + " AS n FROM (SELECT " + String.join(", ", values) + " FROM (" + sql + "\n) AS transform_result) AS v "
        + "GROUP BY GROUPING SETS (" + names.stream().map(c -> "(" + c + ")").collect(Collectors.joining(", "))
        + ")) AS groups GROUP BY g";
    long everyBit = (1L << columns.size()) - 1;
    Map<Long, Long> byGrouping = new java.util.HashMap<>();
    try (Connection c = openLocked(at.inputs(), at.files(), spill, false); Statement s = c.createStatement();
        ResultSet r = s.executeQuery(query)) {
      while (r.next()) {
        byGrouping.put(r.getLong(1), r.getLong(2));
      }
    } catch (SQLException e) {
      throw failed(source, line, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Long> out = new LinkedHashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      Long n = byGrouping.get(everyBit & ~(1L << (columns.size() - 1 - i)));
      if (n != null) {
        out.put(columns.get(i), n);
      }
    }
    return out;
  }

  /** A column as a value DuckDB compares exactly: a text as its bytes, whatever collation it carries. */
  private static String exact(String column, ColumnType type) {
    return type.type() == io.dataops.lakehouse.types.ValueType.STRING ? "encode(" + quote(column) + ")"
        : quote(column);
  }

  /**
   * An in-memory DuckDB that sees only the inputs' pinned files, as views under their aliases, and spills to
   * {@code spill} within a memory limit: no external access, the configuration locked.
   */
  private static Connection openLocked(List<BoundInput> inputs, List<List<String>> files, Path spill,
      boolean streamResults) throws IOException, SQLException {
    OwnerOnly.directories(spill);
    Properties props = new Properties();
    if (streamResults) {
      props.setProperty("jdbc_stream_results", "true");
    }
    Connection duck = DuckDbConnections.open(props);
    try (Statement s = duck.createStatement()) {
      List<String> allowed = new ArrayList<>();
      s.execute("SET memory_limit = '256MB'");
      s.execute("SET threads = 2");
      s.execute("SET temp_directory = '" + spill.toString().replace("'", "''") + "'");
      s.execute("SET enable_progress_bar = false");
      for (int i = 0; i < inputs.size(); i++) {
        allowed.addAll(files.get(i));
        s.execute(view(inputs.get(i), files.get(i)));
      }
      s.execute("SET allowed_paths = [" + allowed.stream().map(TransformScan::literal)
          .collect(Collectors.joining(", ")) + "]");
      s.execute("SET allowed_directories = [" + literal(spill.toAbsolutePath() + "/") + "]");
      s.execute("SET enable_external_access = false");
      s.execute("SET lock_configuration = true");
    } catch (SQLException | RuntimeException e) {
      duck.close();
      throw e;
    }
    return duck;
  }

  private static BadInputException failed(String source, int line, SQLException e) {
    return new BadInputException(source + ":" + line + ": the transform failed in DuckDB while measuring the "
        + "product's columns (" + kind(e.getMessage()) + ")");
  }

  /** The next row's values (the array is reused), or null at the end. */
  public Object[] next() {
    try {
      if (!rows.next()) {
        return null;
      }
      for (int i = 0; i < row.length; i++) {
        row[i] = value(rows, i + 1, types.get(i));
      }
      return row;
    } catch (SQLException e) {
      throw new BadInputException("the transform failed in DuckDB while measuring the product's columns ("
          + kind(e.getMessage()) + ")");
    }
  }

  private static Object value(ResultSet r, int i, ColumnType t) throws SQLException {
    Object v = switch (t.type()) {
      case STRING -> r.getString(i);
      case INT -> r.getInt(i);
      case LONG -> r.getLong(i);
      case DOUBLE -> r.getDouble(i);
      case DECIMAL -> r.getBigDecimal(i);
      case DATE -> r.getObject(i, LocalDate.class);
      case TIMESTAMP -> r.getObject(i, LocalDateTime.class);
      case TIMESTAMPTZ -> r.getObject(i, OffsetDateTime.class);
      case BOOLEAN -> r.getBoolean(i);
    };
    if (r.wasNull()) {
      return null;
    }
    return v instanceof java.math.BigDecimal d ? d.setScale(t.scale(), RoundingMode.UNNECESSARY) : v;
  }

  private static String view(BoundInput in, List<String> files) {
    if (files.isEmpty()) {
      return "CREATE TABLE " + in.alias() + " AS SELECT " + in.columns().entrySet().stream()
          .map(e -> "CAST(NULL AS " + e.getValue().sql() + ") AS " + quote(e.getKey()))
          .collect(Collectors.joining(", ")) + " WHERE false";
    }
    String cols = in.columns().entrySet().stream()
        .map(e -> "CAST(" + quote(e.getKey()) + " AS " + e.getValue().sql() + ") AS " + quote(e.getKey()))
        .collect(Collectors.joining(", "));
    return "CREATE VIEW " + in.alias() + " AS SELECT " + cols + " FROM read_parquet([" + files.stream()
        .map(TransformScan::literal).collect(Collectors.joining(", ")) + "], union_by_name = true)"
        + (in.filter() == null || in.filter().isBlank() ? "" : " WHERE (" + in.filter() + "\n)");
  }

  private static String quote(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  private static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  private static String kind(String message) {
    String m = message == null ? "" : message;
    int colon = m.indexOf(':');
    return colon > 0 && colon < 40 ? m.substring(0, colon) : "error";
  }

  @Override
  public void close() {
    closeAll(rows, statement, duck);
  }

  private static void closeAll(ResultSet rows, Statement statement, Connection duck) {
    try {
      if (rows != null) {
        rows.close();
      }
      if (statement != null) {
        statement.close();
      }
      if (duck != null) {
        duck.close();
      }
    } catch (SQLException ignored) {
      // closing an in-process database
    }
  }
}
