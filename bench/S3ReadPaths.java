import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.storage.ReadThroughCache;
import io.dataops.pipelines.plan.LocalFiles;
import io.dataops.platform.config.PlatformConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.arrow.vectorized.ArrowReader;
import org.apache.iceberg.arrow.vectorized.ColumnarBatch;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.CloseableIterator;

/**
 * How the Spring Batch engine's DuckDB can read a table's pinned files from S3 (bench/s3-read.sh): (a) the local
 * read-through cache (copy each file once, DuckDB scans the copies), cold and warm, against (b) Iceberg's vectorized
 * Arrow reader streaming the same columns from S3, which is only the producing half of an Arrow stream handed to
 * DuckDB (DuckDB's own scan of it would come on top). Prints one line per path: seconds and rows.
 *   java -cp platform/target/dataops.jar bench/S3ReadPaths.java HOME
 */
public class S3ReadPaths {
  static final List<String> COLUMNS = List.of("id_card", "name", "phone", "gender", "birth_date", "address",
      "district_code", "monthly_income");

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]).toAbsolutePath();
    PlatformConfig config = PlatformConfig.load(home, System.getenv());
    try (Lakehouse lh = Lakehouse.open(config.lakehouse())) {
      Table table = lh.load(TableNames.ods("public-security", "citizens"));
      List<String> files = new ArrayList<>();
      try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
        tasks.forEach(t -> files.add(t.file().location()));
      }
      files.sort(null);
      Path cache = ReadThroughCache.of(lh.io().properties()).dir();
      if (Files.isDirectory(cache)) {
        try (var all = Files.list(cache)) {
          for (Path p : all.toList()) {
            Files.delete(p);
          }
        }
      }
      arrow(table, "arrow-first");
      for (String label : List.of("cache-cold", "cache-warm")) {
        long t0 = System.nanoTime();
        List<String> local = LocalFiles.of(table.io()).paths(files, "bench");
        long copied = System.nanoTime();
        long rows = duckScan(local);
        long t1 = System.nanoTime();
        System.out.printf("%-12s %8.2f s  (copy %.2f s, DuckDB scan %.2f s)  %,d rows  %d files%n", label,
            (t1 - t0) / 1e9, (copied - t0) / 1e9, (t1 - copied) / 1e9, rows, files.size());
      }
      arrow(table, "arrow-again");
    }
  }

  /** Iceberg's vectorized reader over the pipeline's columns, every batch pulled from S3 and decoded. */
  static void arrow(Table table, String label) throws Exception {
    {
      long t0 = System.nanoTime();
      long rows = 0;
      TableScan scan = table.newScan().select(COLUMNS);
      try (ArrowReader reader = new ArrowReader(scan, 10_000, true);
          CloseableIterator<ColumnarBatch> batches = reader.open(scan.planTasks())) {
        while (batches.hasNext()) {
          rows += batches.next().numRows();
        }
      }
      long t1 = System.nanoTime();
      System.out.printf("%-12s %8.2f s  (Iceberg's Arrow reader alone, no DuckDB)  %,d rows%n", label,
          (t1 - t0) / 1e9, rows);
    }
  }

  /** DuckDB reads every byte of the pipeline's columns (as its transform would), threads=2. */
  static long duckScan(List<String> files) throws Exception {
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement()) {
      s.execute("SET threads = 2");
      String list = files.stream().map(f -> "'" + f + "'").collect(Collectors.joining(", "));
      String sums = COLUMNS.stream().map(c -> "sum(length(CAST(" + c + " AS VARCHAR)))").collect(
          Collectors.joining(", "));
      try (ResultSet r = s.executeQuery("SELECT count(*), " + sums + " FROM read_parquet([" + list + "])")) {
        r.next();
        return r.getLong(1);
      }
    }
  }
}
