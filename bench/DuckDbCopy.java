import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/** The comparison for bench/land.sh: DuckDB (JDBC, 2 threads) copies a CSV file to a zstd Parquet file. */
public class DuckDbCopy {
  public static void main(String[] args) throws Exception {
    String csv = args[0];
    String parquet = args[1];
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute("SET threads=2");
      long t0 = System.nanoTime();
      s.execute("COPY (SELECT * FROM read_csv('" + csv + "', header=true)) TO '" + parquet
          + "' (FORMAT parquet, COMPRESSION zstd)");
      double seconds = (System.nanoTime() - t0) / 1e9;
      try (ResultSet r = s.executeQuery("SELECT count(*) FROM read_parquet('" + parquet + "')")) {
        r.next();
        System.out.printf("{\"rows\": %d, \"seconds\": %.3f}%n", r.getLong(1), seconds);
      }
    }
  }
}
