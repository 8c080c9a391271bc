package io.dataops.jobs.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.lakehouse.types.ColumnType;
import io.dataops.lakehouse.types.ValueType;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** DuckDB results read row by row through the reader thread that converts batches ahead of the caller. */
class ArrowRowsTest {
  private static final String ROWS = "SELECT i, 'v' || i AS t, DATE '2000-01-01' + CAST(i %% 1000 AS INTEGER) AS d, "
      + "CAST(i / 4 AS DECIMAL(12, 2)) AS m, CASE WHEN i %% 7 = 0 THEN NULL ELSE i END AS n FROM range(%d) r(i)";
  private static final List<ColumnType> TYPES = List.of(ColumnType.of(ValueType.LONG), ColumnType.of(ValueType.STRING),
      ColumnType.of(ValueType.DATE), ColumnType.decimal(12, 2), ColumnType.of(ValueType.LONG));

  private static Connection streaming() throws SQLException {
    Properties props = new Properties();
    props.setProperty("jdbc_stream_results", "true"); // as the transform runs
    Connection c = DriverManager.getConnection("jdbc:duckdb:", props);
    try (Statement s = c.createStatement()) {
      s.execute("SET threads = 2");
    }
    return c;
  }

  @Test
  void everyRowComesOnceInOrderWithTheValuesJdbcGives() throws Exception {
    int n = 3 * ArrowRows.BATCH_ROWS + 17;
    try (Connection c = streaming()) {
      List<List<Object>> expected = new java.util.ArrayList<>();
      try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(ROWS.formatted(n) + " ORDER BY i")) {
        while (r.next()) {
          expected.add(java.util.Arrays.asList(r.getLong(1), r.getString(2), r.getObject(3, LocalDate.class),
              r.getBigDecimal(4), r.getObject(5) == null ? null : r.getLong(5)));
        }
      }
      assertThat(expected).hasSize(n);
      try (Statement s = c.createStatement();
          ArrowRows rows = new ArrowRows(s.executeQuery(ROWS.formatted(n) + " ORDER BY i"), TYPES)) {
        int read = 0;
        for (Object[] row = rows.next(); row != null; row = rows.next()) {
          assertThat(row).containsExactlyElementsOf(expected.get(read));
          read++;
        }
        assertThat(read).isEqualTo(n);
        assertThat(rows.next()).as("the end stays the end").isNull();
      }
    }
  }

  @Test
  void closingEarlyStopsTheReaderThreadAndLeavesTheConnectionUsable() throws Exception {
    try (Connection c = streaming()) {
      for (int round = 0; round < 3; round++) {
        try (Statement s = c.createStatement();
            ArrowRows rows = new ArrowRows(s.executeQuery(ROWS.formatted(2_000_000)), TYPES)) {
          assertThat(rows.next()).isNotNull(); // the reader is now a couple of batches ahead, waiting
        }
        assertThat(readerThreads()).as("no reader thread outlives its rows").isZero();
      }
      try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM range(10)")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getLong(1)).isEqualTo(10);
      }
    }
  }

  @Test
  void anEmptyResultEndsAtOnce() throws Exception {
    try (Connection c = streaming(); Statement s = c.createStatement();
        ArrowRows rows = new ArrowRows(s.executeQuery(ROWS.formatted(0)), TYPES)) {
      assertThat(rows.next()).isNull();
    }
    assertThat(readerThreads()).isZero();
  }

  @Test
  void decimalsKeepTheirScale() throws Exception {
    try (Connection c = streaming(); Statement s = c.createStatement();
        ArrowRows rows = new ArrowRows(s.executeQuery("SELECT CAST(12.5 AS DECIMAL(12, 2)) AS m"),
            List.of(ColumnType.decimal(12, 2)))) {
      assertThat(rows.next()).containsExactly(new BigDecimal("12.50"));
    }
  }

  private static long readerThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("duckdb-rows")).count();
  }
}
