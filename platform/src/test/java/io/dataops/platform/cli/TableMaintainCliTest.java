package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.platform.cli.CliTest.Run;
import io.dataops.platform.session.Sessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dataops table maintain} on a home with a sealed and a published product version: aggressive retention
 * removes old snapshots and orphans, yet both versions still read and verify, the sealed one is still destroyed
 * cleanly, and a feed landed before the expiry is still recognised.
 */
class TableMaintainCliTest {
  @TempDir Path dir;
  String as;

  Run run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--home", dir.resolve("home").toString()));
    if (as != null && !all.contains("--as")) {
      all.addAll(List.of("--as", as));
    }
    return CliTest.exactly(all.toArray(String[]::new));
  }

  Run ok(String... args) {
    Run r = run(args);
    assertThat(r.exit()).as(String.join(" ", args) + ": " + r.err()).isZero();
    return r;
  }

  private void release(int version) {
    ok("product", "submit", "income-by-street", String.valueOf(version), "--as", TestCast.OPERATOR);
    ok("product", "approve", "income-by-street", String.valueOf(version), "--as", TestCast.AUTHORITY);
    ok("product", "publish", "income-by-street", String.valueOf(version), "--channel", "public-interest",
        "--licence", "open", "--as", TestCast.OPERATOR);
  }

  private static Path plantOrphan(Path tableFolder, String name) throws Exception {
    Path data = tableFolder.resolve("data");
    Path some;
    try (Stream<Path> files = Files.walk(data)) {
      some = files.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    Path orphan = data.resolve(name);
    Files.copy(some, orphan);
    Files.setLastModifiedTime(orphan, FileTime.from(Instant.now().minus(Duration.ofHours(3))));
    return orphan;
  }

  @Test
  void maintenanceKeepsSealedAndPublishedVersionsAndLandedFeedsAndRemovesOrphans() throws Exception {
    Path home = dir.resolve("home");
    TestCast.enroll(home);
    as = TestCast.PUBLIC_SECURITY;
    Path feed1 = dir.resolve("feeds/c1.csv");
    ok("generate", "--dataset", "citizens", "--rows", "1500", "--out", feed1.toString());
    long firstFeed = ok("land", "--department", "public-security", "--dataset", "citizens", "--file",
        feed1.toString(), "--json").json().get("snapshotId").asLong();
    Path pipelines = Files.createDirectories(dir.resolve("pipelines"));
    Path pipeline = pipelines.resolve("income.yaml");
    Files.writeString(pipeline, CliTest.PIPELINE);
    Files.writeString(pipelines.resolve("gate.yaml"), """
        name: gate
        expectations:
          - type: expect_table_row_count_to_be_between
            kwargs: {min_value: 1}
        """);
    as = TestCast.OPERATOR;
    TestCast.grant(home, "test", "income-by-street");
    ok("pipeline", "run", pipeline.toString());
    release(1);
    as = TestCast.PUBLIC_SECURITY;
    Path feed2 = dir.resolve("feeds/c2.csv");
    ok("generate", "--dataset", "citizens", "--rows", "300", "--offset", "1500", "--out", feed2.toString());
    long secondFeed = ok("land", "--department", "public-security", "--dataset", "citizens", "--file",
        feed2.toString(), "--json").json().get("snapshotId").asLong();
    as = TestCast.OPERATOR;
    ok("pipeline", "run", pipeline.toString());
    release(2);
    ok("product", "seal", "income-by-street", "1", "--as", TestCast.AUTHORITY);
    List<String> v1Rows = rows(ok("table", "show", "product.income_by_street", "--tag", "v1", "--limit", "1000",
        "--json", "--as", TestCast.AUDITOR).json());

    Path productOrphan = plantOrphan(home.resolve("warehouse/product/income_by_street"), "crashed.parquet");
    Path odsOrphan = plantOrphan(home.resolve("warehouse/ods/public_security__citizens"), "lost-race.parquet");

    Run refused = run("table", "maintain", "--as", TestCast.AUTHORITY);
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err()).contains("table maintain requires role admin");
    // Maintenance cannot tell a commit in flight from an orphan: below an hour it would remove work still going on
    // (a publish held at its quality gate lost its staged snapshot to `--safety-age 0s`). Refused, nothing removed.
    for (String age : List.of("0s", "59m", "0")) {
      Run tooShort = run("table", "maintain", "--safety-age", age, "--as", Sessions.LOCAL_ADMIN);
      assertThat(tooShort.exit()).as(age).isEqualTo(2);
      assertThat(tooShort.err()).contains("the safety age is at least 1h, not " + (age.equals("59m") ? "59m" : "0s"));
    }
    // Found by a probe: a size past 2^44 MB overflowed into 1 MB (or 0) when shifted into bytes.
    for (String mb : List.of("17592186044417", "17592186044416", "1048577", "-1")) {
      Run tooLarge = run("table", "maintain", "--small-file-mb", mb, "--as", Sessions.LOCAL_ADMIN);
      assertThat(tooLarge.exit()).as(mb).isEqualTo(2);
      assertThat(tooLarge.err()).contains("--small-file-mb must be 0 to 1048576 (1 TiB), not " + mb);
    }
    assertThat(productOrphan).exists();

    JsonNode report = ok("table", "maintain", "--keep-last", "1", "--max-age", "0", "--safety-age", "1h", "--json",
        "--as", Sessions.LOCAL_ADMIN).json();
    JsonNode ods = table(report, "ods.public_security__citizens");
    assertThat(ods.at("/expiry/expired")).as("the first feed's snapshot").isNotEmpty();
    // Found by a probe: the input snapshots of every product's newest version were kept, with the main branch after
    // them, although only an incremental product's next run starts there: a full product's old read point kept every
    // later feed (replaced ones too) for good. v2 of this full product read the second feed's snapshot.
    assertThat(ods.at("/expiry/expired").toString()).as("a full product's read point is not kept")
        .contains(String.valueOf(secondFeed));
    assertThat(ods.at("/orphans/removed").toString()).contains("data/lost-race.parquet");
    JsonNode product = table(report, "product.income_by_street");
    assertThat(product.at("/orphans/removed").toString()).contains("data/crashed.parquet");
    assertThat(product.at("/compaction/skipped").asText()).contains("read by tag");
    assertThat(productOrphan).doesNotExist();
    assertThat(odsOrphan).doesNotExist();

    // Both versions still read and verify; the sealed one reads the same rows.
    assertThat(rows(ok("table", "show", "product.income_by_street", "--tag", "v1", "--limit", "1000", "--json",
        "--as", TestCast.AUDITOR).json())).isEqualTo(v1Rows);
    for (String v : List.of("1", "2")) {
      JsonNode verified = ok("product", "verify", "income-by-street", v, "--json", "--as", TestCast.AUDITOR).json();
      assertThat(verified.get("ok").asBoolean()).as("v" + v + " " + verified).isTrue();
    }
    // A feed landed before its snapshot expired is still recognised.
    as = TestCast.PUBLIC_SECURITY;
    JsonNode again = ok("land", "--department", "public-security", "--dataset", "citizens", "--file",
        feed1.toString(), "--json").json();
    assertThat(again.get("snapshotId").isNull()).isTrue();
    assertThat(again.get("duplicateOf").asLong()).isEqualTo(firstFeed);
    // The sealed version is still destroyed cleanly, its post-check passing.
    JsonNode destroyed = ok("product", "destroy", "income-by-street", "1", "--json", "--as", TestCast.AUTHORITY)
        .json();
    assertThat(destroyed.at("/postCheck/passed").asBoolean()).isTrue();
    // Audited, per table.
    JsonNode events = ok("audit", "list", "--action", "table.maintain", "--json", "--as", TestCast.AUDITOR).json();
    assertThat(events.get("events").size()).isGreaterThanOrEqualTo(report.get("tables").size());
  }

  /**
   * Found by a probe: an incremental product's read point kept every later snapshot of its input, so a feed replaced
   * (purged) after it stayed readable by time travel, its files kept, for good, although the run that read point
   * waits for is refused over a replacement. Now such a read point keeps nothing; while it does keep snapshots, the
   * report says for which version; and the next incremental run is refused as before once its read point and the
   * replacement have expired.
   */
  @Test
  void aReadPointBeforeAReplacementNoLongerKeepsTheReplacedFeed() throws Exception {
    Path home = dir.resolve("home");
    TestCast.enroll(home);
    as = TestCast.PUBLIC_SECURITY;
    land("c1.csv", 1500, 0);
    Path pipelines = Files.createDirectories(dir.resolve("pipelines"));
    Path pipeline = pipelines.resolve("income.yaml");
    Files.writeString(pipeline, CliTest.PIPELINE + "mode: incremental\n");
    Files.writeString(pipelines.resolve("gate.yaml"), """
        name: gate
        expectations:
          - type: expect_table_row_count_to_be_between
            kwargs: {min_value: 1}
        """);
    as = TestCast.OPERATOR;
    TestCast.grant(home, "test", "income-by-street");
    ok("pipeline", "run", pipeline.toString());
    as = TestCast.PUBLIC_SECURITY;
    long readPoint = land("a.csv", 300, 1500).get("snapshotId").asLong();
    as = TestCast.OPERATOR;
    assertThat(ok("pipeline", "run", pipeline.toString(), "--json").json().get("version").asInt()).isEqualTo(2);
    as = TestCast.PUBLIC_SECURITY;
    JsonNode b = land("b.csv", 300, 1800);
    Thread.sleep(1100);

    JsonNode before = table(ok("table", "maintain", "ods.public_security__citizens", "--keep-last", "1", "--max-age",
        "1s", "--json", "--as", Sessions.LOCAL_ADMIN).json(), "ods.public_security__citizens");
    assertThat(before.at("/expiry/expired").toString()).doesNotContain(String.valueOf(readPoint));
    assertThat(before.at("/expiry/keptFor").toString()).as("who keeps the read point, and why")
        .contains("\"snapshotId\":" + readPoint)
        .contains("product income-by-street v2 (its next incremental run reads from here)");
    Run text = ok("table", "maintain", "ods.public_security__citizens", "--keep-last", "1", "--max-age", "1s",
        "--as", Sessions.LOCAL_ADMIN);
    assertThat(text.out()).contains("snapshot " + readPoint + " and later kept for product income-by-street v2");

    as = TestCast.PUBLIC_SECURITY;
    Path fix = dir.resolve("feeds/b-fixed.csv");
    ok("generate", "--dataset", "citizens", "--rows", "200", "--offset", "1800", "--out", fix.toString());
    ok("land", "--department", "public-security", "--dataset", "citizens", "--file", fix.toString(), "--replaces",
        b.get("feedId").asText());
    Thread.sleep(1100);
    JsonNode after = table(ok("table", "maintain", "ods.public_security__citizens", "--keep-last", "1", "--max-age",
        "1s", "--json", "--as", Sessions.LOCAL_ADMIN).json(), "ods.public_security__citizens");
    assertThat(after.at("/expiry/expired").toString()).as("the replaced feed's snapshot and the void read point")
        .contains(String.valueOf(b.get("snapshotId").asLong())).contains(String.valueOf(readPoint));
    assertThat(after.at("/expiry/keptFor")).isEmpty();
    Run gone = run("table", "show", "ods.public_security__citizens", "--snapshot", b.get("snapshotId").asText(),
        "--raw");
    assertThat(gone.exit()).isNotZero();

    // Compaction made a snapshot after the replacement, so it expired with the read point: the next incremental run
    // is still refused, saying to run in mode full, not that a snapshot is not found.
    as = TestCast.OPERATOR;
    Run refused = run("pipeline", "run", pipeline.toString());
    assertThat(refused.exit()).as(refused.err()).isEqualTo(2);
    assertThat(refused.err()).contains("snapshot " + readPoint + ", which the product's last version read up to, "
        + "was expired by table maintenance (a read point is kept only while its table just gains rows after it)")
        .contains("run the pipeline in mode full");
  }

  private JsonNode land(String file, int rows, int offset) {
    Path feed = dir.resolve("feeds/" + file);
    ok("generate", "--dataset", "citizens", "--rows", String.valueOf(rows), "--offset", String.valueOf(offset),
        "--out", feed.toString());
    return ok("land", "--department", "public-security", "--dataset", "citizens", "--file", feed.toString(),
        "--json").json();
  }

  private static JsonNode table(JsonNode report, String name) {
    for (JsonNode t : report.get("tables")) {
      if (t.get("table").asText().equals(name)) {
        return t;
      }
    }
    throw new AssertionError("no report for " + name + " in " + report);
  }

  private static List<String> rows(JsonNode show) {
    List<String> out = new ArrayList<>();
    show.get("rows").forEach(r -> out.add(r.toString()));
    out.sort(String::compareTo);
    return out;
  }
}
