package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataops.lakehouse.storage.ObjectStore;
import io.dataops.lakehouse.testing.S3Server;
import io.dataops.platform.Main;
import io.minio.MinioClient;
import io.minio.UploadObjectArgs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * bucket of the server.
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
    env = Map.of("DATAOPS_WAREHOUSE", "s3://" + bucket + "/warehouse",
        "AWS_ENDPOINT_URL", S3Server.endpoint().toString(),
        "AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY,
        "DATAOPS_CACHE_DIR", dir.resolve("cache").toString());
    Path home = dir.resolve("home");
    TestCast.enroll(home);

    // The department: a contract, and a feed put into the landing zone as any S3 client would.
    Path feed = dir.resolve("feeds/citizens.csv");
    ok(TestCast.PUBLIC_SECURITY, "generate", "--dataset", "citizens", "--rows", "1500", "--out", feed.toString());
    ok(TestCast.PUBLIC_SECURITY, "contract", "register", "--department", "public-security", "--dataset", "citizens",
        "--file", dir.resolve("feeds/citizens.csv.contract.yaml").toString());
    MinioClient minio = MinioClient.builder().endpoint(S3Server.endpoint().toString())
        .credentials(S3Server.ACCESS_KEY, S3Server.SECRET_KEY).region("us-east-1").build();
    minio.uploadObject(UploadObjectArgs.builder().bucket(bucket).object("landing/public-security/citizens/c1.csv")
        .filename(feed.toString()).build());
    JsonNode landed = ok(TestCast.PUBLIC_SECURITY, "land", "--department", "public-security", "--from-bucket",
        "--json");
    assertThat(landed.get("landed")).singleElement().satisfies(l -> assertThat(l.get("rowsRead").asLong())
        .isEqualTo(1500));

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

    // Sealed into the bucket, verified, destroyed.
    JsonNode sealed = ok(TestCast.AUTHORITY, "product", "seal", PRODUCT, "1", "--json");
    String archive = "s3://" + bucket + "/archive/" + PRODUCT + "/v1";
    assertThat(sealed.get("archive").asText()).isEqualTo(archive);
    assertThat(sealed.get("objectLock").asText()).isEqualTo("unsupported, enforced by the platform");
    assertThat(S3Server.keys(bucket, "archive/" + PRODUCT + "/v1/")).hasSize(dataKeys.size() + 1);
    assertThat(ok(TestCast.AUDITOR, "product", "verify", PRODUCT, "1", "--json").get("ok").asBoolean()).isTrue();
    JsonNode destroyed = ok(TestCast.AUTHORITY, "product", "destroy", PRODUCT, "1", "--json");
    assertThat(destroyed.get("state").asText()).isEqualTo("destroyed");
    assertThat(destroyed.at("/postCheck/passed").asBoolean()).isTrue();
    List<String> checks = new ArrayList<>();
    destroyed.at("/postCheck/checks").forEach(c -> checks.add(c.asText()));
    assertThat(checks).contains("the archive copy " + archive + " is gone: passed",
        "no local copy of a removed file is left in the read-through cache: passed");

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
    assertThat(ObjectStore.isObjectLocation(archive)).isTrue();
    try (var under = Files.walk(home)) {
      assertThat(under.map(Path::toString)).as("no data file under the home").noneMatch(p -> p.endsWith(".parquet"));
    }
    assertThat(run(TestCast.AUDITOR, "product", "verify", PRODUCT, "1").err()).contains("was destroyed");
  }
}
