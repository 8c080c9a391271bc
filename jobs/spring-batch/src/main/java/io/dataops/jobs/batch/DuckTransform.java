package io.dataops.jobs.batch;

import io.dataops.core.files.OwnerOnly;
import io.dataops.lakehouse.types.ColumnType;
import io.dataops.pipelines.plan.RunPlan;
import io.dataops.pipelines.definition.BoundPipeline;
import io.dataops.pipelines.definition.BoundPipeline.BoundInput;
import io.dataops.pipelines.definition.RowFilters;
import io.dataops.pipelines.sql.DuckDbConnections;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The transform on DuckDB: each input is a view over its pinned snapshot's Parquet files (only the columns the
 * pipeline may read, its filter applied), and the pipeline's SQL runs over the views. Rows stream out as Arrow
 * batches ({@link ArrowRows}); DuckDB keeps to its memory limit and spills to the run's folder.
 *
 * <p>Rows come in the order of a {@link RowOrder} key: a product keeps neither its input's row order nor an order by
 * raw values. Either would tell more than the product's values do: two products of one input, each k-anonymous
 * alone, could be joined row by row on position (as on a shared pseudonym), and rows sorted by a raw ID number
 * (what an ORDER BY ALL gave joins and aggregates) lie in the order of the region and birth date the product
 * generalized. Statistical offices randomize the record order of microdata before release for the same reason.
 * The order is also what makes a restart resume at the right row: the same key orders the same rows the same way.
 */
final class DuckTransform implements AutoCloseable {
  private final Connection duck;
  private final List<ColumnType> types;
  private Statement statement;
  private ResultSet rows;
  private ArrowRows arrow;

  DuckTransform(RunPlan plan, Path spill, String memoryLimit, int threads) {
    BoundPipeline p = plan.pipeline();
    this.types = p.columns().stream().map(BoundPipeline.BoundColumn::sqlType).toList();
    try {
      this.duck = connect(spill, memoryLimit, threads);
      try (Statement s = duck.createStatement()) {
        s.execute("SET preserve_insertion_order = true");
        for (BoundInput in : p.inputs()) {
          s.execute(view(plan, in));
        }
        lock(s, plan, spill);
      }
    } catch (SQLException | java.io.IOException e) {
      throw new IllegalStateException("cannot prepare DuckDB for the transform", e);
    }
  }

  /**
   * An in-memory DuckDB for a step of the run: results stream (a query's whole result is otherwise materialized
   * before the first row comes, outside the memory limit: 1.7 GB for the raw personal values of 10 million rows),
   * the buffer pool keeps to {@code memoryLimit}, and what does not fit spills to {@code spill}, a folder of the run.
   */
  static Connection connect(Path spill, String memoryLimit, int threads) throws SQLException, java.io.IOException {
    OwnerOnly.directories(spill);
    Properties props = new Properties();
    props.setProperty("jdbc_stream_results", "true");
    Connection duck = DuckDbConnections.open(props);
    try (Statement s = duck.createStatement()) {
      s.execute("SET memory_limit = '" + memoryLimit + "'");
      s.execute("SET threads = " + threads);
      s.execute("SET temp_directory = '" + spill.toString().replace("'", "''") + "'");
      s.execute("SET enable_progress_bar = false");
    } catch (SQLException e) {
      duck.close();
      throw e;
    }
    return duck;
  }

  /**
   * Locks the database before the pipeline's SQL runs (defence in depth behind the SQL subset check): it may read the
   * pinned files of its inputs and spill to the run's folder, nothing else — no other file, no table function over
   * other paths, no COPY, ATTACH, INSTALL or LOAD, and no SET afterwards (the configuration is locked).
   */
  static void lock(Statement s, RunPlan plan, Path spill) throws SQLException {
    List<String> files = new java.util.ArrayList<>();
    for (var in : plan.inputs()) {
      files.addAll(PinnedFiles.of(plan, in));
    }
    s.execute("SET allowed_paths = [" + files.stream().map(f -> "'" + f.replace("'", "''") + "'")
        .collect(Collectors.joining(", ")) + "]");
    s.execute("SET allowed_directories = ['" + spill.toAbsolutePath().toString().replace("'", "''") + "/']");
    s.execute("SET enable_external_access = false");
    s.execute("SET lock_configuration = true");
  }

  /** A view named like the input over its pinned files, or an empty typed table when the snapshot has no files. */
  static String view(RunPlan plan, BoundInput in) {
    List<String> files = PinnedFiles.of(plan, plan.input(in));
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
        + "], union_by_name = true)" + RowFilters.where(plan.input(in).grantFilter(), in.filter());
  }

  static String quote(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  Connection connection() {
    return duck;
  }

  /** Starts the transform, its rows in the order {@code order} gives them; rows then come from {@link #next}. */
  void open(BoundPipeline p, RowOrder order) {
    try {
      if (order.input()) {
        statement = duck.createStatement();
        rows = statement.executeQuery(p.joins() || p.aggregates()
            || p.sql().toUpperCase(java.util.Locale.ROOT).contains("DISTINCT")
            ? "SELECT * FROM (" + p.sql() + ") AS transform_result ORDER BY ALL" : p.sql());
      } else {
        java.sql.PreparedStatement ordered = duck.prepareStatement("SELECT * FROM (" + p.sql()
            + ") AS transform_result ORDER BY " + RowOrder.SQL.formatted("transform_result"));
        statement = ordered;
        order.bind(ordered, 1);
        rows = ordered.executeQuery();
      }
      arrow = new ArrowRows(rows, types);
    } catch (SQLException e) {
      throw EngineErrors.failure("the transform failed in DuckDB", e);
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
    List<ColumnType> projected = java.util.Arrays.stream(sqlColumns).mapToObj(types::get).toList();
    try {
      statement = duck.createStatement();
      rows = statement.executeQuery("SELECT " + (cols.length() == 0 ? "1 AS one" : cols) + " FROM (" + p.sql()
          + ") AS transform_result");
      arrow = cols.length() == 0 ? new ArrowRows(rows, List.of(ColumnType.of(io.dataops.lakehouse.types.ValueType.INT)),
          new int[] {-1}, types.size()) : new ArrowRows(rows, projected, sqlColumns, types.size());
    } catch (SQLException e) {
      throw EngineErrors.failure("the transform failed in DuckDB", e);
    }
  }

  /** The next row of the transform's result, typed as the pipeline's columns, or null at the end. */
  Object[] next() {
    return arrow.next();
  }


  @Override
  public void close() {
    try {
      if (arrow != null) {
        arrow.close();
      } else if (rows != null) {
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
