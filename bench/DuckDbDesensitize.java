import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The comparison for bench/desensitize.sh: DuckDB (JDBC, 2 threads) runs the equivalent masking SELECT over the
 * citizen table's Parquet files into one zstd Parquet file: ID number 6+4, mobile 3+4, surname kept, a keyed SHA-256
 * pseudonym (DuckDB has no HMAC: sha256 of key and value, truncated), birth year, address cut after the township
 * (街道/镇/乡), and the k=5 suppression of records whose (birth year, sex, sub-district) class is smaller than 5.
 *
 * <p>With {@code --checked} (the bench's second comparison, closer to what {@code pipeline run} does), timed with
 * the query: a privacy report (the generalized input's equivalence classes, the smallest, the rows suppressed) and
 * a leak check: every personal value of the product (pseudonym, ID number, name, mobile, birth year, address) looked
 * up among every personal value of the input (ID number, name, mobile, birth date, address; any column against any
 * column, as the engine's leak check does) with a semi-join. Simpler than the engine's check (exact text only, no
 * rebuilt identifiers, no shaped values).
 */
public class DuckDbDesensitize {
  public static void main(String[] args) throws Exception {
    String files = args[0];
    String parquet = args[1];
    boolean checked = args.length > 2 && args[2].equals("--checked");
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
      String report = checked ? checks(s, files, parquet) : "";
      double seconds = (System.nanoTime() - t0) / 1e9;
      try (ResultSet r = s.executeQuery("SELECT count(*) FROM read_parquet('" + parquet + "')")) {
        r.next();
        System.out.printf("{\"rowsOut\": %d, \"seconds\": %.3f%s}%n", r.getLong(1), seconds, report);
      }
    }
  }

  /** The privacy report and the leak check of {@code --checked}, as JSON fields to add. */
  private static String checks(Statement s, String files, String parquet) throws SQLException {
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
    return String.format(", \"classes\": %d, \"smallestClass\": %d, \"suppressed\": %d, \"leaks\": %d", classes,
        smallest, suppressed, leaks);
  }
}
