package io.dataops.jobs.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.lakehouse.types.ColumnType;
import io.dataops.lakehouse.types.ValueType;
import io.dataops.pipelines.privacy.LeakFilter;
import io.dataops.pipelines.privacy.RawHashes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The leak filter's raw values hashed from DuckDB's Arrow vectors ({@link ArrowRows#rawHashes}) give the filter of the
 * old definition bit for bit: each typed value's canonical text through {@link LeakFilter#add}, and the per-value path
 * the step used before ({@link ArrowRows#values}). Hostile values: nulls, empty and one-code-point texts, multi-byte
 * and 4-byte UTF-8, texts over 64 KB, batches of DuckDB's stream and of the hashes' buffer cut anywhere, decimals with
 * scale (also read at another scale, and beyond a long), negative zero, dates of every era.
 */
class RawHashesFromArrowTest {
  private static final long EXPECTED = 200_000;
  private static final long MEMORY = 1 << 20;

  private static final List<ColumnType> TYPES = List.of(ColumnType.of(ValueType.STRING),
      ColumnType.of(ValueType.DATE), ColumnType.decimal(12, 2), ColumnType.decimal(12, 3), ColumnType.decimal(38, 6),
      ColumnType.of(ValueType.DOUBLE), ColumnType.of(ValueType.INT), ColumnType.of(ValueType.TIMESTAMP));

  private static final String QUERY = """
      SELECT
        CASE WHEN i % 1000 = 7 THEN repeat('长', 25000) || i WHEN i % 1000 = 9 THEN repeat('x', 70000)
          ELSE CASE i % 12 WHEN 0 THEN NULL WHEN 1 THEN '' WHEN 2 THEN 'a' WHEN 3 THEN '张' WHEN 4 THEN '张伟'
          WHEN 5 THEN '😀' WHEN 6 THEN '😀x' WHEN 7 THEN 'é' WHEN 8 THEN '𠀀𝄞' WHEN 9 THEN 'ab'
          ELSE '广东省深圳市' || i END END AS t,
        CASE i % 9 WHEN 0 THEN NULL WHEN 1 THEN DATE '0001-01-01' WHEN 2 THEN DATE '9999-12-31'
          WHEN 3 THEN DATE '0044-03-15 (BC)' WHEN 4 THEN DATE '10000-01-01' WHEN 5 THEN DATE '2000-02-29'
          ELSE DATE '1900-01-01' + CAST(i * 7 AS INTEGER) END AS d,
        CAST(CASE i % 7 WHEN 0 THEN NULL WHEN 1 THEN -0.05 WHEN 2 THEN 0 WHEN 3 THEN 5 WHEN 4 THEN -0.00
          ELSE (i - 5000) * 1.37 END AS DECIMAL(12, 2)) AS m,
        CAST(CASE i % 7 WHEN 0 THEN NULL WHEN 1 THEN -0.05 ELSE (i - 5000) * 1.37 END AS DECIMAL(12, 2)) AS m3,
        CASE i % 5 WHEN 0 THEN NULL WHEN 1 THEN CAST('12345678901234567890123.456789' AS DECIMAL(38, 6))
          WHEN 2 THEN CAST('-98765432109876543210.000001' AS DECIMAL(38, 6))
          ELSE CAST(i / 8 - 600 AS DECIMAL(38, 6)) END AS big,
        CASE i % 6 WHEN 0 THEN NULL WHEN 1 THEN CAST('-0.0' AS DOUBLE) WHEN 2 THEN 0.0 WHEN 3 THEN 'NaN'::DOUBLE
          ELSE i / 7.0 END AS f,
        CASE WHEN i % 4 = 0 THEN NULL ELSE CAST(i - 5000 AS INTEGER) END AS n,
        CASE WHEN i % 3 = 0 THEN NULL ELSE TIMESTAMP '1999-12-31 23:59:00' + i * INTERVAL 1 SECOND END AS ts
      FROM range(10000) r(i)
      """;

  private static Connection duck() throws Exception {
    Properties props = new Properties();
    props.setProperty("jdbc_stream_results", "true"); // as the step reads
    Connection c = DriverManager.getConnection("jdbc:duckdb:", props);
    try (Statement s = c.createStatement()) {
      s.execute("SET threads = 2");
    }
    return c;
  }

  @Test
  void hashesFromTheVectorsGiveTheFilterOfEachValuesText() throws Exception {
    LeakFilter byText = new LeakFilter(EXPECTED, MEMORY);
    LeakFilter perValue = new LeakFilter(EXPECTED, MEMORY);
    LeakFilter batched = new LeakFilter(EXPECTED, MEMORY);
    try (Connection c = duck()) {
      try (Statement s = c.createStatement(); ArrowRows r = new ArrowRows(s.executeQuery(QUERY), TYPES)) {
        for (Object[] row = r.next(); row != null; row = r.next()) {
          for (Object v : row) {
            byText.add(v); // the definition: the typed value's canonical text
          }
        }
      }
      try (Statement s = c.createStatement(); ArrowRows r = new ArrowRows(s.executeQuery(QUERY), TYPES)) {
        r.forEachBatch((vectors, rows) -> {
          for (int c2 = 0; c2 < vectors.length; c2++) {
            ArrowRows.values(vectors[c2], rows, TYPES.get(c2), perValue::addUtf8, perValue::add);
          }
        });
      }
      RawHashes hashes = new RawHashes(batched);
      try (Statement s = c.createStatement(); ArrowRows r = new ArrowRows(s.executeQuery(QUERY), TYPES)) {
        r.forEachBatch((vectors, rows) -> {
          for (int c2 = 0; c2 < vectors.length; c2++) {
            ArrowRows.rawHashes(vectors[c2], rows, TYPES.get(c2), hashes);
          }
        });
      }
      hashes.flush();
    }
    assertThat(byText.rawValues()).isBetween(40_000L, 80_000L); // the query's values, without nulls and short texts
    assertThat(perValue.toBytes()).isEqualTo(byText.toBytes());
    assertThat(batched.rawValues()).isEqualTo(byText.rawValues());
    assertThat(batched.toBytes()).isEqualTo(byText.toBytes());
  }
}
