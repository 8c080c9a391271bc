import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The second comparison for bench/quality.sh: DuckDB (JDBC, 2 threads) finding what `quality run` records rather
 * than only counting it. One query over the same Parquet files returns every failing row to the JVM with its feed,
 * row number and key, the checked values and a flag per rule (uniqueness as a window count, as Great Expectations
 * counts it: every row whose value occurs more than once); the counts per rule are added up from the rows. It
 * writes nothing (the engine also writes the failing rows to an Iceberg table and keeps samples).
 */
public class DuckDbQualityRows {
  /** The suite's rules after the row count, in its order (bench/quality-suite.json). */
  private static final String[] FLAGS = {
    "record_id IS NULL",
    "id_card IS NULL",
    "name IS NULL",
    "phone IS NULL",
    "record_id IS NOT NULL AND count(*) OVER (PARTITION BY record_id) > 1",
    "id_card IS NOT NULL AND count(*) OVER (PARTITION BY id_card) > 1",
    "phone IS NOT NULL AND NOT regexp_full_match(phone, '1[3-9]\\d{9}')",
    "id_card IS NOT NULL AND NOT regexp_full_match(id_card, '\\d{17}[\\dXx]')",
    "gender IS NOT NULL AND gender NOT IN ('M', 'F')",
    "monthly_income < 0",
    "monthly_income < 0 OR monthly_income > 1000000",
  };

  public static void main(String[] args) throws Exception {
    String files = args[0];
    StringBuilder select = new StringBuilder("SELECT _feed_id, _row_number, record_id, id_card, phone, gender,"
        + " monthly_income");
    StringBuilder any = new StringBuilder();
    for (int i = 0; i < FLAGS.length; i++) {
      select.append(", coalesce(").append(FLAGS[i]).append(", false) AS f").append(i);
      any.append(i > 0 ? " OR " : "").append('f').append(i);
    }
    String sql = select + " FROM read_parquet('" + files + "') QUALIFY " + any;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute("SET threads=2");
      long t0 = System.nanoTime();
      long failingRows = 0;
      long[] unexpected = new long[FLAGS.length];
      long touched = 0;
      try (ResultSet r = s.executeQuery(sql)) {
        while (r.next()) {
          failingRows++;
          // the row's place and the values a report shows, read into Java as the engine has them
          for (int col = 1; col <= 7; col++) {
            Object value = r.getObject(col);
            touched += value == null ? 0 : value.toString().length();
          }
          for (int i = 0; i < FLAGS.length; i++) {
            if (r.getBoolean(8 + i)) {
              unexpected[i]++;
            }
          }
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      StringBuilder counts = new StringBuilder();
      for (int i = 0; i < unexpected.length; i++) {
        counts.append(i > 0 ? ", " : "").append(unexpected[i]);
      }
      System.out.printf("{\"failingRows\": %d, \"seconds\": %.3f, \"unexpected\": [%s], \"touched\": %d}%n",
          failingRows, seconds, counts, touched);
    }
  }
}
