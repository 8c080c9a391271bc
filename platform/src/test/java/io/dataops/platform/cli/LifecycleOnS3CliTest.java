package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataops.core.digest.Digests;
import io.dataops.governance.audit.AuditTrail;
import io.dataops.governance.metering.Metering;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.session.Sessions;
import io.dataops.lakehouse.testing.S3Server;
import io.dataops.platform.Main;
import io.minio.MinioClient;
import io.minio.UploadObjectArgs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The whole way on object storage, through the command line configured as production is (the AWS SDK's environment
 * variables, S3Proxy over HTTP): a department puts a feed into the landing zone with the MinIO SDK, {@code land
 * --from-bucket} lands it, the operator's pipeline makes version 1, which is reviewed, published, sealed (its archive
 * in the bucket), verified and destroyed; destroy's post-check passes, and no object of the version is left in any
 * bucket of the server. On the way a partner takes the published version by presigned GET URL.
 */
class LifecycleOnS3CliTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String PRODUCT = "income-by-street";
  @TempDir Path dir;

  record Run(int exit, String out, String err) {
    JsonNode json() throws Exception {
      return JSON.readTree(out);
    }
  }

  private Map<String, String> env;

  private Run run(String as, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--home", dir.resolve("home").toString(), "--as", as));
    int exit = Main.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env);
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private JsonNode ok(String as, String... args) throws Exception {
    Run r = run(as, args);
    assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
    return List.of(args).contains("--json") ? r.json() : null;
  }

  @Test
  void aFeedFromTheBucketBecomesAVersionThatIsSealedAndDestroyedLeavingNoObject() throws Exception {
    String bucket = S3Server.newBucket("lifecycle");
    env = new java.util.HashMap<>(Map.of("DATAOPS_WAREHOUSE", "s3://" + bucket + "/warehouse",
        "AWS_ENDPOINT_URL", S3Server.endpoint().toString(),
        "AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY,
        "DATAOPS_CACHE_DIR", dir.resolve("cache").toString()));
    env.putAll(io.dataops.lakehouse.testing.TestStorage.catalogEnvironment()); // PostgreSQL on that profile
    Path home = dir.resolve("home");
    TestCast.enroll(home, env);

    // The department: a contract, and a feed put into the landing zone as any S3 client would.
    Path feed = dir.resolve("feeds/citizens.csv");
    ok(TestCast.PUBLIC_SECURITY, "generate", "--dataset", "citizens", "--rows", "1500", "--out", feed.toString());
    ok(TestCast.PUBLIC_SECURITY, "contract", "register", "--department", "public-security", "--dataset", "citizens",
        "--file", dir.resolve("feeds/citizens.csv.contract.yaml").toString());
    Path suite = dir.resolve("citizens.suite.yaml");
    Files.writeString(suite, """
        name: citizens
        expectations:
          - type: expect_table_row_count_to_be_between
            kwargs: {min_value: 1}
        """);
    ok(TestCast.PUBLIC_SECURITY, "quality", "suite", "register", "--department", "public-security", "--dataset",
        "citizens", "--file", suite.toString());
    MinioClient minio = MinioClient.builder().endpoint(S3Server.endpoint().toString())
        .credentials(S3Server.ACCESS_KEY, S3Server.SECRET_KEY).region("us-east-1").build();
    minio.uploadObject(UploadObjectArgs.builder().bucket(bucket).object("landing/public-security/citizens/c1.csv")
        .filename(feed.toString()).build());
    JsonNode landed = ok(TestCast.PUBLIC_SECURITY, "land", "--department", "public-security", "--from-bucket",
        "--json");
    assertThat(landed.get("landed")).singleElement().satisfies(l -> assertThat(l.get("rowsRead").asLong())
        .isEqualTo(1500));
    // The department's quality report is delivered to its outbox in the bucket.
    assertThat(S3Server.keys(bucket, "outbox/public-security/citizens/")).anyMatch(k -> k.endsWith("/report.zh.html"))
        .anyMatch(k -> k.endsWith("/failing-rows.csv")).anyMatch(k -> k.endsWith("/validation.json"));

    // The operator's pipeline under a grant: version 1, reviewed and published.
    TestCast.grant(home, env, "test", PRODUCT);
    Path pipelines = Files.createDirectories(dir.resolve("pipelines"));
    Path pipeline = pipelines.resolve("income.yaml");
    Files.writeString(pipeline, CliTest.PIPELINE);
    Files.writeString(pipelines.resolve("gate.yaml"), """
        name: gate
        expectations:
          - type: expect_table_row_count_to_be_between
            kwargs: {min_value: 1}
        """);
    JsonNode made = ok(TestCast.OPERATOR, "pipeline", "run", pipeline.toString(), "--json");
    assertThat(made.get("version").asInt()).isEqualTo(1);
    ok(TestCast.OPERATOR, "product", "submit", PRODUCT, "1");
    ok(TestCast.AUTHORITY, "product", "approve", PRODUCT, "1");
    ok(TestCast.OPERATOR, "product", "publish", PRODUCT, "1", "--channel", "public-interest", "--licence", "open");
    List<String> dataKeys = new ArrayList<>();
    for (String key : S3Server.keys(bucket, "warehouse/product/income_by_street/data/")) {
      dataKeys.add(key);
    }
    assertThat(dataKeys).isNotEmpty();

    // A partner takes the published version by presigned URL: fetched over HTTP from the server while it lasts,
    // refused once expired; each delivery audited and metered, the URL itself in neither.
    JsonNode byUrl = ok(TestCast.PARTNER, "product", "deliver", PRODUCT, "1", "--url", "--expires", "1h", "--json");
    long rows = byUrl.get("rows").asLong();
    assertThat(rows).isPositive();
    assertThat(byUrl.get("object").asText()).startsWith("s3://" + bucket + "/deliveries/" + PRODUCT + "/v1/partner-co/");
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> fetched = http.send(HttpRequest.newBuilder(URI.create(byUrl.get("url").asText())).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(fetched.statusCode()).isEqualTo(200);
    assertThat(fetched.body().lines()).hasSize((int) rows + 1).first()
        .isEqualTo("person,phone,gender,birth_date,district_code,monthly_income");
    assertThat(Digests.sha256(fetched.body())).isEqualTo(byUrl.get("sha256").asText());
    URI unsigned = URI.create(byUrl.get("url").asText().replaceFirst("\\?.*", ""));
    assertThat(http.send(HttpRequest.newBuilder(unsigned).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode()).as("without its signature").isEqualTo(403);
    JsonNode brief = ok(TestCast.PARTNER, "product", "deliver", PRODUCT, "1", "--url", "--expires", "1s", "--json");
    Thread.sleep(2500);
    HttpResponse<String> expired = http.send(HttpRequest.newBuilder(URI.create(brief.get("url").asText())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(expired.statusCode()).as(expired.body()).isEqualTo(403);
    assertThat(run(TestCast.PARTNER, "product", "deliver", PRODUCT, "1", "--url", "--expires", "8d").err())
        .contains("expires after 1 second to 7 days, not 8d");
    assertThat(run(TestCast.OPERATOR, "product", "deliver", PRODUCT, "1", "--url").err())
        .contains("requires role partner");
    JsonNode events = ok(TestCast.AUDITOR, "audit", "list", "--action", "product.deliver", "--json");
    assertThat(events.get("events")).hasSize(2).allSatisfy(e -> {
      assertThat(e.at("/details/via").asText()).isEqualTo("presigned-url");
      assertThat(e.at("/details/rows").asLong()).isEqualTo(rows);
      assertThat(e.toString()).doesNotContain("X-Amz-Signature");
    });
    PlatformConfig config = PlatformConfig.load(home, env);
    Metering metering = new Metering(Sessions.database(config), new AuditTrail(Sessions.database(config)));
    metering.sync();
    assertThat(metering.deliveries(Instant.now().minusSeconds(3600), Instant.now().plusSeconds(60)))
        .hasSize(2).allSatisfy(d -> {
          assertThat(d.via()).isEqualTo("presigned-url");
          assertThat(d.partner()).isEqualTo("partner-co");
          assertThat(d.rows()).isEqualTo(rows);
        });

    // Sealed into the bucket, verified, destroyed.
    JsonNode sealed = ok(TestCast.AUTHORITY, "product", "seal", PRODUCT, "1", "--json");
    String archive = "s3://" + bucket + "/archive/" + PRODUCT + "/v1";
    assertThat(sealed.get("archive").asText()).isEqualTo(archive);
    assertThat(sealed.get("objectLock").asText()).isEqualTo("unsupported, enforced by the platform");
    assertThat(S3Server.keys(bucket, "archive/" + PRODUCT + "/v1/")).hasSize(dataKeys.size() + 1);
    assertThat(ok(TestCast.AUDITOR, "product", "verify", PRODUCT, "1", "--json").get("ok").asBoolean()).isTrue();
    // Found by a probe: a URL handed out before the seal kept working until it expired (up to 7 days).
    assertThat(http.send(HttpRequest.newBuilder(URI.create(byUrl.get("url").asText())).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode()).as("a delivered URL after the seal").isEqualTo(404);
    assertThat(S3Server.keys(bucket, "deliveries/")).isEmpty();
    JsonNode destroyed = ok(TestCast.AUTHORITY, "product", "destroy", PRODUCT, "1", "--json");
    assertThat(destroyed.get("state").asText()).isEqualTo("destroyed");
    assertThat(destroyed.at("/postCheck/passed").asBoolean()).isTrue();
    List<String> checks = new ArrayList<>();
    destroyed.at("/postCheck/checks").forEach(c -> checks.add(c.asText()));
    assertThat(checks).contains("the archive copy " + archive + " is gone: passed",
        "no delivery of the version is left under s3://" + bucket + "/deliveries/" + PRODUCT + "/v1/: passed",
        "no local copy of a removed file is left in this process's read-through cache (" + dir.resolve("cache")
            + "); other users' and hosts' caches drop theirs at their next use: passed");

    // No object of the version in any bucket of the server: neither its data files nor its archive copies.
    List<String> names = dataKeys.stream().map(k -> k.substring(k.lastIndexOf('/') + 1)).toList();
    try (S3Client s3 = S3Server.client()) {
      for (var b : s3.listBuckets().buckets()) {
        for (String key : S3Server.keys(b.name(), "")) {
          assertThat(names).as("s3://" + b.name() + "/" + key).noneMatch(key::endsWith);
          assertThat(key).doesNotStartWith("archive/" + PRODUCT + "/v1/");
        }
      }
    }
    assertThat(S3Server.keys(bucket, "deliveries/")).isEmpty();
    // The destruction's audit checkpoint is anchored in the archive's bucket (under its object lock where it has one).
    assertThat(S3Server.keys(bucket, "archive/_audit-checkpoints/")).singleElement().asString()
        .matches("archive/_audit-checkpoints/[0-9]{19}/manifest\\.json");
    assertThat(ok(TestCast.AUDITOR, "audit", "verify", "--json").get("ok").asBoolean()).isTrue();
    // The URLs' objects are gone, the copies fetched through them are not: listed, and the partner told in its outbox.
    assertThat(destroyed.get("copiesOutside").asInt()).isEqualTo(2);
    assertThat(S3Server.keys(bucket, "outbox/partner-co/")).containsExactly(
        "outbox/partner-co/notices/" + PRODUCT + "-v1-destroyed.json");
    assertThat(destroyed.get("certificate").asText())
        .isEqualTo("s3://" + bucket + "/certificates/" + PRODUCT + "-v1-destruction.json");
    assertThat(S3Server.keys(bucket, "certificates/")).containsExactly(
        "certificates/" + PRODUCT + "-v1-destruction.html", "certificates/" + PRODUCT + "-v1-destruction.json");
    // The month's statement and evaluation go to the authority's outbox in the bucket too.
    String month = java.time.YearMonth.now(java.time.ZoneId.of("Asia/Shanghai")).toString();
    assertThat(ok(TestCast.AUTHORITY, "billing", "statement", "--period", month, "--json").get("csv").asText())
        .isEqualTo("s3://" + bucket + "/outbox/bureau/billing/statement-" + month + ".csv");
    assertThat(ok(TestCast.AUTHORITY, "evaluate", "--period", month, "--json").get("html").asText())
        .isEqualTo("s3://" + bucket + "/outbox/bureau/evaluation/evaluation-" + month + ".html");
    assertThat(S3Server.keys(bucket, "outbox/bureau/")).hasSize(3);
    assertThat(home.resolve("outbox")).as("reports go to the bucket").doesNotExist();
    assertThat(home.resolve("certificates")).doesNotExist();
    assertThat(home.resolve("archive")).doesNotExist();
    assertThat(http.send(HttpRequest.newBuilder(URI.create(byUrl.get("url").asText())).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode()).as("a delivered URL after the destruction")
        .isEqualTo(404);
    try (var under = Files.walk(home)) {
      assertThat(under.map(Path::toString)).as("no data file under the home").noneMatch(p -> p.endsWith(".parquet"));
    }
    assertThat(run(TestCast.AUDITOR, "product", "verify", PRODUCT, "1").err()).contains("was destroyed");
  }
}
