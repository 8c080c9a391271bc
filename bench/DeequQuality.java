import com.amazon.deequ.analyzers.Analysis;
import com.amazon.deequ.analyzers.Analyzer;
import com.amazon.deequ.analyzers.Completeness;
import com.amazon.deequ.analyzers.Compliance;
import com.amazon.deequ.analyzers.PatternMatch;
import com.amazon.deequ.analyzers.Size;
import com.amazon.deequ.analyzers.Uniqueness;
import com.amazon.deequ.analyzers.runners.AnalysisRunner;
import com.amazon.deequ.analyzers.runners.AnalyzerContext;
import com.amazon.deequ.metrics.Metric;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.Option;
import scala.collection.JavaConverters;

/**
 * The comparison for bench/quality.sh: the benchmark suite as Deequ analyzers (Amazon Deequ 2.1.0 on Spark 3.5,
 * local[2]) over the Parquet files of the same Iceberg table. Timed from reading to the last metric.
 */
public class DeequQuality {
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder().master("local[2]").appName("deequ-bench")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.host", "127.0.0.1").getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    long t0 = System.nanoTime();
    Dataset<Row> data = spark.read().parquet(args[0]);
    List<Analyzer<?, ? extends Metric<?>>> a = new ArrayList<>();
    a.add(new Size(Option.empty()));
    for (String c : List.of("record_id", "id_card", "name", "phone")) {
      a.add(new Completeness(c, Option.empty(), Option.empty()));
    }
    for (String c : List.of("record_id", "id_card")) {
      a.add(new Uniqueness(JavaConverters.asScalaBuffer(List.of(c)).toSeq(), Option.empty(), Option.empty()));
    }
    a.add(new PatternMatch("phone", new scala.util.matching.Regex("^1[3-9]\\d{9}$",
        JavaConverters.asScalaBuffer(List.<String>of()).toSeq()), Option.empty(), Option.empty()));
    a.add(new PatternMatch("id_card", new scala.util.matching.Regex("^\\d{17}[\\dXx]$",
        JavaConverters.asScalaBuffer(List.<String>of()).toSeq()), Option.empty(), Option.empty()));
    a.add(new Compliance("gender", "gender IN ('M', 'F')", Option.empty(),
        JavaConverters.asScalaBuffer(List.of("gender")).toList(), Option.empty()));
    a.add(new Compliance("income>=0", "monthly_income >= 0", Option.empty(),
        JavaConverters.asScalaBuffer(List.of("monthly_income")).toList(), Option.empty()));
    a.add(new Compliance("income range", "monthly_income BETWEEN 0 AND 1000000", Option.empty(),
        JavaConverters.asScalaBuffer(List.of("monthly_income")).toList(), Option.empty()));
    AnalyzerContext ctx = AnalysisRunner.run(data, new Analysis((scala.collection.Seq) JavaConverters.asScalaBuffer(a)
        .toSeq()), Option.empty(), Option.empty(), org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    double seconds = (System.nanoTime() - t0) / 1e9;
    Analyzer size = a.get(0);
    double rows = ((Number) ((com.amazon.deequ.metrics.DoubleMetric) ctx.metric(size).get()).value().get())
        .doubleValue();
    System.out.printf("{\"rows\": %.0f, \"seconds\": %.3f, \"metrics\": %d}%n", rows, seconds, ctx.metricMap().size());
    spark.stop();
  }
}
