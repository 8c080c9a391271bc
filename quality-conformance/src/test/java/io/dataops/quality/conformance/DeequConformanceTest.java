package io.dataops.quality.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.amazon.deequ.analyzers.Analysis;
import com.amazon.deequ.analyzers.Analyzer;
import com.amazon.deequ.analyzers.ApproxCountDistinct;
import com.amazon.deequ.analyzers.ApproxQuantile;
import com.amazon.deequ.analyzers.Completeness;
import com.amazon.deequ.analyzers.Compliance;
import com.amazon.deequ.analyzers.CountDistinct;
import com.amazon.deequ.analyzers.Distinctness;
import com.amazon.deequ.analyzers.Maximum;
import com.amazon.deequ.analyzers.Mean;
import com.amazon.deequ.analyzers.Minimum;
import com.amazon.deequ.analyzers.Size;
import com.amazon.deequ.analyzers.StandardDeviation;
import com.amazon.deequ.analyzers.Sum;
import com.amazon.deequ.analyzers.Uniqueness;
import com.amazon.deequ.analyzers.runners.AnalysisRunner;
import com.amazon.deequ.analyzers.runners.AnalyzerContext;
import com.amazon.deequ.metrics.DoubleMetric;
import com.amazon.deequ.metrics.Metric;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Option;
import scala.collection.JavaConverters;

/**
 * Our metrics equal Amazon Deequ's (2.1.0, Spark 3.5, local[2]) on the same data: generated citizens with planted
 * defects, landed and checked by the real `dataops` command, then read by Spark from the same Parquet files.
 * Exact metrics must agree to 1e-9 (relative); approximate ones within their sketches' stated error.
 */
class DeequConformanceTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String PHONE = "^1[3-9]\\d{9}$";
  @TempDir static Path dir;
  static SparkSession spark;
  static Map<String, Double> ours = new HashMap<>();
  static Dataset<Row> data;
  static Path root;

  static String run(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(root.resolve("bin/dataops").toString()));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--home", dir.resolve("home").toString()));
    Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("stderr.log").toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", args) + ": " + Files.readString(dir.resolve("stderr.log"))).isZero();
    return out;
  }

  @BeforeAll
  static void prepare() throws Exception {
    root = Path.of("").toAbsolutePath().getParent();
    assertThat(root.resolve("platform/target/dataops.jar")).as("the platform is built before this module").exists();
    Path feed = dir.resolve("citizens.csv");
    run("generate", "--dataset", "citizens", "--rows", "30000", "--population", "30000", "--defect-rate", "0.05",
        "--seed", "9", "--out", feed.toString());
    // The department lands its feed and checks it: the home's local admin enrolls it first.
    run("org", "add", "public-security", "--name", "public security", "--kind", "department");
    run("user", "add", "ps-clerk", "--org", "public-security", "--roles", "department", "--save");
    run("land", "--department", "public-security", "--dataset", "citizens", "--file", feed.toString(), "--as",
        "ps-clerk");
    Path suite = dir.resolve("suite.json");
    Files.writeString(suite, """
        {"name": "conformance", "expectations": [
          {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "phone"}},
          {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "address"}},
          {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "birth_date"}},
          {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "record_id"}},
          {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "id_card"}},
          {"type": "expect_column_values_to_match_regex", "kwargs": {"column": "phone", "regex": "%s"}, "id": "phone"},
          {"type": "expect_column_mean_to_be_between", "kwargs": {"column": "monthly_income", "min_value": 0}},
          {"type": "expect_column_median_to_be_between", "kwargs": {"column": "monthly_income", "min_value": 0}},
          {"type": "expect_compound_columns_to_be_unique", "kwargs": {"column_list": ["gender", "district_code", "birth_date"]}}
        ]}
        """.formatted(PHONE.replace("\\", "\\\\")));
    JsonNode result = JSON.readTree(run("quality", "run", "--table", "ods.public_security__citizens", "--suite",
        suite.toString(), "--json", "--as", "ps-clerk"));
    for (JsonNode m : result.at("/meta/metrics")) {
      ours.put(m.get("name").asText() + "|" + m.get("instance").asText(), m.get("value").asDouble());
    }
    spark = SparkSession.builder().master("local[2]").appName("deequ-conformance")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.host", "127.0.0.1").config("spark.sql.session.timeZone", "UTC").getOrCreate();
    data = spark.read().parquet(dir.resolve("home/warehouse/ods/public_security__citizens/data").toString());
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  private static scala.collection.Seq<String> seq(String... columns) {
    return JavaConverters.asScalaBuffer(List.of(columns)).toSeq();
  }

  @Test
  void exactMetricsAreEqualAndApproximateOnesWithinTheirError() {
    List<Analyzer<?, ? extends Metric<?>>> analyzers = new ArrayList<>();
    Map<String, Analyzer<?, ? extends Metric<?>>> byKey = new HashMap<>();
    put(byKey, "Size|*", new Size(Option.empty()));
    for (String c : List.of("phone", "address", "birth_date", "record_id", "id_card", "monthly_income")) {
      put(byKey, "Completeness|" + c, new Completeness(c, Option.empty(), Option.empty()));
    }
    for (String c : List.of("record_id", "id_card")) {
      put(byKey, "Uniqueness|" + c, new Uniqueness(seq(c), Option.empty(), Option.empty()));
      put(byKey, "Distinctness|" + c, new Distinctness(seq(c), Option.empty()));
      put(byKey, "CountDistinct|" + c, new CountDistinct(seq(c)));
    }
    String compound = "gender,district_code,birth_date";
    put(byKey, "Uniqueness|" + compound, new Uniqueness(seq("gender", "district_code", "birth_date"), Option.empty(),
        Option.empty()));
    put(byKey, "Distinctness|" + compound, new Distinctness(seq("gender", "district_code", "birth_date"), Option.empty()));
    put(byKey, "CountDistinct|" + compound, new CountDistinct(seq("gender", "district_code", "birth_date")));
    put(byKey, "Minimum|monthly_income", new Minimum("monthly_income", Option.empty(), Option.empty()));
    put(byKey, "Maximum|monthly_income", new Maximum("monthly_income", Option.empty(), Option.empty()));
    put(byKey, "Mean|monthly_income", new Mean("monthly_income", Option.empty()));
    put(byKey, "Sum|monthly_income", new Sum("monthly_income", Option.empty()));
    put(byKey, "StandardDeviation|monthly_income", new StandardDeviation("monthly_income", Option.empty()));
    // Our Compliance counts the rows with a value (Great Expectations' view): Deequ's with the same filter.
    put(byKey, "Compliance(phone)|phone", new Compliance("phone", "phone RLIKE '" + PHONE.replace("\\", "\\\\") + "'",
        Option.apply("phone IS NOT NULL"), JavaConverters.asScalaBuffer(List.of("phone")).toList(), Option.empty()));
    ApproxQuantile median = new ApproxQuantile("monthly_income", 0.5, 0.01, Option.empty());
    ApproxCountDistinct approxIds = new ApproxCountDistinct("id_card", Option.empty());
    byKey.values().forEach(analyzers::add);
    analyzers.add(median);
    analyzers.add(approxIds);
    AnalyzerContext deequ = AnalysisRunner.run(data, new Analysis(asSeq(analyzers)),
        Option.empty(), Option.empty(), org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());

    for (var e : byKey.entrySet()) {
      double theirs = value(deequ, e.getValue());
      assertThat(ours).as("we computed " + e.getKey()).containsKey(e.getKey());
      double mine = ours.get(e.getKey());
      assertThat(mine).as(e.getKey() + ": ours " + mine + ", Deequ " + theirs)
          .isCloseTo(theirs, within(1e-9 * Math.max(1.0, Math.abs(theirs))));
    }
    assertThat(ours.get("Size|*")).isEqualTo(data.count());

    // Approximate: both medians must lie within their rank error of the exact median's rank.
    double ourMedian = ours.get("Median|monthly_income");
    double theirMedian = value(deequ, median);
    long n = data.filter("monthly_income IS NOT NULL").count();
    assertThat(rank(ourMedian, n)).as("our sketch's median's rank").isCloseTo(0.5, within(0.01));
    assertThat(rank(theirMedian, n)).as("Deequ's median's rank").isCloseTo(0.5, within(0.011));
    double exactDistinct = ours.get("CountDistinct|id_card");
    assertThat(value(deequ, approxIds) / exactDistinct).as("Deequ's HyperLogLog against our exact count")
        .isCloseTo(1.0, within(0.05));
  }

  /** Scala's generics are invariant where Java's wildcards are not: one unchecked view, in one place. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static scala.collection.Seq<Analyzer<?, Metric<?>>> asSeq(List<Analyzer<?, ? extends Metric<?>>> list) {
    return (scala.collection.Seq) JavaConverters.asScalaBuffer(list).toSeq();
  }

  private static double rank(double v, long n) {
    return data.filter("monthly_income IS NOT NULL AND monthly_income <= " + v).count() / (double) n;
  }

  private static void put(Map<String, Analyzer<?, ? extends Metric<?>>> map, String key,
      Analyzer<?, ? extends Metric<?>> a) {
    map.put(key, a);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static double value(AnalyzerContext ctx, Analyzer a) {
    Option<Metric<?>> m = (Option) ctx.metric(a);
    assertThat(m.isDefined()).as("Deequ computed " + a).isTrue();
    Metric<?> metric = m.get();
    assertThat(metric.value().isSuccess()).as(a + ": " + metric.value()).isTrue();
    return ((Number) ((DoubleMetric) metric).value().get()).doubleValue();
  }
}
