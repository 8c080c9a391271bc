import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The comparison for bench/desensitize.sh: DuckDB (JDBC, 2 threads) runs the equivalent masking SELECT over the
 * citizen table's Parquet files into one zstd Parquet file: ID number 6+4, mobile 3+4, surname kept, a keyed SHA-256
 * pseudonym (DuckDB has no HMAC: sha256 of key and value, truncated), birth year, address cut after the township
 * (街道/镇/乡), and the k=5 suppression of records whose (birth year, sex, sub-district) class is smaller than 5.
 */
public class DuckDbDesensitize {
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
      double seconds = (System.nanoTime() - t0) / 1e9;
      try (ResultSet r = s.executeQuery("SELECT count(*) FROM read_parquet('" + parquet + "')")) {
        r.next();
        System.out.printf("{\"rowsOut\": %d, \"seconds\": %.3f}%n", r.getLong(1), seconds);
      }
    }
  }
}
