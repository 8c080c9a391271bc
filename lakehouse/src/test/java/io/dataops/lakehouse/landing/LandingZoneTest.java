package io.dataops.lakehouse.landing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.BadInputException;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.contract.ContractParser;
import io.dataops.lakehouse.contract.FeedContract;
import io.dataops.lakehouse.contract.FeedFormat;
import io.dataops.lakehouse.sample.GenerateRequest;
import io.dataops.lakehouse.sample.GenerateResult;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.lakehouse.sample.SampleGenerator;
import io.dataops.lakehouse.testing.S3Server;
import io.dataops.lakehouse.testing.Tables;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.UploadObjectArgs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.model.S3Exception;
import org.junit.jupiter.api.io.TempDir;

/**
 * A landing zone in a bucket of S3Proxy: a department puts its feeds with the MinIO SDK, the platform lands each once
 * through Iceberg's S3FileIO (CSV, JSON Lines, Parquet and xlsx read as streams from the bucket) and moves it to
 * landed/ or rejected/ with a reason object beside it.
 */
class LandingZoneTest {
  @TempDir Path dir;

  private static MinioClient department() {
    return MinioClient.builder().endpoint(S3Server.endpoint().toString())
        .credentials(S3Server.ACCESS_KEY, S3Server.SECRET_KEY).region("us-east-1").build();
  }

  private GenerateResult generate(FeedFormat format, String name, double defects, long seed) {
    return SampleGenerator.generate(new GenerateRequest(SampleDataset.CITIZENS, 1_500, dir.resolve(name), format,
        StandardCharsets.UTF_8, defects, seed, 0, 1_500, 100, false));
  }

  private static void put(MinioClient minio, String bucket, String key, Path file) throws Exception {
    minio.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(key).filename(file.toString()).build());
  }

  /** What a platform run over the zone does, contract by dataset (the platform's own loop adds quality and feedback). */
  private static Map<String, String> landAll(Lakehouse lh, LandingZone zone, FeedContract contract) {
    Map<String, String> outcome = new LinkedHashMap<>();
    for (LandingZone.Waiting w : zone.waiting()) {
      if (!w.wellPlaced()) {
        outcome.put(w.name(), zone.rejected(w, "not under landing/<department>/<dataset>/").location());
        continue;
      }
      try {
        LandingResult r = new Landing(lh, 2, ProgressListener.NONE).land(new LandingRequest(w.department(),
            w.dataset(), zone.feed(w), contract.withFormat(FeedFormat.fromFileName(w.name()), StandardCharsets.UTF_8), null));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("table", r.table());
        result.put("snapshotId", r.snapshotId());
        result.put("duplicateOf", r.duplicateOf());
        result.put("rowsRead", r.rowsRead());
        outcome.put(w.name(), zone.landed(w, result).location());
      } catch (BadInputException refused) {
        outcome.put(w.name(), zone.rejected(w, refused.getMessage()).location());
      }
    }
    return outcome;
  }

  /**
   * The metadata naming the feed an object corrects is read for the content listed: a content put again under the key
   * since then is not judged by the old one's metadata (it waits for the next run).
   */
  @Test
  void theReplacesMetadataIsReadForTheContentListed() throws Exception {
    String bucket = S3Server.newBucket("meta");
    MinioClient minio = department();
    Path a = Path.of(generate(FeedFormat.CSV, "a.csv", 0, 1).file());
    Path b = Path.of(generate(FeedFormat.CSV, "b.csv", 0, 2).file());
    String key = "landing/public-security/citizens/fix.csv";
    minio.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(key).filename(a.toString())
        .userMetadata(Map.of("replaces", " 20261204T174206Z-1a2b3c4d ")).build());
    LandingZone zone = new LandingZone(S3Server.store(), "s3://" + bucket);
    LandingZone.Waiting listed = zone.waiting().get(0);
    assertThat(zone.metadata(listed).replaces()).isEqualTo("20261204T174206Z-1a2b3c4d");
    put(minio, bucket, key, b);
    assertThat(zone.metadata(listed)).as("another content under the key since it was listed").isNull();
    LandingZone.Waiting plain = zone.waiting().get(0);
    assertThat(zone.metadata(plain).replaces()).isNull();
    minio.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(key).filename(a.toString())
        .userMetadata(Map.of("replaces", "../x")).build());
    assertThatThrownBy(() -> zone.metadata(zone.waiting().get(0))).isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("the object's metadata replaces is no feed id");
  }

  @Test
  void everyObjectIsLandedOnceAndMovedWithItsReason() throws Exception {
    String bucket = S3Server.newBucket("zone");
    MinioClient minio = department();
    GenerateResult csv = generate(FeedFormat.CSV, "a.csv", 0.05, 1);
    GenerateResult parquet = generate(FeedFormat.PARQUET, "b.parquet", 0, 2);
    GenerateResult xlsx = generate(FeedFormat.XLSX, "c.xlsx", 0, 3);
    GenerateResult jsonl = generate(FeedFormat.JSONL, "d.jsonl", 0, 4);
    String prefix = "landing/public-security/citizens/";
    put(minio, bucket, prefix + "a.csv", Path.of(csv.file()));
    put(minio, bucket, prefix + "again.csv", Path.of(csv.file())); // the same content under another name
    put(minio, bucket, prefix + "b.parquet", Path.of(parquet.file()));
    put(minio, bucket, prefix + "c.xlsx", Path.of(xlsx.file()));
    put(minio, bucket, prefix + "d.jsonl", Path.of(jsonl.file()));
    Path empty = Files.writeString(dir.resolve("e.csv"), "");
    put(minio, bucket, prefix + "e.csv", empty);
    put(minio, bucket, "landing/stray.csv", Path.of(csv.file()));

    FeedContract contract = ContractParser.parse(SampleGenerator.contractPathFor(Path.of(csv.file())));
    try (Lakehouse lh = Lakehouse.open(S3Server.lakehouse(dir.resolve("home"), bucket))) {
      LandingZone zone = new LandingZone(lh.config().objectStore(), "s3://" + bucket);
      Map<String, String> moved = landAll(lh, zone, contract);
      assertThat(moved).containsEntry("a.csv", "s3://" + bucket + "/landed/public-security/citizens/a.csv")
          .containsEntry("again.csv", "s3://" + bucket + "/landed/public-security/citizens/again.csv")
          .containsEntry("e.csv", "s3://" + bucket + "/rejected/public-security/citizens/e.csv")
          .containsEntry("stray.csv", "s3://" + bucket + "/rejected/stray.csv");
      long expectedRows = 4 * 1_500 - csv.expectedQuarantined();
      assertThat(Tables.rows(lh.load(TableNames.ods("public-security", "citizens")))).hasSize((int) expectedRows);
      assertThat(lh.load(TableNames.ods("public-security", "citizens")).snapshots()).as("four feeds, once each")
          .hasSize(4);
      assertThat(zone.waiting()).isEmpty();
      assertThat(landAll(lh, zone, contract)).as("nothing left to land").isEmpty();
    }
    assertThat(S3Server.keys(bucket, "landing/")).isEmpty();
    String again = read(minio, bucket, "landed/public-security/citizens/again.csv.result.json");
    assertThat(again).contains("\"duplicateOf\" : ").doesNotContain("\"duplicateOf\" : null");
    assertThat(read(minio, bucket, "rejected/public-security/citizens/e.csv.result.json"))
        .contains("e.csv is empty (0 bytes): there is nothing to land");
    assertThat(read(minio, bucket, "landed/public-security/citizens/c.xlsx")).as("the object itself was moved")
        .isNotEmpty();
    assertThat(S3Server.keys(bucket, "")).filteredOn(k -> k.startsWith("landed/") || k.startsWith("rejected/"))
        .hasSize(2 * 7);
  }

  /**
   * What a tired clerk or a hostile sender puts in a bucket: a name in Chinese with spaces and URL metacharacters, a
   * key a folder too deep, a department in capitals, and the same name under two wrong places. Each is landed or
   * rejected under its own key, nothing overwrites another and nothing is lost. The MinIO SDK itself refuses '..'
   * segments. '#' and '?' are {@link #uriMetacharactersLandByTheirExactKeys}'.
   */
  @Test
  void hostileNamesLandOrAreRejectedUnderTheirOwnKeys() throws Exception {
    String bucket = S3Server.newBucket("hostile");
    MinioClient minio = department();
    GenerateResult csv = generate(FeedFormat.CSV, "h.csv", 0, 7);
    String prefix = "landing/public-security/citizens/";
    String chinese = "户籍 2026年1月 (终稿) 100% a&b=c.csv";
    put(minio, bucket, prefix + chinese, Path.of(csv.file()));
    put(minio, bucket, prefix + "deeper/x.csv", Path.of(csv.file()));
    put(minio, bucket, "landing/stray.csv", Path.of(csv.file()));
    put(minio, bucket, "landing/Public-Security/citizens/stray.csv", Path.of(csv.file()));

    FeedContract contract = ContractParser.parse(SampleGenerator.contractPathFor(Path.of(csv.file())));
    try (Lakehouse lh = Lakehouse.open(S3Server.lakehouse(dir.resolve("home"), bucket))) {
      LandingZone zone = new LandingZone(lh.config().objectStore(), "s3://" + bucket);
      assertThat(zone.waiting()).hasSize(4);
      Map<String, String> moved = landAll(lh, zone, contract);
      assertThat(moved).containsEntry(chinese, "s3://" + bucket + "/landed/public-security/citizens/" + chinese);
      assertThat(Tables.rows(lh.load(TableNames.ods("public-security", "citizens")))).as("landed once")
          .hasSize(1_500);
      assertThat(zone.waiting()).isEmpty();
    }
    assertThat(S3Server.keys(bucket, "landing/")).isEmpty();
    assertThat(S3Server.keys(bucket, "rejected/")).containsExactlyInAnyOrder(
        "rejected/public-security/citizens/deeper/x.csv", "rejected/public-security/citizens/deeper/x.csv.result.json",
        "rejected/stray.csv", "rejected/stray.csv.result.json",
        // a department's folder in capitals is filed under its name, where the department looks for its refusals
        "rejected/public-security/citizens/stray.csv", "rejected/public-security/citizens/stray.csv.result.json");
    assertThat(read(minio, bucket, "landed/public-security/citizens/" + chinese)).as("the object itself, moved")
        .isEqualTo(Files.readString(Path.of(csv.file()), StandardCharsets.UTF_8));
  }

  /**
   * Keys that a URI parser would cut or decode ('#' a fragment, '?' a query, '%25' an escape, '+' a space), with
   * spaces and Chinese, in one batch: each is read and moved by its exact key, so each lands (its snapshot names it
   * exactly) or is rejected for what it holds, never for its name. Exact accounting: every object put is in landed/
   * or rejected/ once, with one reason object naming it, and nothing else is there or left waiting.
   */
  @Test
  void uriMetacharactersLandByTheirExactKeys() throws Exception {
    String bucket = S3Server.newBucket("odd");
    MinioClient minio = department();
    String prefix = "landing/public-security/citizens/";
    List<String> good = List.of("2026#1.csv", "a?b.csv", "100%25 done%.csv", "a+b c.csv", "户籍 #2?x=1.csv",
        "?#.csv");
    Map<String, GenerateResult> feeds = new LinkedHashMap<>();
    for (int i = 0; i < good.size(); i++) {
      GenerateResult g = SampleGenerator.generate(new GenerateRequest(SampleDataset.CITIZENS, 200 + i,
          dir.resolve("odd-" + i + ".csv"), FeedFormat.CSV, StandardCharsets.UTF_8, 0, 100 + i, 0, 1_500, 100, false));
      feeds.put(good.get(i), g);
      if (i < good.size() - 1) {
        put(minio, bucket, prefix + good.get(i), Path.of(g.file()));
      }
    }
    Path empty = Files.writeString(dir.resolve("empty.csv"), "");
    Path notXlsx = Files.writeString(dir.resolve("not.xlsx"), "not,a\nworkbook\n");
    Map<String, String> rejected = Map.of(prefix + "empty #?.csv", "is empty (0 bytes)",
        prefix + "wrong?format#.xlsx", "not a readable .xlsx workbook", "landing/odd#dept/x?.csv", "not under landing/");
    put(minio, bucket, prefix + "empty #?.csv", empty);
    put(minio, bucket, prefix + "wrong?format#.xlsx", notXlsx);
    put(minio, bucket, "landing/odd#dept/x?.csv", empty);

    FeedContract contract = ContractParser.parse(SampleGenerator.contractPathFor(
        Path.of(feeds.values().iterator().next().file())));
    Map<String, String> moved;
    try (Lakehouse lh = Lakehouse.open(S3Server.lakehouse(dir.resolve("home"), bucket))) {
      LandingZone zone = new LandingZone(lh.config().objectStore(), "s3://" + bucket);
      String last = good.get(good.size() - 1); // put as the demo puts its feeds: a local file, by its name
      Path named = Files.copy(Path.of(feeds.get(last).file()), Files.createDirectories(dir.resolve("put")).resolve(last));
      assertThat(zone.put("public-security", "citizens", named)).isEqualTo("s3://" + bucket + "/" + prefix + last);
      assertThat(zone.waiting()).extracting(LandingZone.Waiting::key).as("listed by their exact keys")
          .containsExactlyInAnyOrderElementsOf(java.util.stream.Stream.concat(
              good.stream().map(n -> prefix + n), rejected.keySet().stream()).toList());
      moved = landAll(lh, zone, contract);
      assertThat(zone.waiting()).isEmpty();
      var table = lh.load(TableNames.ods("public-security", "citizens"));
      assertThat(table.snapshots()).extracting(sn -> sn.summary().get(FeedTables.SUMMARY_SOURCE_FILE))
          .as("one snapshot per feed, each naming its object exactly").containsExactlyInAnyOrderElementsOf(good);
      assertThat(Tables.rows(table)).hasSize(feeds.values().stream().mapToInt(g -> (int) g.rows()).sum());
    }
    List<String> expected = new java.util.ArrayList<>();
    for (String name : good) {
      String landed = "landed/public-security/citizens/" + name;
      assertThat(moved).containsEntry(name, "s3://" + bucket + "/" + landed);
      expected.addAll(List.of(landed, landed + LandingZone.RESULT_SUFFIX));
      assertThat(read(minio, bucket, landed)).as("the object itself, moved unchanged")
          .isEqualTo(Files.readString(Path.of(feeds.get(name).file()), StandardCharsets.UTF_8));
      assertThat(read(minio, bucket, landed + LandingZone.RESULT_SUFFIX)).as("its reason names it exactly")
          .contains("\"object\" : \"s3://" + bucket + "/" + prefix + name + "\"").contains("\"snapshotId\" : ");
    }
    for (var r : rejected.entrySet()) {
      String to = LandingZone.REJECTED + r.getKey().substring(LandingZone.LANDING.length());
      expected.addAll(List.of(to, to + LandingZone.RESULT_SUFFIX));
      assertThat(read(minio, bucket, to + LandingZone.RESULT_SUFFIX)).contains(r.getValue())
          .contains("\"object\" : \"s3://" + bucket + "/" + r.getKey() + "\"");
    }
    assertThat(S3Server.keys(bucket, "").stream().filter(k -> !k.startsWith("warehouse/")))
        .as("every object landed or rejected exactly once, nothing lost, nothing left behind")
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  /**
   * An object over CopyObject's limit (5 GiB; here the limit is made 5 MiB) is moved by a server-side copy in parts
   * (UploadPartCopy), byte for byte, and removed from landing/ only once the copy is whole.
   */
  @Test
  void anObjectOverTheCopyLimitIsMovedInParts() throws Exception {
    String bucket = S3Server.newBucket("big");
    byte[] bytes = new byte[11 * 1024 * 1024 + 17];
    new java.util.Random(5).nextBytes(bytes);
    Path big = Files.write(dir.resolve("big.bin"), bytes);
    put(department(), bucket, "landing/public-security/citizens/big #1.bin", big);
    try (var s3 = S3Server.client()) {
      LandingZone zone = new LandingZone(s3, "s3://" + bucket, 5L << 20, 5L << 20);
      LandingZone.Waiting w = zone.waiting().get(0);
      LandingZone.Moved moved = zone.rejected(w, "not a feed");
      assertThat(moved).isEqualTo(new LandingZone.Moved("s3://" + bucket
          + "/rejected/public-security/citizens/big #1.bin", LandingZone.How.MOVED));
      byte[] copied = s3.getObjectAsBytes(b -> b.bucket(bucket).key("rejected/public-security/citizens/big #1.bin"))
          .asByteArray();
      assertThat(copied).as("three parts, byte for byte").isEqualTo(bytes);
    }
    assertThat(S3Server.keys(bucket, "")).containsExactly("rejected/public-security/citizens/big #1.bin",
        "rejected/public-security/citizens/big #1.bin.result.json");
  }

  /**
   * A clerk puts a corrected file under the same name while the platform is landing the first: the move copies only
   * the content it landed (the copy is conditional on its ETag), so the corrected one stays waiting for the next run
   * instead of being moved, or deleted, unseen; no reason object is left for a move that did not happen.
   */
  @Test
  void anObjectPutAgainWhileItIsLandedStaysWaiting() throws Exception {
    String bucket = S3Server.newBucket("reput");
    Path first = Files.writeString(dir.resolve("first.csv"), "first\n");
    Path second = Files.writeString(dir.resolve("second.csv"), "second, corrected\n");
    String key = "landing/public-security/citizens/monthly.csv";
    put(department(), bucket, key, first);
    try (var s3 = S3Server.client()) {
      LandingZone zone = new LandingZone(s3, "s3://" + bucket);
      LandingZone.Waiting seen = zone.waiting().get(0);
      put(department(), bucket, key, second); // while the first is being landed
      assertThat(zone.landed(seen, Map.of("rowsRead", 1))).isEqualTo(new LandingZone.Moved(null,
          LandingZone.How.REPLACED));
      assertThat(S3Server.keys(bucket, "")).containsExactly(key);
      assertThat(read(department(), bucket, key)).isEqualTo("second, corrected\n");

      LandingZone.Waiting now = zone.waiting().get(0);
      assertThat(now.etag()).isNotEqualTo(seen.etag());
      assertThat(zone.landed(now, Map.of("rowsRead", 1)).how()).isEqualTo(LandingZone.How.MOVED);
      assertThat(read(department(), bucket, "landed/public-security/citizens/monthly.csv"))
          .isEqualTo("second, corrected\n");
    }
    assertThat(S3Server.keys(bucket, "landing/")).isEmpty();
  }

  /**
   * S3 keys end at 1,024 bytes. A key near that length (Chinese: three bytes a character; folders a clerk's tool
   * made too deep) would not fit under rejected/ with the reason's suffix; it is moved under a shortened name that
   * ends in a digest of the whole key (the same in every run), and the reason object records the original key. The
   * other objects of the batch move too. (S3Proxy keeps objects as files: no one path segment may pass 255 bytes.)
   */
  /**
   * A feed's reads are pinned to the ETag its listing gave: an object put again under its key between two reads (as
   * between Parquet's footer and its pages) fails the next read as changed instead of mixing the two contents; the
   * content the key holds now stays waiting.
   */
  @Test
  void aFeedReplacedBetweenTwoReadsIsNotReadAsAMix() throws Exception {
    String bucket = S3Server.newBucket("pinned");
    MinioClient minio = department();
    Path first = Files.writeString(dir.resolve("first.csv"), "a,b\n" + "1,2\n".repeat(100_000));
    Path second = Files.writeString(dir.resolve("second.csv"), "a,b\n" + "3,4\n".repeat(100_000));
    put(minio, bucket, "landing/tax/payers/p.csv", first);
    LandingZone zone = new LandingZone(S3Server.client(), "s3://" + bucket);
    LandingZone.Waiting w = zone.waiting().get(0);
    try (var in = zone.feed(w).open()) {
      in.seek(Files.size(first) - 4);
      assertThat(new String(in.readNBytes(4), StandardCharsets.UTF_8)).isEqualTo("1,2\n");
      put(minio, bucket, "landing/tax/payers/p.csv", second);
      in.seek(4); // back to the start: another ranged GET
      assertThatThrownBy(in::read).isInstanceOf(java.util.ConcurrentModificationException.class)
          .hasMessageContaining("changed while it was read");
    }
    LandingZone.Waiting now = zone.waiting().get(0);
    assertThat(now.etag()).isNotEqualTo(w.etag());
    try (var in = zone.feed(now).open()) {
      in.seek(4);
      assertThat(new String(in.readNBytes(4), StandardCharsets.UTF_8)).as("the new content reads whole").isEqualTo("3,4\n");
    }
  }

  @Test
  void onlyAServerThatKnowsNoConditionalDeleteGetsAPlainOne() {
    assertThat(LandingZone.conditionUnsupported(refusal(501, "NotImplemented", "A header you provided implies "
        + "functionality that is not implemented"))).isTrue();
    assertThat(LandingZone.conditionUnsupported(refusal(400, "InvalidArgument", "If-Match is not supported on "
        + "DELETE"))).isTrue();
    assertThat(LandingZone.conditionUnsupported(refusal(400, "NotImplemented", "conditional requests"))).isTrue();
    // Any other 400 is a fault of its own: deleting without the condition could remove a file put again unseen.
    assertThat(LandingZone.conditionUnsupported(refusal(400, "InvalidBucketName", "The specified bucket is not "
        + "valid"))).isFalse();
    assertThat(LandingZone.conditionUnsupported(refusal(400, "BadDigest", null))).isFalse();
    assertThat(LandingZone.conditionUnsupported(refusal(403, "AccessDenied", "If-Match"))).isFalse();
  }

  private static S3Exception refusal(int status, String code, String message) {
    return (S3Exception) S3Exception.builder().statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
  }

  @Test
  void aKeyNearS3sLimitIsMovedUnderAShortenedName() throws Exception {
    String bucket = S3Server.newBucket("long-key");
    String folder = "landing/public-security/citizens/" + ("月报".repeat(40) + "/").repeat(3) + "月".repeat(20) + "/";
    String longName = "户籍".repeat(30) + ".csv"; // the key: 1,001 bytes; rejected/ + it + .result.json: 1,014
    Path file = Files.writeString(dir.resolve("any.csv"), "x\n");
    put(department(), bucket, folder + longName, file);
    put(department(), bucket, folder + "short.csv", file);
    try (var s3 = S3Server.client()) {
      LandingZone zone = new LandingZone(s3, "s3://" + bucket);
      List<LandingZone.Waiting> waiting = zone.waiting();
      assertThat(waiting).hasSize(2);
      LandingZone.Waiting longOne = waiting.stream().filter(w -> w.name().equals(longName)).findFirst().orElseThrow();
      LandingZone.Moved moved = zone.rejected(longOne, "not a feed");
      assertThat(moved.how()).isEqualTo(LandingZone.How.MOVED);
      String movedKey = moved.location().substring(("s3://" + bucket + "/").length());
      assertThat(movedKey).startsWith("rejected/" + folder.substring("landing/".length()) + "户籍户籍")
          .matches("(?s).*~[0-9a-f]{16}");
      assertThat((movedKey + LandingZone.RESULT_SUFFIX).getBytes(StandardCharsets.UTF_8).length)
          .isLessThanOrEqualTo(LandingZone.MAX_KEY_BYTES);
      assertThat(read(department(), bucket, movedKey + LandingZone.RESULT_SUFFIX))
          .contains("\"object\" : \"s3://" + bucket + "/" + folder + longName + "\"");
      assertThat(zone.rejected(longOne, "not a feed")).as("a second run finds the same place")
          .isEqualTo(new LandingZone.Moved(moved.location(), LandingZone.How.BY_ANOTHER_RUN));
      LandingZone.Waiting shortOne = zone.waiting().get(0);
      assertThat(zone.rejected(shortOne, "not a feed").location()).as("a shorter key in the same folders keeps its name")
          .isEqualTo("s3://" + bucket + "/rejected/" + folder.substring("landing/".length()) + "short.csv");
    }
    assertThat(S3Server.keys(bucket, "landing/")).isEmpty();
  }

  /**
   * Left by a probe: an object moved aside for an internal error had a reason object indistinguishable from a refusal's.
   * Now {@code failed} says {@code "failed": true} beside the reason (and what a refusal writes stays as it was).
   */
  @Test
  void aFailedObjectsReasonObjectSaysItFailed() throws Exception {
    String bucket = S3Server.newBucket("failed");
    Path file = Files.writeString(dir.resolve("f.csv"), "a\n1\n");
    put(department(), bucket, "landing/public-security/citizens/failed.csv", file);
    put(department(), bucket, "landing/public-security/citizens/refused.csv", file);
    try (var s3 = S3Server.client()) {
      LandingZone zone = new LandingZone(s3, "s3://" + bucket);
      List<LandingZone.Waiting> waiting = zone.waiting();
      assertThat(zone.failed(waiting.get(0), "not taken in: an internal error").how()).isEqualTo(LandingZone.How.MOVED);
      assertThat(zone.rejected(waiting.get(1), "not a feed").how()).isEqualTo(LandingZone.How.MOVED);
    }
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    var failed = json.readTree(read(department(), bucket, "rejected/public-security/citizens/failed.csv.result.json"));
    assertThat(failed.get("failed").asBoolean()).isTrue();
    assertThat(failed.get("reason").asText()).isEqualTo("not taken in: an internal error");
    assertThat(failed.get("object").asText()).endsWith("/landing/public-security/citizens/failed.csv");
    assertThat(failed.get("etag").asText()).isNotEmpty();
    var refused = json.readTree(read(department(), bucket, "rejected/public-security/citizens/refused.csv.result.json"));
    assertThat(refused.has("failed")).as("a refusal is not a failure").isFalse();
    assertThat(refused.get("reason").asText()).isEqualTo("not a feed");
  }

  /**
   * Left by a probe: when the sender put another content under the key between the copy and the conditional delete
   * (412), the run still said "moved to". The move now says {@code COPIED}: the copy and its reason stand for the
   * content taken, and the new content stays waiting, then moves under the name with its ETag on the next run.
   */
  @Test
  void anObjectPutAgainBetweenTheCopyAndTheDeleteIsCopiedNotMoved() throws Exception {
    String bucket = S3Server.newBucket("copied");
    Path first = Files.writeString(dir.resolve("first.csv"), "first\n");
    Path second = Files.writeString(dir.resolve("second.csv"), "second, corrected\n");
    String key = "landing/public-security/citizens/monthly.csv";
    put(department(), bucket, key, first);
    try (var real = S3Server.client()) {
      // The sender's put lands just before the platform's first conditional delete of the key reaches the server.
      java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
      software.amazon.awssdk.services.s3.S3Client s3 = (software.amazon.awssdk.services.s3.S3Client)
          java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
              new Class<?>[] {software.amazon.awssdk.services.s3.S3Client.class}, (proxy, method, args) -> {
                if (method.getName().equals("deleteObject") && args != null && args.length == 1
                    && args[0] instanceof java.util.function.Consumer<?> c) {
                  @SuppressWarnings("unchecked")
                  var built = software.amazon.awssdk.services.s3.model.DeleteObjectRequest.builder().applyMutation(
                      (java.util.function.Consumer<software.amazon.awssdk.services.s3.model.DeleteObjectRequest.Builder>) c)
                      .build();
                  if (built.key().equals(key) && built.ifMatch() != null && once.compareAndSet(false, true)) {
                    put(department(), bucket, key, second);
                  }
                  return real.deleteObject(built);
                }
                try {
                  return method.invoke(real, args);
                } catch (java.lang.reflect.InvocationTargetException e) {
                  throw e.getCause();
                }
              });
      LandingZone zone = new LandingZone(s3, "s3://" + bucket);
      LandingZone.Waiting seen = zone.waiting().get(0);
      LandingZone.Moved moved = zone.landed(seen, Map.of("rowsRead", 1));
      assertThat(moved).isEqualTo(new LandingZone.Moved("s3://" + bucket
          + "/landed/public-security/citizens/monthly.csv", LandingZone.How.COPIED));
      assertThat(moved.byThisRun()).isTrue();
      assertThat(read(department(), bucket, key)).as("the new content waits").isEqualTo("second, corrected\n");
      assertThat(read(department(), bucket, "landed/public-security/citizens/monthly.csv")).isEqualTo("first\n");

      LandingZone.Waiting now = zone.waiting().get(0);
      LandingZone.Moved next = zone.landed(now, Map.of("rowsRead", 1));
      assertThat(next).isEqualTo(new LandingZone.Moved("s3://" + bucket + "/landed/public-security/citizens/"
          + "monthly.csv." + now.etag(), LandingZone.How.MOVED));
    }
    assertThat(S3Server.keys(bucket, "landing/")).isEmpty();
  }

  private static String read(MinioClient minio, String bucket, String key) throws Exception {
    try (var in = minio.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
