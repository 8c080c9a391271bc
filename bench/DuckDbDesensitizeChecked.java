import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The second comparison for bench/desensitize.sh: DuckDB (JDBC, 2 threads) doing more of what `pipeline run` does.
 * The masking query with the k=5 suppression of {@code DuckDbDesensitize} into a zstd Parquet file, then a privacy
 * report (the generalized input's equivalence classes, the smallest, the rows suppressed) and a leak check: every personal value of the
 * product (pseudonym, ID number, name, mobile, birth year, address) looked up among every personal value of the input
 * (ID number, name, mobile, birth date, address; any column against any column, as the engine's leak check does) with
 * a semi-join. Simpler than the engine's check (no rebuilt identifiers, no shaped values, exact text only).
 */
public class DuckDbDesensitizeChecked {
  public static void main(String[] args) throws Exception {
    String files = args[0];
    String parquet = args[1];
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute("SET threads=2");
      long t0 = System.nanoTime();
      s.execute("COPY (SELECT * EXCLUDE (class_size) FROM (SELECT *, count(*) OVER (PARTITION BY birth_date, gender,"
          + " district_code) AS class_size FROM (SELECT"
          + " substr(sha256('bench-key' || id_card), 1, 20) AS person_key,"
          + " left(id_card, 6) || '********' || right(id_card, 4) AS id_card,"
          + " left(name, 1) || repeat('*', length(name) - 1) AS name,"
          + " left(phone, 3) || '****' || right(phone, 4) AS phone,"
          + " gender, year(birth_date) AS birth_date,"
          + " regexp_extract(address, '^(.*?(街道|镇|乡))', 1) AS address,"
          + " district_code, monthly_income"
          + " FROM read_parquet('" + files + "'))) WHERE class_size >= 5)"
          + " TO '" + parquet + "' (FORMAT parquet, COMPRESSION zstd)");
      long rowsOut;
      try (ResultSet r = s.executeQuery("SELECT count(*) FROM read_parquet('" + parquet + "')")) {
        r.next();
        rowsOut = r.getLong(1);
      }
      // The privacy report: the equivalence classes of the generalized input, the smallest, the rows suppressed.
      long classes;
      long smallest;
      long suppressed;
      try (ResultSet r = s.executeQuery("SELECT count(*), min(n), coalesce(sum(n) FILTER (WHERE n < 5), 0) FROM"
          + " (SELECT count(*) AS n FROM read_parquet('" + files + "') GROUP BY year(birth_date), gender,"
          + " district_code)")) {
        r.next();
        classes = r.getLong(1);
        smallest = r.getLong(2);
        suppressed = r.getLong(3);
      }
      long leaks;
      try (ResultSet r = s.executeQuery("SELECT count(*) FROM (UNPIVOT (SELECT person_key, id_card, name, phone,"
          + " CAST(birth_date AS VARCHAR) AS birth_date, address FROM read_parquet('" + parquet + "'))"
          + " ON COLUMNS(*) INTO NAME col VALUE v) WHERE v IN (SELECT v FROM (UNPIVOT (SELECT id_card, name, phone,"
          + " CAST(birth_date AS VARCHAR) AS birth_date, address FROM read_parquet('" + files + "'))"
          + " ON COLUMNS(*) INTO NAME col VALUE v))")) {
        r.next();
        leaks = r.getLong(1);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf("{\"rowsOut\": %d, \"classes\": %d, \"smallestClass\": %d, \"suppressed\": %d,"
          + " \"leaks\": %d, \"seconds\": %.3f}%n", rowsOut, classes, smallest, suppressed, leaks, seconds);
    }
  }
}
