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
    return new TransformScan(at.inputs(), at.files(), at.grantFilters(), sql, columns, types, spill, source, line);
  }

  /**
   * The inputs and, for each, its pinned data files as local paths DuckDB reads, and the row filter of the grant it
   * is read under (null: none).
   */
  private record Located(List<BoundInput> inputs, List<List<String>> files, List<String> grantFilters) {
    static Located of(Lakehouse lakehouse, List<PinnedInput> pinned) {
      LocalFiles local = LocalFiles.of(lakehouse.io());
      List<BoundInput> inputs = new ArrayList<>();
      List<List<String>> files = new ArrayList<>();
      List<String> grantFilters = new ArrayList<>();
      for (PinnedInput in : pinned) {
        inputs.add(in.input());
        files.add(local.paths(in.dataFiles(), "the validator"));
        grantFilters.add(in.grantFilter());
      }
      return new Located(inputs, files, grantFilters);
    }
  }

  /**
   * @param files each input's pinned data files, as local paths
   * @param columns the result columns to read, with their types
   * @param source, line where an error is reported (the pipeline file and the SQL's line)
   */
  public TransformScan(List<BoundInput> inputs, List<List<String>> files, String sql, List<String> columns,
      List<ColumnType> types, Path spill, String source, int line) {
    this(inputs, files, java.util.Collections.nCopies(inputs.size(), null), sql, columns, types, spill, source, line);
  }

  /** @param grantFilters each input's grant row filter (null: none), applied as a run's reader applies it */
  public TransformScan(List<BoundInput> inputs, List<List<String>> files, List<String> grantFilters, String sql,
      List<String> columns, List<ColumnType> types, Path spill, String source, int line) {
    this.types = List.copyOf(types);
    this.row = new Object[columns.size()];
    Connection c = null;
    Statement st = null;
    ResultSet rs = null;
    try {
      c = openLocked(inputs, files, grantFilters, spill, true);
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
   * in one query per {@link #GROUPED_AT_ONCE} columns that DuckDB runs over the transform: the distinct
   * {@code person} values counted up to {@code k} (a null person counts as one), else the sum of {@code weight} (a
   * null weight is 0), else the rows. A column with no rows is absent. Only counts leave DuckDB. For columns whose
   * values the product shows as they are and whose types DuckDB compares as the validator's row-by-row measure does.
   */
  static Map<String, Long> smallestGroups(Lakehouse lakehouse, List<PinnedInput> pinned, String sql,
      List<String> columns, List<ColumnType> types, String person, ColumnType personType, String weight, int k,
      Path spill, String source, int line) {
    Located at = Located.of(lakehouse, pinned);
    Map<String, Long> out = new LinkedHashMap<>();
    try (Connection c = openLocked(at.inputs(), at.files(), at.grantFilters(), spill, false);
         Statement s = c.createStatement()) {
      for (int from = 0; from < columns.size(); from += GROUPED_AT_ONCE) {
        int to = Math.min(columns.size(), from + GROUPED_AT_ONCE);
        List<String> part = columns.subList(from, to);
        try (ResultSet r = s.executeQuery(smallestGroupsQuery(sql, part, types.subList(from, to), person, personType,
            weight, k))) {
          while (r.next()) {
            long n = r.getLong(2);
            if (!r.wasNull()) {
              out.put(part.get(r.getInt(1)), n);
            }
          }
        }
      }
    } catch (SQLException e) {
      throw failed(source, line, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // in the order asked (UNION ALL gives its branches' rows in no set order)
    Map<String, Long> ordered = new LinkedHashMap<>();
    for (String column : columns) {
      if (out.containsKey(column)) {
        ordered.put(column, out.get(column));
      }
    }
    return ordered;
  }

  /**
   * The first {@code rows} rows of {@code input} (in file order) that its grant's row filter lets through, the
   * non-null values of each of {@code columns} (text columns) as texts: the sample the personal-data detector
   * classifies, taken of what the caller may read. The pipeline's own filter is not applied: the detector judges the
   * column, not the rows one pipeline picks.
   */
  static Map<String, List<String>> sample(Lakehouse lakehouse, PinnedInput input, List<String> columns, int rows,
      Path spill) {
    BoundInput in = input.input();
    BoundInput unfiltered = new BoundInput(in.alias(), in.table(), in.snapshotId(), in.columns(), in.personal(), null);
    Located at = Located.of(lakehouse, List.of(input));
    Map<String, List<String>> out = new LinkedHashMap<>();
    columns.forEach(c -> out.put(c, new ArrayList<>()));
    try (Connection c = openLocked(List.of(unfiltered), at.files(), at.grantFilters(), spill, false);
         Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SELECT " + columns.stream().map(TransformScan::quote)
             .collect(Collectors.joining(", ")) + " FROM " + in.alias() + " LIMIT " + rows)) {
      // DuckDB keeps the files' order for a scan without ORDER BY (preserve_insertion_order): the same sample each time
      while (r.next()) {
        for (int i = 0; i < columns.size(); i++) {
          String v = r.getString(i + 1);
          if (v != null) {
            out.get(columns.get(i)).add(v);
          }
        }
      }
    } catch (SQLException e) {
      throw new BadInputException("cannot sample " + in.table() + " under its grant's row filter (" + kind(
          e.getMessage()) + ")");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * The most columns one query measures. The transform's values of a part are kept (spillable) while each column is
   * grouped in turn; a part at a time bounds what is kept. (One query of GROUPING SETS was tried first: DuckDB keeps
   * a distinct count's hash tables per set, and 48 sets ran out of 256 MB on 3,000 rows; 8 took a second there.)
   */
  static final int GROUPED_AT_ONCE = 16;

  /**
   * One row per column: its index in {@code columns} and its smallest group (null when there are no rows). The
   * values go under names of their own (c0, c1, ..., p, w), texts as their UTF-8 bytes, so that a collation the
   * transform gave them (COLLATE NOCASE) cannot merge values the product shows apart. With a person, each column's
   * distinct (value, person) pairs are counted per value: a null person is one pair, as the row-by-row pass counts it.
   */
  static String smallestGroupsQuery(String sql, List<String> columns, List<ColumnType> types, String person,
      ColumnType personType, String weight, int k) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      values.add(exact(columns.get(i), types.get(i)) + " AS c" + i);
    }
    if (person != null) {
      values.add(exact(person, personType) + " AS p");
    } else if (weight != null) {
      values.add(quote(weight) + " AS w");
    }
    List<String> branches = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      String c = "c" + i;
      String groups = person != null
          ? "SELECT least(count(*), " + k + ") AS n FROM (SELECT DISTINCT " + c + ", p FROM v) AS pairs GROUP BY " + c
          : "SELECT " + (weight != null ? "sum(coalesce(CAST(w AS BIGINT), 0))" : "count(*)") + " AS n FROM v GROUP BY "
              + c;
      branches.add("SELECT " + i + " AS i, CAST(min(n) AS BIGINT) FROM (" + groups + ") AS groups");
    }
    // kept once for all the part's columns; with one column DuckDB streams the transform into its grouping
    return "WITH v AS " + (columns.size() > 1 ? "MATERIALIZED" : "NOT MATERIALIZED") + " (SELECT "
        + String.join(", ", values) + " FROM (" + sql + "\n) AS transform_result)\n"
        + String.join("\nUNION ALL ", branches);
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
  private static Connection openLocked(List<BoundInput> inputs, List<List<String>> files, List<String> grantFilters,
      Path spill, boolean streamResults) throws IOException, SQLException {
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
        s.execute(view(inputs.get(i), files.get(i), grantFilters.get(i)));
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

  private static String view(BoundInput in, List<String> files, String grantFilter) {
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
        + RowFilters.where(grantFilter, in.filter());
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
