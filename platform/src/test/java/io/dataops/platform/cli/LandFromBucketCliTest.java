package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dataops land --from-bucket} with the warehouse and the landing zone in a bucket of S3Proxy, configured as
 * production is (the AWS SDK's environment variables): a department puts objects with the MinIO SDK; each is landed
 * once and moved to landed/ or rejected/ with its reason; another department's objects stay where they are.
 */
class LandFromBucketCliTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  String bucket;
  Map<String, String> env;

  @BeforeEach
  void productionStorage() {
    bucket = S3Server.newBucket("intake");
    env = Map.of("DATAOPS_WAREHOUSE", "s3://" + bucket + "/warehouse",
        "AWS_ENDPOINT_URL", S3Server.endpoint().toString(),
        "AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY,
        "DATAOPS_CACHE_DIR", dir.resolve("cache").toString());
    TestCast.enroll(dir.resolve("home"));
  }

  record Run(int exit, String out, String err) {
    JsonNode json() throws Exception {
      return JSON.readTree(out);
    }
  }

  Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--home", dir.resolve("home").toString(), "--as", TestCast.PUBLIC_SECURITY));
    int exit = Main.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), env);
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theDepartmentsObjectsLandOnceAndAreMovedWithTheirReasons() throws Exception {
    Path feed = dir.resolve("feeds/citizens.csv");
    Run gen = run("generate", "--dataset", "citizens", "--rows", "300", "--out", feed.toString(), "--defect-rate",
        "0.05");
    assertThat(gen.exit()).as(gen.err()).isZero();
    Run registered = run("contract", "register", "--department", "public-security", "--dataset", "citizens", "--file",
        dir.resolve("feeds/citizens.csv.contract.yaml").toString());
    assertThat(registered.exit()).as(registered.err()).isZero();

    MinioClient minio = MinioClient.builder().endpoint(S3Server.endpoint().toString())
        .credentials(S3Server.ACCESS_KEY, S3Server.SECRET_KEY).region("us-east-1").build();
    String prefix = "landing/public-security/citizens/";
    for (String key : List.of(prefix + "monday.csv", prefix + "monday-again.csv", "landing/tax/payers/t.csv")) {
      minio.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(key).filename(feed.toString()).build());
    }
    Path garbage = Files.writeString(dir.resolve("broken.xlsx"), "not,a\nworkbook\n");
    minio.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(prefix + "broken.xlsx")
        .filename(garbage.toString()).build());

    Run landed = run("land", "--department", "public-security", "--from-bucket", "--json");
    assertThat(landed.exit()).as(landed.err()).isZero();
    JsonNode json = landed.json();
    assertThat(json.get("zone").asText()).isEqualTo("s3://" + bucket);
    assertThat(json.get("landed")).hasSize(2);
    JsonNode first = json.get("landed").get(1); // key order: monday-again.csv, monday.csv
    assertThat(json.get("landed").get(0).get("object").asText()).endsWith("monday-again.csv");
    assertThat(json.get("landed").get(0).get("snapshotId").isNull()).isFalse();
    assertThat(first.get("duplicateOf").asLong()).as("the same content lands once")
        .isEqualTo(json.get("landed").get(0).get("snapshotId").asLong());
    assertThat(first.get("rowsRead").asLong()).isZero();
    assertThat(json.get("landed").get(0).get("rowsRead").asLong()).isEqualTo(300);
    assertThat(json.get("rejected")).singleElement().satisfies(r -> {
      assertThat(r.get("object").asText()).endsWith("broken.xlsx");
      assertThat(r.get("reason").asText()).contains("the contract promises csv but the file name says xlsx");
      assertThat(r.get("movedTo").asText()).isEqualTo("s3://" + bucket + "/rejected/public-security/citizens/broken.xlsx");
    });

    assertThat(S3Server.keys(bucket, "landing/")).containsExactly("landing/tax/payers/t.csv");
    assertThat(S3Server.keys(bucket, "landed/")).containsExactly(
        "landed/public-security/citizens/monday-again.csv", "landed/public-security/citizens/monday-again.csv.result.json",
        "landed/public-security/citizens/monday.csv", "landed/public-security/citizens/monday.csv.result.json");
    assertThat(S3Server.keys(bucket, "rejected/")).hasSize(2);
    assertThat(S3Server.keys(bucket, "warehouse/ods/public_security__citizens/data/")).isNotEmpty();
    try (Stream<Path> under = Files.walk(dir.resolve("home"))) {
      assertThat(under.map(Path::toString)).as("no data file under the home").noneMatch(p -> p.endsWith(".parquet"));
    }

    Run again = run("land", "--department", "public-security", "--from-bucket", "--json");
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.json().get("landed")).isEmpty();
    assertThat(run("land", "--department", "tax", "--from-bucket").exit()).as("another department's objects")
        .isNotZero();
  }

  /**
   * A department corrects a feed it sent through the bucket as it would with {@code land --replaces}: it puts the
   * corrected file with the metadata {@code replaces=FEED_ID}; its rows replace the feed's in one commit, and the reason
   * object says so. A second correction of the same feed, and a metadata value that is no feed id, are rejected with
   * what to do.
   */
  @Test
  void anObjectWhoseMetadataNamesAFeedReplacesIt() throws Exception {
    Path monday = dir.resolve("feeds/monday.csv");
    assertThat(run("generate", "--dataset", "citizens", "--rows", "300", "--out", monday.toString()).exit()).isZero();
    Path fixed = dir.resolve("feeds/fixed.csv");
    assertThat(run("generate", "--dataset", "citizens", "--rows", "120", "--out", fixed.toString(), "--seed", "7")
        .exit()).isZero();
    Run registered = run("contract", "register", "--department", "public-security", "--dataset", "citizens", "--file",
        dir.resolve("feeds/monday.csv.contract.yaml").toString());
    assertThat(registered.exit()).as(registered.err()).isZero();
    MinioClient minio = MinioClient.builder().endpoint(S3Server.endpoint().toString())
        .credentials(S3Server.ACCESS_KEY, S3Server.SECRET_KEY).region("us-east-1").build();
    String prefix = "landing/public-security/citizens/";
    minio.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(prefix + "monday.csv")
        .filename(monday.toString()).build());
    Run first = run("land", "--department", "public-security", "--from-bucket", "--json");
    assertThat(first.exit()).as(first.err()).isZero();
    String feed = first.json().get("landed").get(0).get("feedId").asText();

    minio.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(prefix + "monday-fixed.csv")
        .filename(fixed.toString()).userMetadata(Map.of("replaces", feed)).build());
    Run corrected = run("land", "--department", "public-security", "--from-bucket", "--json");
    assertThat(corrected.exit()).as(corrected.err()).isZero();
    JsonNode landed = corrected.json().get("landed").get(0);
    assertThat(landed.at("/replaced/feedId").asText()).as(corrected.out()).isEqualTo(feed);
    assertThat(landed.at("/replaced/rows").asLong()).isEqualTo(first.json().get("landed").get(0).get("rowsLanded")
        .asLong());
    String newer = landed.get("feedId").asText();
    JsonNode reason;
    try (var in = S3Server.client().getObject(b -> b.bucket(bucket)
        .key("landed/public-security/citizens/monday-fixed.csv.result.json"))) {
      reason = JSON.readTree(in);
    }
    assertThat(reason.get("replaces").asText()).isEqualTo(feed);
    assertThat(reason.get("rowsReplaced").asLong()).isEqualTo(landed.at("/replaced/rows").asLong());

    // The old feed is gone: correcting it again names the feed that replaced it, in the bucket's terms.
    Path again = dir.resolve("feeds/again.csv");
    assertThat(run("generate", "--dataset", "citizens", "--rows", "90", "--out", again.toString(), "--seed", "8")
        .exit()).isZero();
    minio.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(prefix + "again.csv")
        .filename(again.toString()).userMetadata(Map.of("replaces", feed)).build());
    minio.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(prefix + "typo.csv")
        .filename(again.toString()).userMetadata(Map.of("replaces", "monday's feed")).build());
    Run refused = run("land", "--department", "public-security", "--from-bucket", "--json");
    assertThat(refused.exit()).as(refused.err()).isZero();
    assertThat(refused.json().get("landed")).isEmpty();
    assertThat(refused.json().get("rejected")).hasSize(2);
    assertThat(refused.json().get("rejected").get(0).get("reason").asText()).contains("was replaced already, by feed "
        + newer).endsWith("to correct it again, put the file in the landing zone again with the metadata replaces="
        + newer).doesNotContain("--replaces");
    assertThat(refused.json().get("rejected").get(1).get("reason").asText()).startsWith("the object's metadata "
        + "replaces is no feed id");
    assertThat(S3Server.keys(bucket, "landing/")).isEmpty();
  }

  /**
   * Seen by a probe as "moved to null": the sender removes an object while it is landed. What was read stays landed
   * (and audited); the run says there is nothing to move and writes no result object.
   */
  @Test
  void anObjectItsSenderRemovesWhileItIsLandedIsSaidSo() throws Exception {
    Path feed = dir.resolve("feeds/citizens.csv");
    assertThat(run("generate", "--dataset", "citizens", "--rows", "120", "--out", feed.toString()).exit()).isZero();
    assertThat(run("contract", "register", "--department", "public-security", "--dataset", "citizens", "--file",
        dir.resolve("feeds/citizens.csv.contract.yaml").toString()).exit()).isZero();
    MinioClient minio = MinioClient.builder().endpoint(S3Server.endpoint().toString())
        .credentials(S3Server.ACCESS_KEY, S3Server.SECRET_KEY).region("us-east-1").build();
    String key = "landing/public-security/citizens/monday.csv";
    minio.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(key).filename(feed.toString()).build());

    CliTest.Run landed;
    try (PausedChild child = PausedChild.at("bucket-object-moving", dir, dir.resolve("home"), env,
        TestCast.PUBLIC_SECURITY, "land", "--department", "public-security", "--from-bucket", "--json")) {
      minio.removeObject(io.minio.RemoveObjectArgs.builder().bucket(bucket).object(key).build());
      landed = child.resume();
    }
    assertThat(landed.exit()).as(landed.err()).isZero();
    JsonNode entry = JSON.readTree(landed.out()).get("landed").get(0);
    assertThat(entry.get("rowsLanded").asLong()).isEqualTo(120);
    assertThat(entry.get("movedTo").isNull()).isTrue();
    assertThat(entry.get("why").asText()).startsWith("its sender removed it from the bucket while it was read");
    assertThat(S3Server.keys(bucket, "").stream().filter(k -> !k.startsWith("warehouse/")))
        .as("nothing moved, no result object without its object").isEmpty();
  }

  /**
   * Two {@code land --from-bucket} at once on the same bucket and home, in two child JVMs as two operators (or the
   * scheduler and an operator) would run them. Both take the same objects in the same key order, so they meet on each:
   * both may land it (the second finds the first's snapshot by the digest) and both may move it. Each object must
   * land exactly once, both runs exit 0, and every object ends in landed/ or rejected/ once with one reason object.
   */
  @Test
  void twoRunsAtOnceLandEachObjectOnce() throws Exception {
    Path contract = null;
    MinioClient minio = MinioClient.builder().endpoint(S3Server.endpoint().toString())
        .credentials(S3Server.ACCESS_KEY, S3Server.SECRET_KEY).region("us-east-1").build();
    String prefix = "landing/public-security/citizens/";
    java.util.Map<String, Long> rows = new java.util.TreeMap<>();
    for (int i = 0; i < 8; i++) {
      Path feed = dir.resolve("feeds/f" + i + ".csv");
      Run gen = run("generate", "--dataset", "citizens", "--rows", String.valueOf(150 + i), "--out", feed.toString(),
          "--seed", String.valueOf(40 + i));
      assertThat(gen.exit()).as(gen.err()).isZero();
      contract = dir.resolve("feeds/f" + i + ".csv.contract.yaml");
      String key = prefix + "day " + i + (i % 2 == 0 ? "#" : "?") + ".csv";
      minio.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(key).filename(feed.toString()).build());
      rows.put(key, 150L + i);
    }
    Run registered = run("contract", "register", "--department", "public-security", "--dataset", "citizens", "--file",
        contract.toString());
    assertThat(registered.exit()).as(registered.err()).isZero();
    Path garbage = Files.writeString(dir.resolve("broken.xlsx"), "not,a\nworkbook\n");
    minio.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(prefix + "broken.xlsx")
        .filename(garbage.toString()).build());

    List<String> land = List.of("land", "--department", "public-security", "--from-bucket", "--json", "--home",
        dir.resolve("home").toString(), "--as", TestCast.PUBLIC_SECURITY);
    var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    List<java.util.concurrent.Future<CliTest.Run>> runs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Path log = dir.resolve("operator-" + i + ".log");
      runs.add(pool.submit(() -> ChildCli.run(List.of(), env, log, List.of(land)).get(0)));
    }
    List<JsonNode> results = new ArrayList<>();
    for (var r : runs) {
      CliTest.Run run = r.get(10, java.util.concurrent.TimeUnit.MINUTES);
      assertThat(run.exit()).as(run.err()).isZero();
      results.add(JSON.readTree(run.out()));
    }
    pool.shutdown();

    // Across both runs: every object landed new exactly once; the other run, if it met the object, found the
    // snapshot (duplicateOf), or found it moved (skipped). broken.xlsx may be judged by both runs (both refuse it),
    // and both may move it to the same name: the bucket below must hold it once.
    java.util.Map<String, Long> snapshotOf = new java.util.TreeMap<>();
    int met = 0;
    int rejected = 0;
    for (JsonNode r : results) {
      for (JsonNode l : r.get("landed")) {
        String key = l.get("object").asText().substring(("s3://" + bucket + "/").length());
        assertThat(l.get("movedTo").asText()).isEqualTo("s3://" + bucket + "/landed/" + key.substring(8));
        if (l.get("snapshotId").isNull()) {
          met++;
          assertThat(l.get("duplicateOf").isNull()).as("a landing of nothing new names the snapshot that has it")
              .isFalse();
        } else {
          assertThat(snapshotOf.put(key, l.get("snapshotId").asLong())).as("landed twice: " + key).isNull();
          assertThat(l.get("rowsLanded").asLong()).isEqualTo(rows.get(key));
        }
      }
      for (JsonNode k : r.get("skipped")) {
        met++;
        assertThat(k.get("why").asText()).isEqualTo("taken in by another run");
        assertThat(k.get("movedTo").asText()).isIn("s3://" + bucket + "/landed/" + k.get("object").asText()
            .substring(("s3://" + bucket + "/landing/").length()), "s3://" + bucket
            + "/rejected/public-security/citizens/broken.xlsx");
      }
      for (JsonNode j : r.get("rejected")) {
        rejected++;
        assertThat(j.get("movedTo").asText()).isEqualTo("s3://" + bucket
            + "/rejected/public-security/citizens/broken.xlsx");
      }
    }
    assertThat(snapshotOf.keySet()).containsExactlyElementsOf(rows.keySet());
    assertThat(rejected).isBetween(1, 2);
    System.out.printf("two runs: %d objects met by both (duplicate or skipped), %s and %s landed by each%n", met,
        results.get(0).get("landed").size(), results.get(1).get("landed").size());

    JsonNode history = run("table", "history", "ods.public_security__citizens", "--json").json().get("snapshots");
    assertThat(history).as("one snapshot per object").hasSize(rows.size());
    long total = 0;
    for (JsonNode s : history) {
      total += s.get("summary").get("added-records").asLong();
    }
    assertThat(total).as("rows exact").isEqualTo(rows.values().stream().mapToLong(Long::longValue).sum());
    List<String> expected = new ArrayList<>();
    for (String key : rows.keySet()) {
      String to = "landed/" + key.substring("landing/".length());
      expected.addAll(List.of(to, to + ".result.json"));
    }
    expected.addAll(List.of("rejected/public-security/citizens/broken.xlsx",
        "rejected/public-security/citizens/broken.xlsx.result.json"));
    assertThat(S3Server.keys(bucket, "").stream().filter(k -> !k.startsWith("warehouse/")))
        .as("each object moved once, nothing left waiting, no stray reason object")
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void anObjectStoreThatCannotBeUsedIsNamedInOneLineNotAnInternalError() throws Exception {
    // Found by a probe: a wrong endpoint ended as "internal error: SdkClientException: Unable to execute HTTP
    // request: Connection refused" (exit 1); wrong keys and a missing bucket likewise.
    Path feed = dir.resolve("feeds/citizens.csv");
    assertThat(run("generate", "--dataset", "citizens", "--rows", "20", "--out", feed.toString()).exit()).isZero();
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Map<String, String> good = env;
    String wrongSecret = "not-" + S3Server.SECRET_KEY;
    Map<String, Map<String, String>> cases = new java.util.LinkedHashMap<>();
    cases.put("cannot reach the object store: ", with(good, "AWS_ENDPOINT_URL", "http://127.0.0.1:" + closed));
    cases.put("the object store refused the request (", with(good, "AWS_SECRET_ACCESS_KEY", wrongSecret));
    cases.put("the object store has no such bucket (NoSuchBucket", with(good, "DATAOPS_WAREHOUSE",
        "s3://no-such-bucket-" + System.nanoTime() + "/warehouse"));
    Map<String, String> keyless = new java.util.HashMap<>(good);
    keyless.remove("AWS_ACCESS_KEY_ID");
    keyless.remove("AWS_SECRET_ACCESS_KEY");
    if (System.getenv("AWS_ACCESS_KEY_ID") == null
        && !Files.exists(Path.of(System.getProperty("user.home"), ".aws"))) {
      // found by a probe: no keys at all ended as an internal error listing the SDK's providers
      cases.put("no credentials for the object store: set AWS_ACCESS_KEY_ID", Map.copyOf(keyless));
    }
    try {
      for (var c : cases.entrySet()) {
        env = c.getValue();
        Run r = run("land", "--department", "public-security", "--dataset", "citizens", "--file", feed.toString(),
            "--contract", feed + ".contract.yaml");
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).startsWith("dataops: " + c.getKey()).doesNotContain("internal error", wrongSecret);
        assertThat(r.err().lines()).hasSize(1);
      }
    } finally {
      env = good;
    }
    Run landed = run("land", "--department", "public-security", "--dataset", "citizens", "--file", feed.toString(),
        "--contract", feed + ".contract.yaml");
    assertThat(landed.exit()).as("the same command, once the settings are right: " + landed.err()).isZero();
  }

  private JsonNode resultObject(String key) throws Exception {
    try (var in = S3Server.client().getObject(b -> b.bucket(bucket).key(key))) {
      return JSON.readTree(in);
    }
  }

  /**
   * Left by a probe: nothing stopped a run after failure upon failure, so a bad release moved every waiting object to
   * rejected/. Now {@link io.dataops.platform.intake.BucketIntake#MAX_FAILURES_IN_A_ROW} internal failures in a row
   * stop it (a landing between them starts the count again): the rest wait, exit 1, and the JSON says why.
   */
  @Test
  void failuresInARowStopTheRunAndTheRestWait() throws Exception {
    assertThat(io.dataops.platform.intake.BucketIntake.MAX_FAILURES_IN_A_ROW).isEqualTo(3);
    MinioClient minio = minio();
    putCitizens(minio, "a.csv", "b.csv", "c.csv", "d.csv", "e.csv", "f.csv", "g.csv", "h.csv");
    Run r = withFailing("a.csv,b.csv,d.csv,e.csv,f.csv,g.csv", "land", "--department", "public-security",
        "--from-bucket", "--json");
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    JsonNode json = r.json();
    assertThat(json.get("landed")).singleElement()
        .satisfies(l -> assertThat(l.get("object").asText()).endsWith("/c.csv"));
    assertThat(json.get("failed")).extracting(f -> f.get("object").asText().replaceAll(".*/", ""))
        .containsExactly("a.csv", "b.csv", "d.csv", "e.csv", "f.csv");
    assertThat(json.get("stopped").asText()).startsWith("stopped after 3 objects in a row failed with an internal "
        + "error").contains("the other 2 objects wait in landing/");
    assertThat(json.get("leftWaiting").asInt()).isEqualTo(2);
    assertThat(r.err()).startsWith("dataops: stopped after 3 objects in a row");
    assertThat(S3Server.keys(bucket, "landing/")).containsExactly("landing/public-security/citizens/g.csv",
        "landing/public-security/citizens/h.csv");

    Run mended = run("land", "--department", "public-security", "--from-bucket", "--json");
    assertThat(mended.exit()).as(mended.err()).isZero();
    assertThat(mended.json().get("landed")).hasSize(2);
    assertThat(mended.json().get("stopped").isNull()).isTrue();
    assertThat(S3Server.keys(bucket, "landing/")).isEmpty();
  }

  /**
   * Left by a probe: the sender put another content under the key after the run copied the object to landed/ and
   * before the conditional delete (412), and the run still said "moved to". Now it says the object was copied and the
   * new content waits; the next run lands that one.
   */
  @Test
  void anObjectPutAgainAfterItsCopyIsReportedCopiedAndTheNewOneWaits() throws Exception {
    String key = "landing/public-security/citizens/monday.csv";
    CliTest.Run held = putAgainWhileHeldAt("bucket-object-copied");
    assertThat(held.exit()).as(held.err()).isZero();
    assertThat(held.out()).contains("50 landed").contains("  copied to s3://" + bucket
        + "/landed/public-security/citizens/monday.csv, not moved: copied with its result object, but its sender put "
        + "another content under the same key").doesNotContain("moved to");
    assertThat(S3Server.keys(bucket, "landing/")).containsExactly(key);

    Run next = run("land", "--department", "public-security", "--from-bucket", "--json");
    assertThat(next.exit()).as(next.err()).isZero();
    assertThat(next.json().get("landed")).singleElement().satisfies(l -> {
      assertThat(l.get("rowsLanded").asLong()).isEqualTo(70);
      assertThat(l.get("movedTo").asText()).startsWith("s3://" + bucket
          + "/landed/public-security/citizens/monday.csv.");
      assertThat(l.has("why")).isFalse();
    });
    assertThat(S3Server.keys(bucket, "landing/")).isEmpty();
  }

  private MinioClient minio() {
    return MinioClient.builder().endpoint(S3Server.endpoint().toString())
        .credentials(S3Server.ACCESS_KEY, S3Server.SECRET_KEY).region("us-east-1").build();
  }

  /** A registered citizens contract and {@code names} put under landing/public-security/citizens/, each of 50 rows. */
  private void putCitizens(MinioClient minio, String... names) throws Exception {
    for (int i = 0; i < names.length; i++) {
      Path feed = dir.resolve("feeds/f" + i + ".csv");
      Run gen = run("generate", "--dataset", "citizens", "--rows", "50", "--out", feed.toString(), "--seed",
          String.valueOf(60 + i));
      assertThat(gen.exit()).as(gen.err()).isZero();
      minio.uploadObject(UploadObjectArgs.builder().bucket(bucket).object("landing/public-security/citizens/"
          + names[i]).filename(feed.toString()).build());
    }
    Run registered = run("contract", "register", "--department", "public-security", "--dataset", "citizens", "--file",
        dir.resolve("feeds/f0.csv.contract.yaml").toString());
    assertThat(registered.exit()).as(registered.err()).isZero();
  }

  private Run withFailing(String object, String... args) {
    System.setProperty("dataops.test.fail-taking", object);
    try {
      return run(args);
    } finally {
      System.clearProperty("dataops.test.fail-taking");
    }
  }

  /**
   * Found by a probe (O #2): an internal error while landing one object (a reader's NegativeArraySizeException on a
   * huge JSON exponent) stopped the run and left the object in landing/, so every later run stopped on it and the
   * objects after it were never taken in. Now it is moved to rejected/ with a reason that names no value, the others
   * land, and the run exits 1 saying so (what the log keeps: BucketIntakeTest).
   */
  @Test
  void anObjectWhoseLandingFailsIsMovedAsideAndTheOthersLand() throws Exception {
    MinioClient minio = minio();
    putCitizens(minio, "a-poison.csv", "b-good.csv", "c-good.csv");
    Run r = withFailing("a-poison.csv", "land", "--department", "public-security", "--from-bucket", "--json");
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).contains("1 object could not be taken in for an internal error");
    JsonNode json = r.json();
    assertThat(json.get("landed")).hasSize(2);
    assertThat(json.get("rejected")).isEmpty();
    JsonNode failed = json.get("failed").get(0);
    assertThat(json.get("failed")).hasSize(1);
    assertThat(failed.get("object").asText()).endsWith("/a-poison.csv");
    assertThat(failed.get("movedTo").asText())
        .isEqualTo("s3://" + bucket + "/rejected/public-security/citizens/a-poison.csv");
    assertThat(failed.get("reason").asText()).contains("internal error (NegativeArraySizeException)")
        .doesNotContain("-2147483648");
    assertThat(S3Server.keys(bucket, "landing/")).isEmpty();
    assertThat(S3Server.keys(bucket, "rejected/")).containsExactly("rejected/public-security/citizens/a-poison.csv",
        "rejected/public-security/citizens/a-poison.csv.result.json");
    JsonNode result = resultObject("rejected/public-security/citizens/a-poison.csv.result.json");
    assertThat(result.get("failed").asBoolean()).as("the platform's failure, not a refusal of the file").isTrue();
    assertThat(result.get("reason").asText()).isEqualTo(failed.get("reason").asText());

    Run text = run("land", "--department", "public-security", "--from-bucket");
    assertThat(text.exit()).as("the next run: nothing left to stop it " + text.err()).isZero();
  }

  /**
   * Running out of memory on one object moves it aside first (the next run does not meet it again), then stops the run
   * (exit 1, the heap's message): the error's JSON lists what was landed and moved before it (a probe found them
   * missing), and the objects after it wait for the next run.
   */
  @Test
  void anObjectThatRunsTheLandingOutOfMemoryIsMovedAsideAndTheRunStops() throws Exception {
    MinioClient minio = minio();
    putCitizens(minio, "a-good.csv", "b-huge.csv", "c-good.csv");
    Run r = withFailing("oom:b-huge.csv", "land", "--department", "public-security", "--from-bucket", "--json");
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    JsonNode json = r.json();
    assertThat(json.get("error").asText()).startsWith("dataops: out of memory");
    assertThat(json.get("landed")).singleElement().satisfies(l -> {
      assertThat(l.get("object").asText()).endsWith("/a-good.csv");
      assertThat(l.get("rowsLanded").asLong()).isEqualTo(50);
      assertThat(l.get("movedTo").asText()).endsWith("/landed/public-security/citizens/a-good.csv");
    });
    assertThat(json.get("failed")).singleElement().satisfies(f -> {
      assertThat(f.get("movedTo").asText()).endsWith("/rejected/public-security/citizens/b-huge.csv");
      assertThat(f.get("reason").asText()).startsWith("not taken in: landing it ran out of memory");
    });
    assertThat(S3Server.keys(bucket, "landing/")).containsExactly("landing/public-security/citizens/c-good.csv");

    Run next = run("land", "--department", "public-security", "--from-bucket", "--json");
    assertThat(next.exit()).as(next.err()).isZero();
    assertThat(next.json().get("landed")).singleElement()
        .satisfies(l -> assertThat(l.get("object").asText()).endsWith("/c-good.csv"));
    assertThat(S3Server.keys(bucket, "landing/")).isEmpty();
  }

  /** The same when the failure reaches the intake wrapped (as a landing worker's could): named by its innermost cause. */
  @Test
  void aWrappedFailureIsNamedByItsCauseAndAWrappedOutOfMemoryStillStopsTheRun() throws Exception {
    MinioClient minio = minio();
    putCitizens(minio, "a.csv", "b.csv", "c.csv");
    Run r = withFailing("worker:a.csv,worker-oom:b.csv", "land", "--department", "public-security", "--from-bucket",
        "--json");
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    JsonNode json = r.json();
    assertThat(json.get("error").asText()).startsWith("dataops: out of memory");
    assertThat(json.get("landed")).isEmpty();
    assertThat(json.get("failed")).hasSize(2);
    assertThat(json.get("failed").get(0).get("reason").asText())
        .contains("internal error (NegativeArraySizeException)");
    assertThat(json.get("failed").get(1).get("reason").asText()).startsWith("not taken in: landing it ran out of memory");
    assertThat(S3Server.keys(bucket, "landing/")).containsExactly("landing/public-security/citizens/c.csv");
  }

  /**
   * Found by a probe (O #13): an object in a sub-folder of a dataset's folder, or in an upper-case dataset folder,
   * stayed in landing/ forever without a word. Now it is rejected with where it belongs, as the department looks for
   * its refused objects; another department's misplaced objects stay where they are.
   */
  @Test
  void aMisplacedObjectOfTheDepartmentIsRejectedWithWhereItBelongs() throws Exception {
    MinioClient minio = minio();
    putCitizens(minio, "good.csv");
    Path feed = dir.resolve("feeds/f0.csv");
    for (String key : List.of("landing/public-security/citizens/2026-12/nested.csv",
        "landing/public-security/Citizens/upper.csv", "landing/public-security/loose.csv",
        "landing/tax/Payers/t.csv", "landing/Public-Security/citizens/shout.csv", "landing/Tax/payers/t2.csv",
        "landing/公安 局/citizens/x.csv", "landing/stray.csv", "landing/public-securty/citizens/typo.csv",
        "landing/market-regulation/Licences/m.csv", "landing/Market-Regulation/licences/m2.csv")) {
      minio.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(key).filename(feed.toString()).build());
    }
    Run r = run("land", "--department", "public-security", "--from-bucket", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode json = r.json();
    assertThat(json.get("landed")).singleElement()
        .satisfies(l -> assertThat(l.get("object").asText()).endsWith("/citizens/good.csv"));
    Map<String, String> reasons = new java.util.TreeMap<>();
    // keyed by the path under landing/public-security/, or under landing/ when it is elsewhere
    json.get("rejected").forEach(j -> reasons.put(j.get("object").asText().substring(("s3://" + bucket
        + "/landing/").length()).replaceFirst("^public-security/", ""), j.get("reason").asText()));
    assertThat(reasons).containsOnlyKeys("citizens/2026-12/nested.csv", "Citizens/upper.csv", "loose.csv",
        "Public-Security/citizens/shout.csv");
    assertThat(reasons.get("Public-Security/citizens/shout.csv")).isEqualTo("not taken in: its department's folder "
        + "is not written in lower case, as departments are named (public-security); a feed goes directly in its "
        + "dataset's folder, landing/public-security/<dataset>/<name>; put it again in "
        + "landing/public-security/citizens/");
    // tax is no department of this home, as public-securty (a probe's misspelling) is none: nobody's, as the folder
    // that is no name and the object directly under landing/ are; market-regulation's stay its own
    assertThat(json.get("unclaimed").asInt()).as("in no department's folder: counted, not read or moved").isEqualTo(5);
    assertThat(json.get("notice").asText()).startsWith("5 objects under s3://" + bucket + "/landing/ are in no "
        + "department's folder").doesNotContain("公安", "stray", "securty", "tax");
    assertThat(reasons.get("citizens/2026-12/nested.csv")).isEqualTo("not taken in: it is in a sub-folder of its "
        + "dataset's folder, which is not read; a feed goes directly in its dataset's folder, "
        + "landing/public-security/<dataset>/<name>; put it again in landing/public-security/citizens/");
    assertThat(reasons.get("Citizens/upper.csv")).startsWith("not taken in: its dataset's folder is not written in "
        + "lower case").endsWith("put it again in landing/public-security/citizens/");
    assertThat(reasons.get("loose.csv")).startsWith("not taken in: it is not in a dataset's folder");
    assertThat(S3Server.keys(bucket, "landing/")).as("another department's, in any case, and nobody's stay")
        .containsExactlyInAnyOrder("landing/tax/Payers/t.csv", "landing/Tax/payers/t2.csv",
            "landing/公安 局/citizens/x.csv", "landing/stray.csv", "landing/public-securty/citizens/typo.csv",
            "landing/market-regulation/Licences/m.csv", "landing/Market-Regulation/licences/m2.csv");
    assertThat(S3Server.keys(bucket, "rejected/")).contains("rejected/public-security/citizens/shout.csv",
        "rejected/public-security/citizens/shout.csv.result.json",
        "rejected/public-security/citizens/2026-12/nested.csv.result.json",
        "rejected/public-security/Citizens/upper.csv", "rejected/public-security/loose.csv");

    Run one = run("land", "--department", "public-security", "--dataset", "citizens", "--from-bucket", "--json");
    assertThat(one.exit()).as(one.err()).isZero();
    assertThat(one.json().get("rejected")).isEmpty();
  }

  /**
   * Found by reading (probe O #18): the reads of an object were not pinned to the object listed. An object put again
   * under its key after the listing (here: while the run is held between the listing and the read) now fails the
   * read (If-Match, 412): nothing of either content lands, and the new content waits for the next run, which lands it.
   */
  @Test
  void anObjectPutAgainWhileItIsReadLandsNothingAndWaits() throws Exception {
    String key = "landing/public-security/citizens/monday.csv";
    CliTest.Run held = putAgainWhileHeldAt("bucket-object-reading", "--json");
    assertThat(held.exit()).as(held.err()).isZero();
    JsonNode json = JSON.readTree(held.out());
    assertThat(json.get("landed")).as("no mix, and not the new content under the old one's name").isEmpty();
    assertThat(json.get("skipped")).singleElement().satisfies(s -> assertThat(s.get("why").asText())
        .startsWith("its sender put another content under the same key meanwhile"));
    assertThat(S3Server.keys(bucket, "landing/")).containsExactly(key);

    Run next = run("land", "--department", "public-security", "--from-bucket", "--json");
    assertThat(next.exit()).as(next.err()).isZero();
    assertThat(next.json().get("landed")).singleElement()
        .satisfies(l -> assertThat(l.get("rowsLanded").asLong()).isEqualTo(70));
  }

  /**
   * Puts a 50-row feed in landing/public-security/citizens/monday.csv, holds a child's {@code land --from-bucket} at
   * {@code point} and puts a 70-row feed under the same key meanwhile; the held run's outcome.
   */
  private CliTest.Run putAgainWhileHeldAt(String point, String... more) throws Exception {
    MinioClient minio = minio();
    putCitizens(minio, "monday.csv");
    Path other = dir.resolve("feeds/other.csv");
    assertThat(run("generate", "--dataset", "citizens", "--rows", "70", "--out", other.toString(), "--seed", "99")
        .exit()).isZero();
    List<String> args = new ArrayList<>(List.of("land", "--department", "public-security", "--from-bucket"));
    args.addAll(List.of(more));
    try (PausedChild child = PausedChild.at(point, dir, dir.resolve("home"), env, TestCast.PUBLIC_SECURITY,
        args.toArray(String[]::new))) {
      minio.uploadObject(UploadObjectArgs.builder().bucket(bucket)
          .object("landing/public-security/citizens/monday.csv").filename(other.toString()).build());
      return child.resume();
    }
  }

  private static Map<String, String> with(Map<String, String> env, String key, String value) {
    Map<String, String> changed = new java.util.HashMap<>(env);
    changed.put(key, value);
    return Map.copyOf(changed);
  }

  /**
   * Found by a probe: one object whose key holds an ESC (which XML 1.0 cannot carry) failed every department's run with
   * "internal error: S3Exception 500", as the listing was not URL-encoded. Now the zone is listed so, the keys come back
   * as they were put ('%' and '+' too), and an object whose name holds a control character is rejected for its name.
   */
  @Test
  void anObjectWhoseNameHoldsAControlCharacterIsRejectedAndTheOthersLand() throws Exception {
    putCitizens(minio(), "b 50%+off.csv", "c-good.csv");
    String escaped = "landing/public-security/citizens/a\u001b[31mred\nERROR.csv";
    try (var s3 = S3Server.client()) {
      s3.putObject(b -> b.bucket(bucket).key(escaped), software.amazon.awssdk.core.sync.RequestBody.fromFile(
          dir.resolve("feeds/f0.csv")));
    }
    Run r = run("land", "--department", "public-security", "--from-bucket", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode json = r.json();
    assertThat(json.get("landed")).hasSize(2);
    assertThat(json.get("landed").get(0).get("object").asText()).isEqualTo("s3://" + bucket
        + "/landing/public-security/citizens/b 50%+off.csv");
    assertThat(json.get("landed").get(0).get("rowsLanded").asLong()).isEqualTo(50);
    assertThat(json.get("rejected")).singleElement().satisfies(j -> {
      assertThat(j.get("object").asText()).isEqualTo("s3://" + bucket + "/" + escaped);
      assertThat(j.get("reason").asText()).startsWith("not taken in: its name holds a control character");
    });
    try (var s3 = S3Server.client()) {
      List<String> keys = s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("")
          .encodingType(software.amazon.awssdk.services.s3.model.EncodingType.URL)).contents().stream()
          .map(o -> o.key()).filter(k -> !k.startsWith("warehouse/")).sorted().toList();
      assertThat(keys).containsExactly("landed/public-security/citizens/b 50%+off.csv",
          "landed/public-security/citizens/b 50%+off.csv.result.json", "landed/public-security/citizens/c-good.csv",
          "landed/public-security/citizens/c-good.csv.result.json",
          "rejected/public-security/citizens/a\u001b[31mred\nERROR.csv",
          "rejected/public-security/citizens/a\u001b[31mred\nERROR.csv.result.json");
    }
  }
}
