package io.dataops.jobs.batch;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.definition.BoundPipeline.BoundInput;
import io.dataops.pipelines.definition.BoundPipeline.ColumnType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The transform on DuckDB: each input is a view over its pinned snapshot's Parquet files (only the columns the
 * pipeline may read, its filter applied), and the pipeline's SQL runs over the views. Rows stream out through JDBC
 * in DuckDB's vectors; DuckDB keeps to its memory limit and spills to the run's folder.
 *
 * <p>Row order is what makes a restart resume at the right row: a plain scan keeps DuckDB's insertion order (the
 * files in path order, rows in file order); joins and aggregates are ordered by all output columns, so identical
 * rows are the only ones whose order can vary, and they are interchangeable.
 */
final class DuckTransform implements AutoCloseable {
  private final Connection duck;
  private final List<ColumnType> types;
  private Statement statement;
  private ResultSet rows;
  private int[] projection;

  DuckTransform(Lakehouse lakehouse, BoundPipeline p, Path spill, String memoryLimit, int threads) {
    this.types = p.columns().stream().map(BoundPipeline.BoundColumn::sqlType).toList();
    try {
      Files.createDirectories(spill);
      Properties props = new Properties();
      props.setProperty("jdbc_stream_results", "true");
      this.duck = DriverManager.getConnection("jdbc:duckdb:", props);
      try (Statement s = duck.createStatement()) {
        s.execute("SET memory_limit = '" + memoryLimit + "'");
        s.execute("SET threads = " + threads);
        s.execute("SET temp_directory = '" + spill.toString().replace("'", "''") + "'");
        s.execute("SET preserve_insertion_order = true");
        s.execute("SET enable_progress_bar = false");
        for (BoundInput in : p.inputs()) {
          s.execute(view(lakehouse, in));
        }
      }
    } catch (SQLException | java.io.IOException e) {
      throw new IllegalStateException("cannot prepare DuckDB for the transform", e);
    }
  }

  /** A view named like the input over its pinned files, or an empty typed table when the snapshot has no files. */
  static String view(Lakehouse lakehouse, BoundInput in) {
    List<String> files = PinnedFiles.of(lakehouse.load(in.table()), in.snapshotId());
    String cols = in.columns().entrySet().stream()
        .map(e -> "CAST(" + quote(e.getKey()) + " AS " + e.getValue().sql() + ") AS " + quote(e.getKey()))
        .collect(Collectors.joining(", "));
    if (files.isEmpty()) {
      return "CREATE TABLE " + in.alias() + " AS SELECT " + in.columns().entrySet().stream()
          .map(e -> "CAST(NULL AS " + e.getValue().sql() + ") AS " + quote(e.getKey()))
          .collect(Collectors.joining(", ")) + " WHERE false";
    }
    String list = files.stream().map(f -> "'" + f.replace("'", "''") + "'").collect(Collectors.joining(", "));
    return "CREATE VIEW " + in.alias() + " AS SELECT " + cols + " FROM read_parquet([" + list
        + "], union_by_name = true)" + (in.filter() == null ? "" : " WHERE " + in.filter());
  }

  static String quote(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  Connection connection() {
    return duck;
  }

  /** Starts the transform; rows then come from {@link #next}. */
  void open(BoundPipeline p) {
    String sql = p.joins() || p.aggregates() || p.sql().toUpperCase(java.util.Locale.ROOT).contains("DISTINCT")
        ? "SELECT * FROM (" + p.sql() + ") AS transform_result ORDER BY ALL" : p.sql();
    try {
      statement = duck.createStatement();
      rows = statement.executeQuery(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("the transform failed in DuckDB: " + firstLine(e), e);
    }
  }

  /**
   * Starts the transform reading only some of its columns (the others stay null in each row), in no particular
   * order: for a pass that only counts. DuckDB then reads only the input columns those need.
   */
  void openColumns(BoundPipeline p, int[] sqlColumns) {
    StringBuilder cols = new StringBuilder();
    for (int c : sqlColumns) {
      cols.append(cols.length() == 0 ? "" : ", ").append(quote(p.columns().get(c).name()));
    }
    projection = sqlColumns;
    try {
      statement = duck.createStatement();
      rows = statement.executeQuery("SELECT " + (cols.length() == 0 ? "1" : cols) + " FROM (" + p.sql()
          + ") AS transform_result");
    } catch (SQLException e) {
      throw new IllegalStateException("the transform failed in DuckDB: " + firstLine(e), e);
    }
  }

  /** The next row of the transform's result, typed as the pipeline's columns, or null at the end. */
  Object[] next() {
    try {
      if (!rows.next()) {
        return null;
      }
      if (projection != null) {
        Object[] row = new Object[types.size()];
        for (int j = 0; j < projection.length; j++) {
          row[projection[j]] = value(rows, j + 1, types.get(projection[j]));
        }
        return row;
      }
      return read(rows, types);
    } catch (SQLException e) {
      throw new IllegalStateException("reading the transform's result failed: " + firstLine(e), e);
    }
  }

  static Object[] read(ResultSet rows, List<ColumnType> types) throws SQLException {
    Object[] row = new Object[types.size()];
    for (int i = 0; i < row.length; i++) {
      row[i] = value(rows, i + 1, types.get(i));
    }
    return row;
  }

  static Object value(ResultSet r, int i, ColumnType t) throws SQLException {
    Object v = switch (t.type()) {
      case STRING -> r.getString(i);
      case INT -> {
        int x = r.getInt(i);
        yield r.wasNull() ? null : x;
      }
      case LONG -> {
        Object o = r.getObject(i);
        yield o == null ? null : o instanceof BigInteger b ? b.longValueExact() : ((Number) o).longValue();
      }
      case DOUBLE -> {
        double x = r.getDouble(i);
        yield r.wasNull() ? null : x;
      }
      case DECIMAL -> {
        BigDecimal d = r.getBigDecimal(i);
        yield d == null ? null : d.setScale(t.scale(), java.math.RoundingMode.UNNECESSARY);
      }
      case DATE -> r.getObject(i, LocalDate.class);
      case TIMESTAMP -> r.getObject(i, LocalDateTime.class);
      case TIMESTAMPTZ -> r.getObject(i, OffsetDateTime.class);
      case BOOLEAN -> {
        boolean x = r.getBoolean(i);
        yield r.wasNull() ? null : x;
      }
    };
    return v;
  }

  static String firstLine(SQLException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.lines().findFirst().orElse(m);
  }

  @Override
  public void close() {
    try {
      if (rows != null) {
        rows.close();
      }
      if (statement != null) {
        statement.close();
      }
      duck.close();
    } catch (SQLException ignored) {
      // closing an in-process database
    }
  }
}
