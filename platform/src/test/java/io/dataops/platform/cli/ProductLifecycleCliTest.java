package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.platform.cli.CliTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A product version's whole life through the command line, each move by the person whose role allows it: register
 * (submit), approve, publish, supersede, seal, verify, destroy; the refusals on the way; the audit trail verified, and
 * a tampered event found.
 */
class ProductLifecycleCliTest {
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

  Run refused(String expected, String... args) {
    Run r = run(args);
    assertThat(r.exit()).as(String.join(" ", args)).isEqualTo(2);
    assertThat(r.err()).hasLineCount(1).contains(expected);
    return r;
  }

  Path pipeline;

  @BeforeEach
  void landAndMakeVersionOne() throws Exception {
    TestCast.enroll(dir.resolve("home"));
    as = TestCast.PUBLIC_SECURITY;
    Path feed = dir.resolve("feeds/c1.csv");
    ok("generate", "--dataset", "citizens", "--rows", "1500", "--out", feed.toString());
    ok("land", "--department", "public-security", "--dataset", "citizens", "--file", feed.toString());
    Path pipelines = Files.createDirectories(dir.resolve("pipelines"));
    pipeline = pipelines.resolve("income.yaml");
    Files.writeString(pipeline, CliTest.PIPELINE);
    Files.writeString(pipelines.resolve("gate.yaml"), """
        name: gate
        expectations:
          - type: expect_table_row_count_to_be_between
            kwargs: {min_value: 1}
        """);
    as = TestCast.OPERATOR;
    TestCast.grant(dir.resolve("home"), "test", "income-by-street");
    assertThat(ok("pipeline", "run", pipeline.toString(), "--json").json().get("version").asInt()).isEqualTo(1);
  }

  private void release(int version) {
    ok("product", "submit", "income-by-street", String.valueOf(version), "--as", TestCast.OPERATOR);
    ok("product", "approve", "income-by-street", String.valueOf(version), "--as", TestCast.AUTHORITY);
    ok("product", "publish", "income-by-street", String.valueOf(version), "--channel", "market", "--price", "120",
        "--licence", "exchange licence", "--as", TestCast.OPERATOR);
  }

  @Test
  void aVersionIsReviewedPublishedSupersededSealedVerifiedAndDestroyed() throws Exception {
    refused("product approve requires role authority; olivia has operator", "product", "approve", "income-by-street",
        "1");
    // Another operator is not told that a product it may see no version of exists, nor whose it is.
    assertThat(refused("no product income-by-street (see: dataops product list)", "product", "submit",
        "income-by-street", "1", "--as", TestCast.OTHER_OPERATOR).err()).doesNotContain("op;", "draft");
    refused("income-by-street v1 is draft: approve needs a version that is submitted", "product", "approve",
        "income-by-street", "1", "--as", TestCast.AUTHORITY);
    // A draft is never named to a partner, not even by its tag: answered as a tag that names no version.
    refused("tag v1 of product.income_by_street is no version paul may read", "table", "show",
        "product.income_by_street", "--tag", "v1", "--as", TestCast.PARTNER);
    ok("product", "submit", "income-by-street", "1");
    ok("product", "approve", "income-by-street", "1", "--as", TestCast.AUTHORITY, "--note", "reviewed");
    refused("a market listing needs a price", "product", "publish", "income-by-street", "1", "--channel", "market",
        "--licence", "L");
    JsonNode published = ok("product", "publish", "income-by-street", "1", "--channel", "market", "--price", "120",
        "--licence", "exchange licence", "--json").json();
    assertThat(published.get("state").asText()).isEqualTo("published");
    assertThat(ok("product", "show", "income-by-street", "1", "--json", "--as", TestCast.PARTNER).json()
        .at("/publication/price").asText()).isEqualTo("120.00");
    JsonNode partnerRead = ok("table", "show", "product.income_by_street", "--tag", "v1", "--limit", "3", "--json",
        "--as", TestCast.PARTNER).json();
    assertThat(partnerRead.get("rows")).hasSize(3);

    // A later feed: version 2 replaces version 1, which is superseded.
    as = TestCast.PUBLIC_SECURITY;
    Path feed2 = dir.resolve("feeds/c2.csv");
    ok("generate", "--dataset", "citizens", "--rows", "300", "--offset", "1500", "--out", feed2.toString());
    ok("land", "--department", "public-security", "--dataset", "citizens", "--file", feed2.toString());
    as = TestCast.OPERATOR;
    assertThat(ok("pipeline", "run", pipeline.toString(), "--json").json().get("version").asInt()).isEqualTo(2);
    release(2);
    assertThat(ok("product", "show", "income-by-street", "1", "--json").json().get("state").asText())
        .isEqualTo("superseded");

    // Sealed: archived, readable by the authority and auditors only.
    as = TestCast.AUTHORITY;
    refused("product seal requires role authority; olivia has operator", "product", "seal", "income-by-street", "1",
        "--as", TestCast.OPERATOR);
    JsonNode sealed = ok("product", "seal", "income-by-street", "1", "--json").json();
    Path archive = Path.of(sealed.get("archive").asText());
    assertThat(archive).isEqualTo(dir.resolve("home/archive/income-by-street/v1"));
    assertThat(Files.getPosixFilePermissions(archive)).isEqualTo(PosixFilePermissions.fromString("r-x------"));
    refused("is sealed: reading it requires role authority or auditor", "table", "show", "product.income_by_street",
        "--tag", "v1", "--as", TestCast.PARTNER);
    ok("table", "show", "product.income_by_street", "--tag", "v1", "--as", TestCast.AUDITOR);
    JsonNode verified = ok("product", "verify", "income-by-street", "1", "--json", "--as", TestCast.AUDITOR).json();
    assertThat(verified.get("ok").asBoolean()).isTrue();
    assertThat(verified.get("changed")).isEmpty();

    // A planted file in the archive is found.
    Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rwx------"));
    Files.writeString(archive.resolve("planted.txt"), "x");
    Run tampered = run("product", "verify", "income-by-street", "1", "--json", "--as", TestCast.AUDITOR);
    assertThat(tampered.exit()).isEqualTo(1);
    assertThat(tampered.json().get("ok").asBoolean()).isFalse();
    assertThat(tampered.json().get("added").get(0).asText()).isEqualTo("archive/planted.txt");

    // Destroyed: its files gone, a certificate written, the trail checkpointed.
    refused("income-by-street v2 is published: destroy needs a version that is rejected or sealed", "product",
        "destroy", "income-by-street", "2");
    JsonNode destroyed = ok("product", "destroy", "income-by-street", "1", "--json").json();
    assertThat(destroyed.get("state").asText()).isEqualTo("destroyed");
    assertThat(destroyed.at("/postCheck/passed").asBoolean()).isTrue();
    Path certificate = Path.of(destroyed.get("certificate").asText());
    assertThat(certificate).isRegularFile().hasParent(dir.resolve("home/certificates"));
    assertThat(destroyed.at("/auditCheckpoint/seq").asLong()).isPositive();
    assertThat(destroyed.get("copiesOutside").asInt()).as("the partner's table show of v1").isEqualTo(1);
    assertThat(destroyed.get("organizationsNotified").toString()).isEqualTo("[\"partner-co\"]");
    assertThat(destroyed.get("copiesOutsideStatement").asText()).contains("NOT removed by this destruction");
    assertThat(archive).doesNotExist();
    refused("no tag v1", "table", "show", "product.income_by_street", "--tag", "v1", "--as", TestCast.AUDITOR);
    refused("was destroyed", "product", "verify", "income-by-street", "1", "--as", TestCast.AUDITOR);
    refused("is destroyed: destroy needs a version that is rejected or sealed", "product", "destroy",
        "income-by-street", "1");
    // Found by a probe: a partner asking again and again for a destroyed version left no trace, so supervision's
    // bursts of refusals never saw it. Its refusal is recorded as a sealed version's is.
    refused("income-by-street v1 was destroyed: its rows are gone", "product", "deliver", "income-by-street", "1",
        "--out", dir.resolve("gone.csv").toString(), "--as", TestCast.PARTNER);
    List<String> refusals = new ArrayList<>();
    ok("audit", "list", "--action", "command.refused", "--json", "--as", TestCast.AUDITOR).json().get("events")
        .forEach(e -> refusals.add(e.get("actor").asText() + ": " + e.at("/details/reason").asText()));
    assertThat(refusals).contains("paul: income-by-street v1 was destroyed: its rows are gone");
    // Found by a probe: steps the state refused to users whose roles allow them (approving a draft, destroying a
    // destroyed version) left no trace. They are recorded, on the version, and marked as the state's refusals.
    List<String> stateRefusals = new ArrayList<>();
    ok("audit", "list", "--action", "command.refused", "--json", "--as", TestCast.AUDITOR).json().get("events")
        .forEach(e -> {
          if ("state".equals(e.at("/details/refusedBy").asText())) {
            stateRefusals.add(e.get("actor").asText() + " " + e.at("/details/command").asText() + " "
                + e.get("objects") + ": " + e.at("/details/reason").asText());
          }
        });
    assertThat(stateRefusals).containsExactlyInAnyOrder(
        "alice product approve [\"product:income-by-street@1\"]: income-by-street v1 is draft: approve needs a "
            + "version that is submitted (submit it first: dataops product submit income-by-street 1)",
        "alice product destroy [\"product:income-by-street@2\"]: income-by-street v2 is published: destroy needs a "
            + "version that is rejected or sealed",
        "alice product destroy [\"product:income-by-street@1\"]: income-by-street v1 is destroyed: destroy needs a "
            + "version that is rejected or sealed (it was destroyed; its certificate is under certificates/)",
        // a verify asked of a destroyed version is a state refusal too (it left no trace before)
        "audrey product verify [\"product:income-by-street@1\"]: income-by-street v1 was destroyed: there is nothing "
            + "to verify (its destruction certificate lists what was removed)");
    assertThat(ok("table", "show", "product.income_by_street", "--tag", "v2", "--json", "--as", TestCast.PARTNER)
        .json().get("snapshotId").asLong()).isPositive();
    assertThat(ok("product", "verify", "income-by-street", "2", "--json", "--as", TestCast.AUDITOR).json()
        .get("ok").asBoolean()).isTrue();

    JsonNode history = ok("product", "history", "income-by-street", "1", "--json").json();
    List<String> moves = new ArrayList<>();
    history.get("transitions").forEach(t -> moves.add(t.get("to").asText() + " by " + t.get("actor").asText()));
    assertThat(moves).containsExactly("draft by olivia", "submitted by olivia", "approved by alice",
        "published by olivia", "superseded by olivia", "sealed by alice", "destroying by alice",
        "destroyed by alice");

    // The trail: every move, read and refusal; the certificate's digest; verified against its checkpoints.
    as = TestCast.AUDITOR;
    JsonNode audit = ok("audit", "verify", "--json").json();
    assertThat(audit.get("ok").asBoolean()).isTrue();
    assertThat(audit.get("checkpoints").asInt()).isPositive();
    List<String> actions = new ArrayList<>();
    ok("audit", "list", "--limit", "1000", "--oldest-first", "--json").json().get("events")
        .forEach(e -> actions.add(e.get("action").asText() + ":" + e.get("outcome").asText()));
    assertThat(actions).contains("feed.land:ok", "pipeline.run:ok", "product.version:ok", "product.submit:ok",
        "product.approve:ok", "product.publish:ok", "product.supersede:ok", "product.seal:ok", "product.verify:ok",
        "product.verify:failed", "product.destroy:ok", "table.read:ok", "command.refused:refused");
    JsonNode destroyEvent = ok("audit", "list", "--action", "product.destroy", "--json").json().at("/events/0");
    assertThat(destroyEvent.at("/details/certificateDigest").asText()).isEqualTo(destroyed.get("certificateDigest")
        .asText());
    refused("audit verify requires role auditor or authority; paul has partner", "audit", "verify", "--as",
        TestCast.PARTNER);

    // One event changed in the database: the trail no longer verifies, and says where.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("home/catalog.db"));
         var st = c.prepareStatement("UPDATE audit_events SET actor = 'mallory' WHERE seq = 7")) {
      assertThat(st.executeUpdate()).isEqualTo(1);
    }
    Run broken = run("audit", "verify", "--json");
    assertThat(broken.exit()).isEqualTo(1);
    assertThat(broken.json().get("ok").asBoolean()).isFalse();
    assertThat(broken.json().get("firstBad").asLong()).isEqualTo(7);
  }

  @Test
  void aRejectedVersionIsDestroyedWithoutEverBeingPublished() throws Exception {
    ok("product", "submit", "income-by-street", "1");
    refused("needs a reason", "product", "reject", "income-by-street", "1", "--reason", " ", "--as",
        TestCast.AUTHORITY);
    ok("product", "reject", "income-by-street", "1", "--reason", "birth years identify people in small streets",
        "--as", TestCast.AUTHORITY);
    refused("is rejected: publish needs a version that is approved", "product", "publish", "income-by-street", "1",
        "--channel", "public-interest", "--licence", "L");
    // Quality runs on the version's snapshot, of the whole table and of its last commit: their metrics (and the
    // analyzer states a --feed run keeps) are figures of the product's values.
    String snapshot = ok("product", "show", "income-by-street", "1", "--json").json().get("snapshotId").asText();
    Path suite = dir.resolve("pipelines/gate.yaml");
    ok("quality", "run", "--table", "product.income_by_street", "--suite", suite.toString());
    ok("quality", "run", "--table", "product.income_by_street", "--suite", suite.toString(), "--feed");
    for (String quality : List.of("quality.metrics", "quality.analyzer_states")) {
      assertThat(ok("table", "show", quality, "--limit", "100000", "--json", "--as", TestCast.AUTHORITY).out())
          .as(quality).contains(snapshot);
    }
    JsonNode destroyed = ok("product", "destroy", "income-by-street", "1", "--json", "--as", TestCast.AUTHORITY)
        .json();
    assertThat(destroyed.at("/postCheck/passed").asBoolean()).isTrue();
    for (String quality : List.of("quality.metrics", "quality.analyzer_states")) {
      assertThat(ok("table", "show", quality, "--limit", "100000", "--json", "--as", TestCast.AUTHORITY).out())
          .as(quality).doesNotContain(snapshot);
    }
    assertThat(destroyed.get("qualityRowsRemoved").findValuesAsText("table")).containsExactlyInAnyOrder(
        "quality.metrics", "quality.analyzer_states");
    assertThat(destroyed.get("qualityRowsRemoved").findValues("runs")).allSatisfy(runs -> assertThat(runs).isNotEmpty());
    assertThat(destroyed.at("/postCheck/checks").toString()).contains("no metric of snapshot " + snapshot
        + " is left in quality.metrics: passed", "no analyzer state of snapshot " + snapshot
        + " is left in quality.analyzer_states: passed");
    try (Stream<Path> files = Files.walk(dir.resolve("home/warehouse/product/income_by_street"))) {
      assertThat(files.filter(p -> p.toString().endsWith(".parquet"))).as("no data file of the product").isEmpty();
    }
    assertThat(Files.readString(Path.of(destroyed.get("certificateHtml").asText()))).contains("rejected");

    // The same run again is the destroyed version's run: refused, saying so (it printed v1 with "nothing ran" and
    // exit 0, as if v1 were there), and audited as a refused run; the hint it gives works.
    Run again = refused("made income-by-street v1, which was destroyed; a destroyed version is not made again: to make"
        + " a new version, run the pipeline over newly landed input or change the pipeline", "pipeline", "run",
        pipeline.toString(), "--json");
    assertThat(again.json().get("error").asText()).isEqualTo(again.err().strip());
    assertThat(ok("product", "show", "income-by-street", "1", "--json").json().get("state").asText())
        .isEqualTo("destroyed");
    JsonNode refusedRun = ok("audit", "list", "--action", "pipeline.run", "--json", "--as", TestCast.AUDITOR).json()
        .at("/events/0");
    assertThat(refusedRun.get("outcome").asText()).isEqualTo("refused");
    assertThat(refusedRun.at("/details/reason").asText()).contains("which was destroyed");
    // Newly landed input is a new run: a new version (v1 stays destroyed).
    as = TestCast.PUBLIC_SECURITY;
    Path feed = dir.resolve("feeds/c2.csv");
    ok("generate", "--dataset", "citizens", "--rows", "100", "--offset", "1500", "--out", feed.toString());
    ok("land", "--department", "public-security", "--dataset", "citizens", "--file", feed.toString());
    as = TestCast.OPERATOR;
    JsonNode v2 = ok("pipeline", "run", pipeline.toString(), "--json").json();
    assertThat(v2.get("version").asInt()).isEqualTo(2);
    assertThat(v2.get("recognized").asBoolean()).isFalse();
    assertThat(ok("product", "show", "income-by-street", "1", "--json").json().get("state").asText())
        .isEqualTo("destroyed");
  }
  /**
   * Found by a probe: while the operator had a draft (a pipeline run after v2 was published), `table show` of the
   * product without --tag was refused to partners, other operators and departments, naming the draft's number and
   * state, which `product list` hides from them; so was `table history`. They read the newest published version, and
   * are told which; the owning operator and the authority read the draft, as before. With nothing published, the
   * refusal names no version.
   */
  @Test
  void withoutATagAReaderWhoMayNotSeeTheDraftReadsTheNewestPublishedVersion() throws Exception {
    String table = "product.income_by_street";
    List<String> readers = List.of(TestCast.PARTNER, TestCast.OTHER_OPERATOR, TestCast.PUBLIC_SECURITY);
    for (String reader : readers) {
      for (String command : List.of("show", "history")) {
        Run none = refused(table + " has no version " + reader + " may read: a product's versions are read by every "
            + "user once published", "table", command, table, "--as", reader);
        assertThat(none.err()).doesNotContain("v1", "draft");
      }
    }

    release(1);
    for (int version = 2; version <= 3; version++) { // each from a later feed
      Path feed = dir.resolve("feeds/c" + version + ".csv");
      ok("generate", "--dataset", "citizens", "--rows", "100", "--offset", String.valueOf(1400 + 100 * version),
          "--out", feed.toString(), "--as", TestCast.PUBLIC_SECURITY);
      ok("land", "--department", "public-security", "--dataset", "citizens", "--file", feed.toString(), "--as",
          TestCast.PUBLIC_SECURITY);
      assertThat(ok("pipeline", "run", pipeline.toString(), "--json").json().get("version").asInt())
          .isEqualTo(version);
      if (version == 2) {
        release(2);
      }
    }
    long v1 = ok("product", "show", "income-by-street", "1", "--json").json().get("snapshotId").asLong();
    long v2 = ok("product", "show", "income-by-street", "2", "--json").json().get("snapshotId").asLong();
    long v3 = ok("product", "show", "income-by-street", "3", "--json").json().get("snapshotId").asLong();

    for (String reader : readers) {
      JsonNode read = ok("table", "show", table, "--limit", "2", "--json", "--as", reader).json();
      assertThat(read.get("snapshotId").asLong()).as(reader).isEqualTo(v2);
      assertThat(read.get("version").asInt()).isEqualTo(2);
      assertThat(read.get("tag").asText()).isEqualTo("v2");
      assertThat(read.get("rows")).hasSize(2);
      assertThat(ok("table", "show", table, "--limit", "1", "--as", reader).out())
          .startsWith(table + " @ snapshot " + v2 + " (income-by-street v2)\n");
      JsonNode history = ok("table", "history", table, "--json", "--as", reader).json();
      assertThat(history.get("snapshots").findValuesAsText("snapshotId")).as(reader + ": only the published version")
          .containsExactly(String.valueOf(v2));
      assertThat(history.toString()).doesNotContain(String.valueOf(v3), String.valueOf(v1), "\"v3\"", "\"v1\"");
    }
    // A command that reads the current snapshot (a department's quality suggest, another operator's quality run) is
    // refused without naming the draft it is.
    Run suggest = refused("the current snapshot of " + table + " is no version " + TestCast.PUBLIC_SECURITY
        + " may read", "quality", "suggest", "--table", table, "--out", dir.resolve("suggested.json").toString(),
        "--as", TestCast.PUBLIC_SECURITY);
    Run check = refused("the current snapshot of " + table + " is no version " + TestCast.OTHER_OPERATOR
        + " may read", "quality", "run", "--table", table, "--suite", dir.resolve("none.json").toString(), "--as",
        TestCast.OTHER_OPERATOR);
    for (Run r : List.of(suggest, check)) {
      assertThat(r.err()).doesNotContain("v3", "draft");
    }
    for (String seesAll : List.of(TestCast.OPERATOR, TestCast.AUTHORITY)) {
      JsonNode read = ok("table", "show", table, "--limit", "2", "--json", "--as", seesAll).json();
      assertThat(read.get("snapshotId").asLong()).as(seesAll).isEqualTo(v3);
      assertThat(read.get("version").asInt()).isEqualTo(3);
      assertThat(ok("table", "history", table, "--json", "--as", seesAll).json().get("snapshots")
          .findValuesAsText("snapshotId")).contains(String.valueOf(v1), String.valueOf(v2), String.valueOf(v3));
    }
    // Sealed before it was ever published (approved, then sealed): still never named to them (found in review: the
    // refusal said "income-by-street v3 is sealed").
    ok("product", "submit", "income-by-street", "3");
    ok("product", "approve", "income-by-street", "3", "--as", TestCast.AUTHORITY);
    ok("product", "seal", "income-by-street", "3", "--as", TestCast.AUTHORITY);
    Run sealed = refused("the current snapshot of " + table + " is no version " + TestCast.PUBLIC_SECURITY
        + " may read", "quality", "suggest", "--table", table, "--out", dir.resolve("suggested.json").toString(),
        "--as", TestCast.PUBLIC_SECURITY);
    assertThat(sealed.err()).doesNotContain("v3", "sealed");
  }

  /**
   * Found by a probe: `product history NAME` (no version) checked only the newest version, then printed every
   * version's moves to another operator: an unpublished version's rejection and its confidential reason included.
   */
  @Test
  void anotherOperatorSeesTheHistoryOfPublishedVersionsOnly() throws Exception {
    ok("product", "submit", "income-by-street", "1");
    ok("product", "reject", "income-by-street", "1", "--reason", "birth years identify people in small streets",
        "--as", TestCast.AUTHORITY);
    // Found by a probe: a product of which nothing is published yet was named, with its versions and their state, in
    // the refusal; to another operator it is no product, as one that does not exist (the refusal is still audited).
    String none = "dataops: no product income-by-street (see: dataops product list)\n";
    assertThat(run("product", "history", "no-such-product", "--as", TestCast.OTHER_OPERATOR).err())
        .isEqualTo(none.replace("income-by-street", "no-such-product"));
    for (String[] args : new String[][] {{"history", "income-by-street"}, {"show", "income-by-street", "1"},
        {"history", "income-by-street", "7"}}) {
      Run r = run(java.util.stream.Stream.concat(java.util.stream.Stream.concat(java.util.stream.Stream.of("product"),
          java.util.Arrays.stream(args)), java.util.stream.Stream.of("--as", TestCast.OTHER_OPERATOR))
          .toArray(String[]::new));
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err()).as(String.join(" ", args)).isEqualTo(none);
    }
    assertThat(ok("audit", "list", "--action", "command.refused", "--object", "product:income-by-street", "--json",
        "--as", TestCast.AUDITOR).json().get("events")).hasSize(3);
    as = TestCast.PUBLIC_SECURITY;
    Path feed = dir.resolve("feeds/c2.csv");
    ok("generate", "--dataset", "citizens", "--rows", "100", "--offset", "1500", "--out", feed.toString());
    ok("land", "--department", "public-security", "--dataset", "citizens", "--file", feed.toString());
    as = TestCast.OPERATOR;
    assertThat(ok("pipeline", "run", pipeline.toString(), "--json").json().get("version").asInt()).isEqualTo(2);
    release(2);

    JsonNode seen = ok("product", "history", "income-by-street", "--json", "--as", TestCast.OTHER_OPERATOR).json();
    assertThat(seen.get("transitions").findValuesAsText("version")).as(seen.toString()).containsOnly("2");
    assertThat(seen.toString()).doesNotContain("birth years");
    // A version never published is answered as one that does not exist, as product show answers it (its refusal is
    // still audited).
    Run rejected = refused("product income-by-street has no version 1 you may see", "product", "history",
        "income-by-street", "1", "--as", TestCast.OTHER_OPERATOR);
    assertThat(rejected.err()).doesNotContain("rejected");
    assertThat(ok("audit", "list", "--action", "command.refused", "--object", "product:income-by-street@1", "--json",
        "--as", TestCast.AUDITOR).json().get("events").size()).isGreaterThanOrEqualTo(1);
    JsonNode all = ok("product", "history", "income-by-street", "--json", "--as", TestCast.AUDITOR).json();
    assertThat(all.get("transitions").findValuesAsText("version")).contains("1", "2");
    assertThat(all.toString()).contains("birth years identify people in small streets");
  }
}
