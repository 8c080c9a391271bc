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
import java.util.List;
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
    LocalFiles local = LocalFiles.of(lakehouse.io());
    List<BoundInput> inputs = new ArrayList<>();
    List<List<String>> files = new ArrayList<>();
    for (PinnedInput in : pinned) {
      inputs.add(in.input());
      files.add(local.paths(in.dataFiles(), "the validator"));
    }
    return new TransformScan(inputs, files, sql, columns, types, spill, source, line);
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
    try {
      OwnerOnly.directories(spill);
      Properties props = new Properties();
      props.setProperty("jdbc_stream_results", "true");
      duck = DuckDbConnections.open(props);
      List<String> allowed = new ArrayList<>();
      try (Statement s = duck.createStatement()) {
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
      }
      statement = duck.createStatement();
      rows = statement.executeQuery("SELECT " + columns.stream().map(TransformScan::quote)
          .collect(Collectors.joining(", ")) + " FROM (" + sql + "\n) AS transform_result");
    } catch (SQLException e) {
      close();
      // DuckDB's kind of error only: its message may quote a value of the input
      throw new BadInputException(source + ":" + line + ": the transform failed in DuckDB while measuring the "
          + "product's columns (" + kind(e.getMessage()) + ")");
    } catch (IOException e) {
      close();
      throw new UncheckedIOException(e);
    }
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
