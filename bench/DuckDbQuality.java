import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The comparison for bench/quality.sh: the benchmark suite as one aggregate query in DuckDB (JDBC, 2 threads) over
 * the Parquet files of the same Iceberg table (two grouped subqueries for exact uniqueness).
 */
public class DuckDbQuality {
  public static void main(String[] args) throws Exception {
    String files = args[0];
    // Uniqueness as Great Expectations counts it: every row whose value occurs more than once.
    String sql = "WITH t AS (SELECT * FROM read_parquet('" + files + "')) SELECT count(*) AS n,"
        + " count(*) - count(record_id), count(*) - count(id_card), count(*) - count(name), count(*) - count(phone),"
        + " (SELECT coalesce(sum(c), 0) FROM (SELECT count(*) c FROM t WHERE record_id IS NOT NULL GROUP BY record_id"
        + " HAVING count(*) > 1)),"
        + " (SELECT coalesce(sum(c), 0) FROM (SELECT count(*) c FROM t WHERE id_card IS NOT NULL GROUP BY id_card"
        + " HAVING count(*) > 1)),"
        + " sum(CASE WHEN phone IS NOT NULL AND NOT regexp_matches(phone, '^1[3-9]\\d{9}$') THEN 1 ELSE 0 END),"
        + " sum(CASE WHEN id_card IS NOT NULL AND NOT regexp_matches(id_card, '^\\d{17}[\\dXx]$') THEN 1 ELSE 0 END),"
        + " sum(CASE WHEN gender IS NOT NULL AND gender NOT IN ('M', 'F') THEN 1 ELSE 0 END),"
        + " sum(CASE WHEN monthly_income < 0 THEN 1 ELSE 0 END),"
        + " sum(CASE WHEN monthly_income < 0 OR monthly_income > 1000000 THEN 1 ELSE 0 END)"
        + " FROM t";
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute("SET threads=2");
      long t0 = System.nanoTime();
      try (ResultSet r = s.executeQuery(sql)) {
        r.next();
        double seconds = (System.nanoTime() - t0) / 1e9;
        StringBuilder counts = new StringBuilder();
        for (int i = 2; i <= 12; i++) {
          counts.append(i > 2 ? ", " : "").append(r.getLong(i));
        }
        System.out.printf("{\"rows\": %d, \"seconds\": %.3f, \"unexpected\": [%s]}%n", r.getLong(1), seconds, counts);
      }
    }
  }
}
