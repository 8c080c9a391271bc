package io.dataops.jobs.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.lakehouse.types.ColumnType;
import io.dataops.lakehouse.types.ValueType;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** DuckDB's errors on real queries: those caused by the data are bad input, and no message carries the value. */
class EngineErrorsTest {

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
  void aConversionErrorFarIntoTheStreamIsBadInputWithoutTheValue() throws Exception {
    try (Connection c = streaming(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t AS SELECT CASE WHEN i = 900000 THEN '44030419850307123X' "
          + "ELSE CAST(440304198503071231 + i AS VARCHAR) END AS id_card FROM range(1000000) r(i)");
      try (Statement q = c.createStatement();
          ArrowRows rows = new ArrowRows(q.executeQuery("SELECT CAST(id_card AS BIGINT) AS n FROM t"),
              List.of(ColumnType.of(ValueType.LONG)))) {
        assertThatThrownBy(() -> {
          while (rows.next() != null) {
            // the error arrives with a later batch of the Arrow stream
          }
        }).isInstanceOf(InputDataException.class).hasNoCause()
            .hasMessage("Conversion Error: Could not convert string '…' to INT64 when casting from source column "
                + "id_card");
      }
    }
  }

  @Test
  void aDateOutOfRangeIsRedactedThoughDuckDbQuotesItLikeAName() throws Exception {
    try (Connection c = streaming(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t AS SELECT '1990-13-01' AS birth_text");
      Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> {
        try (Statement q = c.createStatement();
            ArrowRows rows = new ArrowRows(q.executeQuery("SELECT CAST(birth_text AS DATE) AS d FROM t"),
                List.of(ColumnType.of(ValueType.DATE)))) {
          rows.next();
        } catch (SQLException x) {
          throw EngineErrors.failure("the transform failed in DuckDB", x);
        }
      });
      assertThat(e).isInstanceOf(InputDataException.class).hasMessageStartingWith("Conversion Error: ")
          .hasMessageNotContaining("1990-13-01").hasMessageNotContaining("1990");
    }
  }

  @Test
  void anErrorOfTheQueryItselfStaysAnInternalFailure() throws Exception {
    try (Connection c = streaming(); Statement s = c.createStatement()) {
      Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> s.executeQuery("SELECT nope FROM range(3)"));
      assertThat(EngineErrors.failure("the transform failed in DuckDB", e)).isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("the transform failed in DuckDB: ");
    }
  }
}
