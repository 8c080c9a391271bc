package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.core.digest.Digests;
import io.dataops.core.testing.Tmpfs;
import io.dataops.governance.audit.AuditTrail;
import io.dataops.governance.metering.DeliveryRecord;
import io.dataops.governance.metering.Metering;
import io.dataops.governance.metering.ReadRecord;
import io.dataops.platform.cli.CliTest.Run;
import io.dataops.platform.config.PlatformConfig;
import io.dataops.platform.session.Sessions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A partner receives a published version (数据交付): {@code product deliver} writes every row of exactly that version
 * to a file, and a partner's {@code table show} of it is a delivery too; each is audited, and metering counts them
 * with the pipeline run's reads (under its grant) from the audit trail.
 */
class DeliveryCliTest extends HomeCliTest {

  /** A home where the operator holds a grant, ran its pipeline under it, and published version 1. */
  static void grantedRunAndPublished(Path dir, String channelArgs) throws Exception {
    DeliveryCliTest t = granted(dir);
    Path pipelines = dir.resolve("pipelines");
    t.ok(TestCast.OPERATOR, "pipeline", "run", pipelines.resolve("income.yaml").toString());
    t.ok(TestCast.OPERATOR, "product", "submit", "income-by-street", "1");
    t.ok(TestCast.AUTHORITY, "product", "approve", "income-by-street", "1");
    List<String> publish = new ArrayList<>(List.of("product", "publish", "income-by-street", "1", "--licence", "L"));
    publish.addAll(List.of(channelArgs.split(" ")));
    t.ok(TestCast.OPERATOR, publish.toArray(String[]::new));
  }

  /**
   * A home with 1,500 citizens landed and the operator's grant approved, its pipelines written (pipelines/income.yaml
   * and its gate), none run yet.
   */
  static DeliveryCliTest granted(Path dir) throws Exception {
    DeliveryCliTest t = new DeliveryCliTest();
    t.dir = dir;
    TestCast.enroll(dir.resolve("home"));
    Path feed = dir.resolve("feeds/c.csv");
    t.ok(TestCast.PUBLIC_SECURITY, "generate", "--dataset", "citizens", "--rows", "1500", "--out", feed.toString());
    t.ok(TestCast.PUBLIC_SECURITY, "land", "--department", "public-security", "--dataset", "citizens", "--file",
        feed.toString());
    LocalDate today = LocalDate.now(ZoneId.of("Asia/Shanghai"));
    Path application = dir.resolve("application.yaml");
    Files.writeString(application, """
        scenario: test
        purpose: income by sub-district
        period: {from: %s, until: %s}
        products: [income-by-street]
        resources:
          - table: ods.public_security__citizens
            columns: [id_card, phone, gender, birth_date, district_code, monthly_income]
        """.formatted(today, today.plusDays(30)));
    t.ok(TestCast.OPERATOR, "grant", "apply", application.toString());
    t.ok(TestCast.AUTHORITY, "grant", "approve", "1");
    t.ok(TestCast.PUBLIC_SECURITY, "grant", "approve", "1");
    Path pipelines = Files.createDirectories(dir.resolve("pipelines"));
    Files.writeString(pipelines.resolve("income.yaml"), CliTest.PIPELINE);
    Files.writeString(pipelines.resolve("gate.yaml"), """
        name: gate
        expectations:
          - type: expect_table_row_count_to_be_between
            kwargs: {min_value: 1}
        """);
    return t;
  }

  @BeforeEach
  void publishedHome() throws Exception {
    grantedRunAndPublished(dir, "--channel market --price 300");
  }

  @Test
  void aPartnerReceivesEveryRowOfExactlyThePublishedVersionAndMeteringCountsIt() throws Exception {
    refused(TestCast.OPERATOR, "product deliver requires role partner; olivia has operator", "product", "deliver",
        "income-by-street", "1", "--out", dir.resolve("x.csv").toString());
    Path out = dir.resolve("received/income-v1.csv");
    JsonNode delivered = ok(TestCast.PARTNER, "product", "deliver", "income-by-street", "1", "--out", out.toString(),
        "--json").json();
    long rows = ok(TestCast.OPERATOR, "product", "show", "income-by-street", "1", "--json").json().get("rows")
        .asLong();
    assertThat(delivered.get("rows").asLong()).isEqualTo(rows).isPositive();
    assertThat(delivered.get("partner").asText()).isEqualTo("partner-co");
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertThat(lines).hasSize((int) rows + 1);
    assertThat(lines.get(0)).isEqualTo("person,phone,gender,birth_date,district_code,monthly_income");
    assertThat(delivered.get("bytes").asLong()).isEqualTo(Files.size(out));
    assertThat(delivered.get("sha256").asText()).isEqualTo(Digests.sha256(Files.readString(out)));
    assertThat(Files.getPosixFilePermissions(out)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.exists(out.resolveSibling("income-v1.csv.part"))).isFalse();

    JsonNode shown = ok(TestCast.PARTNER, "table", "show", "product.income_by_street", "--tag", "v1", "--limit", "2",
        "--json").json();
    assertThat(shown.get("rows")).hasSize(2);
    ok(TestCast.AUDITOR, "table", "show", "product.income_by_street", "--tag", "v1", "--limit", "2");
    ok(TestCast.PUBLIC_SECURITY, "table", "show", "ods.public_security__citizens", "--limit", "3");

    PlatformConfig config = PlatformConfig.load(dir.resolve("home"), Map.of());
    Metering metering = new Metering(Sessions.database(config), new AuditTrail(Sessions.database(config)));
    metering.sync();
    Instant from = Instant.now().minusSeconds(3600);
    Instant until = Instant.now().plusSeconds(60);
    List<DeliveryRecord> deliveries = metering.deliveries(from, until);
    assertThat(deliveries).extracting(DeliveryRecord::via).containsExactly("deliver", "table show");
    assertThat(deliveries).allSatisfy(d -> {
      assertThat(d.partner()).isEqualTo("partner-co");
      assertThat(d.product()).isEqualTo("income-by-street");
      assertThat(d.version()).isEqualTo(1);
    });
    assertThat(deliveries.get(0).rows()).isEqualTo(rows);
    assertThat(deliveries.get(0).bytes()).isEqualTo(Files.size(out));
    assertThat(deliveries.get(1).rows()).isEqualTo(2);

    List<ReadRecord> reads = metering.reads(from, until);
    ReadRecord run = reads.get(0);
    assertThat(run.source()).isEqualTo("pipeline.run");
    assertThat(run.grantId()).isEqualTo(1);
    assertThat(run.table()).isEqualTo("ods.public_security__citizens");
    assertThat(run.department()).isEqualTo("public-security");
    assertThat(run.rows()).isEqualTo(1500);
    assertThat(run.bytes()).isPositive();
    assertThat(run.runKey()).hasSize(64);
    assertThat(reads).extracting(ReadRecord::source).containsExactly("pipeline.run", "table.read", "table.read");
    assertThat(reads.get(2).rows()).isEqualTo(3);
    assertThat(metering.check().ok()).isTrue();
    assertThat(ok(TestCast.AUTHORITY, "supervise", "--json").json().get("alerts")).as("normal use raises no alert")
        .isEmpty();
  }

  /** Found by a probe: a product verify that a destruction overtook ended as an internal error (a removed file). */
  @Test
  void aVerifyThatADestructionOvertakesSaysSo() throws Exception {
    ok(TestCast.AUTHORITY, "product", "seal", "income-by-street", "1");
    Run verified;
    try (PausedChild child = PausedChild.at("verify-state-read", dir, dir.resolve("home"), TestCast.AUDITOR, "product",
        "verify", "income-by-street", "1")) {
      ok(TestCast.AUTHORITY, "product", "destroy", "income-by-street", "1");
      verified = child.resume();
    }
    assertThat(verified.exit()).as(verified.err()).isEqualTo(2);
    assertThat(verified.err()).contains(" is destroyed (a destruction began while it was verified): its files are "
        + "removed");
  }

  /** Found by a probe: a product data file altered on disk ended a delivery as an internal error. */
  @Test
  void aDeliveryOfAVersionWhoseFileWasAlteredSaysSoAndDeliversNothing() throws Exception {
    Path data;
    try (var files = Files.walk(dir.resolve("home/warehouse/product/income_by_street/data"))) {
      data = files.filter(f -> f.toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    Files.writeString(data, "not parquet any more");
    Path out = dir.resolve("received/altered.csv");
    Run r = run(TestCast.PARTNER, "product", "deliver", "income-by-street", "1", "--out", out.toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("a data file of this version is no longer the Parquet file it was (it was changed "
        + "outside the platform): nothing is delivered; dataops product verify income-by-street 1 names it");
    assertThat(out).doesNotExist();
  }

  /** Found by a probe: a table show of a version that a destruction overtook ended as an internal error. */
  @Test
  void aReadThatADestructionOvertakesSaysSo() throws Exception {
    ok(TestCast.AUTHORITY, "product", "seal", "income-by-street", "1");
    Run read;
    try (PausedChild child = PausedChild.at("table-version-checked", dir, dir.resolve("home"), TestCast.AUDITOR,
        "table", "show", "product.income_by_street", "--tag", "v1")) {
      ok(TestCast.AUTHORITY, "product", "destroy", "income-by-street", "1");
      read = child.resume();
    }
    assertThat(read.exit()).as(read.err()).isEqualTo(2);
    assertThat(read.err()).contains(" is destroyed (a destruction began while it was read): its files are removed");
  }

  /**
   * Found by a probe: a destruction killed after its last step and before the audit trail's checkpoint was never
   * checkpointed, since run again it is refused (the version is destroyed). It is still refused, after the
   * checkpoint it missed.
   */
  @Test
  void aDestructionKilledBeforeItsCheckpointIsCheckpointedWhenRunAgain() throws Exception {
    ok(TestCast.AUTHORITY, "product", "seal", "income-by-street", "1");
    long before = ok(TestCast.AUDITOR, "audit", "verify", "--json").json().get("checkpoints").asLong();
    try (PausedChild child = PausedChild.at("destroyed", dir, dir.resolve("home"), TestCast.AUTHORITY, "product",
        "destroy", "income-by-street", "1")) {
      child.kill();
    }
    assertThat(ok(TestCast.AUDITOR, "audit", "verify", "--json").json().get("checkpoints").asLong())
        .as("killed before its checkpoint").isEqualTo(before);
    Run again = run(TestCast.AUTHORITY, "product", "destroy", "income-by-street", "1");
    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.err()).contains("is destroyed: destroy needs a version that is rejected or sealed");
    JsonNode verified = ok(TestCast.AUDITOR, "audit", "verify", "--json").json();
    assertThat(verified.get("ok").asBoolean()).isTrue();
    assertThat(verified.get("checkpoints").asLong()).isEqualTo(before + 1);
  }

  /**
   * Each checkpoint is anchored in the archive store too (a bucket with object lock in production, which whoever
   * holds the home cannot rewrite), and {@code audit verify} holds the chain to the anchors: found by a probe, a
   * consistent rewrite of the chain with the lakehouse's checkpoints removed passed. Here the anchors themselves are
   * forged: one whose hash is not the chain's, and one the platform did not write.
   */
  @Test
  void checkpointsAreAnchoredInTheArchiveAndVerifyHoldsTheChainToThem() throws Exception {
    JsonNode checkpoint = ok(TestCast.AUDITOR, "audit", "checkpoint", "--json").json();
    long seq = checkpoint.get("seq").asLong();
    Path anchors = dir.resolve("home/archive/_audit-checkpoints");
    Path anchor = anchors.resolve(String.format("%019d", seq)).resolve("manifest.json");
    JsonNode anchored = CliTest.JSON.readTree(anchor.toFile());
    assertThat(anchored.get("seq").asLong()).isEqualTo(seq);
    assertThat(anchored.get("hash").asText()).isEqualTo(checkpoint.get("hash").asText());
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(anchor)))
        .as("read-only, as sealed archives are").doesNotContain("w");
    assertThat(ok(TestCast.AUDITOR, "audit", "verify", "--json").json().get("ok").asBoolean()).isTrue();

    Path forged = anchors.resolve(String.format("%019d", seq - 1));
    Files.createDirectories(forged);
    Files.writeString(forged.resolve("manifest.json"), anchored.toString().replace("\"seq\":" + seq,
        "\"seq\":" + (seq - 1)));
    Run broken = run(TestCast.AUDITOR, "audit", "verify", "--json");
    assertThat(broken.exit()).isEqualTo(1);
    assertThat(broken.json().get("reason").asText()).as(broken.out()).contains("checkpoint");

    Files.writeString(forged.resolve("manifest.json"), "{}");
    Run garbage = run(TestCast.AUDITOR, "audit", "verify", "--json");
    assertThat(garbage.exit()).isEqualTo(1);
    assertThat(garbage.json().get("reason").asText()).startsWith("audit anchors that the platform did not write: ")
        .contains(String.format("%019d", seq - 1));
  }

  /**
   * A destruction removes what the platform holds, not what a partner took away: the certificate lists the partner's
   * deliveries of the version and says they are not destroyed, and the partner's organization finds a notice in its
   * outbox asking it to delete them, audited once.
   */
  @Test
  void aDestroyedVersionsCertificateListsThePartnersCopiesAndThePartnerIsToldToDeleteThem() throws Exception {
    JsonNode delivered = ok(TestCast.PARTNER, "product", "deliver", "income-by-street", "1", "--out",
        dir.resolve("received/income-v1.csv").toString(), "--json").json();
    ok(TestCast.PARTNER, "table", "show", "product.income_by_street", "--tag", "v1", "--limit", "2");
    ok(TestCast.AUTHORITY, "product", "seal", "income-by-street", "1");

    Run destroyed = ok(TestCast.AUTHORITY, "product", "destroy", "income-by-street", "1");
    assertThat(destroyed.out()).contains("copies outside the platform: 2 (notified: partner-co)",
        "NOT removed by this destruction");

    Path home = dir.resolve("home");
    JsonNode certificate = CliTest.JSON.readTree(home.resolve("certificates/income-by-street-v1-destruction.json")
        .toFile());
    JsonNode copies = certificate.at("/copiesOutside/deliveries");
    assertThat(copies).hasSize(2);
    assertThat(copies.get(0).get("organization").asText()).isEqualTo("partner-co");
    assertThat(copies.get(0).get("user").asText()).isEqualTo(TestCast.PARTNER);
    assertThat(copies.get(0).get("via").asText()).isEqualTo("deliver");
    assertThat(copies.get(0).get("rows").asLong()).isEqualTo(delivered.get("rows").asLong());
    assertThat(copies.get(0).get("bytes").asLong()).isEqualTo(delivered.get("bytes").asLong());
    assertThat(copies.get(0).get("sha256").asText()).isEqualTo(delivered.get("sha256").asText());
    assertThat(copies.get(1).get("via").asText()).isEqualTo("table show");
    assertThat(copies.get(1).get("rows").asLong()).isEqualTo(2);
    assertThat(certificate.at("/copiesOutside/organizationsNotified").get(0).asText()).isEqualTo("partner-co");

    JsonNode notice = CliTest.JSON.readTree(home.resolve("outbox/partner-co/notices/income-by-street-v1-destroyed"
        + ".json").toFile());
    assertThat(notice.get("message").asText()).contains("please delete them");
    assertThat(notice.get("deliveries")).hasSize(2);
    assertThat(notice.at("/deliveries/0/sha256").asText()).isEqualTo(delivered.get("sha256").asText());

    JsonNode notices = ok(TestCast.AUDITOR, "audit", "list", "--action", "product.destroy.notice", "--json").json()
        .get("events");
    assertThat(notices).hasSize(1);
    assertThat(notices.at("/0/actor").asText()).isEqualTo(TestCast.AUTHORITY);
    assertThat(notices.at("/0/objects").toString()).contains("organization:partner-co");
    JsonNode destroyEvent = ok(TestCast.AUDITOR, "audit", "list", "--action", "product.destroy", "--json").json()
        .at("/events/0");
    assertThat(destroyEvent.at("/details/copiesOutside").asInt()).isEqualTo(2);
    assertThat(ok(TestCast.AUDITOR, "audit", "verify", "--json").json().get("ok").asBoolean()).isTrue();
  }

  @Test
  void onlyAPublishedVersionIsDelivered() throws Exception {
    ok(TestCast.AUTHORITY, "product", "seal", "income-by-street", "1");
    refused(TestCast.PARTNER, "income-by-street v1 is sealed: reading it requires role authority or auditor",
        "product", "deliver", "income-by-street", "1", "--out", dir.resolve("x.csv").toString());
    refused(TestCast.PARTNER, "product income-by-street has no version 2", "product", "deliver", "income-by-street",
        "2", "--out", dir.resolve("x.csv").toString());
    assertThat(dir.resolve("x.csv")).doesNotExist();
  }

  /**
   * Found in review: product show answered a partner's question about a draft as about a version that does not
   * exist, but product deliver told the same partner "v2 is draft", and a read of a current snapshot sealed before it
   * was ever published named it too. One rule now (ProductAccess.mayName): a version never published is named only
   * to those who see its record; one once published (sealed since) is named with its state by every command.
   */
  @Test
  void aDraftIsAnsweredToAPartnersDeliveryAsAVersionThatDoesNotExist() throws Exception {
    Path feed = dir.resolve("feeds/c2.csv");
    ok(TestCast.PUBLIC_SECURITY, "generate", "--dataset", "citizens", "--rows", "300", "--offset", "1500", "--out",
        feed.toString());
    ok(TestCast.PUBLIC_SECURITY, "land", "--department", "public-security", "--dataset", "citizens", "--file",
        feed.toString());
    ok(TestCast.OPERATOR, "pipeline", "run", dir.resolve("pipelines/income.yaml").toString());
    Path out = dir.resolve("x.csv");
    Run draft = refused(TestCast.PARTNER, "product income-by-street has no version 2 you may see (see: dataops "
        + "product list)", "product", "deliver", "income-by-street", "2", "--out", out.toString());
    Run missing = refused(TestCast.PARTNER, "product income-by-street has no version 9 you may see", "product",
        "deliver", "income-by-street", "9", "--out", out.toString());
    assertThat(draft.err()).doesNotContain("draft").isEqualTo(missing.err().replace("version 9", "version 2"));
    Run byTag = refused(TestCast.PARTNER, "tag v2 of product.income_by_street is no version paul may read", "table",
        "show", "product.income_by_street", "--tag", "v2");
    assertThat(byTag.err()).doesNotContain("draft").isEqualTo(refused(TestCast.PARTNER, "tag v9 of", "table", "show",
        "product.income_by_street", "--tag", "v9").err().replace("v9", "v2"));
    for (String command : List.of("history", "verify")) { // and so do the other commands that name one version
      Run hidden = refused(TestCast.OTHER_OPERATOR, "product income-by-street has no version 2 you may see",
          "product", command, "income-by-street", "2");
      assertThat(hidden.err()).isEqualTo(refused(TestCast.OTHER_OPERATOR, "has no version 9", "product", command,
          "income-by-street", "9").err().replace("version 9", "version 2"));
    }
    assertThat(out).doesNotExist();
    JsonNode refusal = ok(TestCast.AUDITOR, "audit", "list", "--action", "product.deliver", "--json").json()
        .at("/events/0");
    assertThat(refusal.get("outcome").asText()).isEqualTo("refused");
    assertThat(refusal.at("/details/version").asInt()).isEqualTo(2);
    assertThat(refusal.at("/details/reason").asText()).isEqualTo("income-by-street v2 is draft and was never "
        + "published");

    // Once published, then sealed: every command names it and its state, product show as product deliver does.
    ok(TestCast.AUTHORITY, "product", "seal", "income-by-street", "1");
    refused(TestCast.PARTNER, "income-by-street v1 is sealed: its record is for the owning operator", "product",
        "show", "income-by-street", "1");
    refused(TestCast.PARTNER, "income-by-street v1 is sealed: reading it requires role authority or auditor",
        "product", "deliver", "income-by-street", "1", "--out", out.toString());
  }
  /**
   * Found by a probe: a partner's delivery written over the home's catalog.db (every later command failed: the audit
   * trail, grants and identities gone), a statement over secrets/keys.properties (no pseudonym could be matched
   * again), an evaluation into secrets/, a sample over the keys. Now any --out inside the home is refused before anything is written, a link
   * planted outside that leads into the home too.
   */
  @Test
  void noCommandWritesItsOutputIntoThePlatformHome() throws Exception {
    Path home = dir.resolve("home");
    Path catalog = home.resolve("catalog.db");
    Path keys = home.resolve("secrets/keys.properties");
    byte[] keysBefore = java.nio.file.Files.readAllBytes(keys);
    String inside = "is inside the platform home (" + home + ")";
    refused(TestCast.PARTNER, "--out " + catalog + " " + inside, "product", "deliver", "income-by-street", "1",
        "--out", catalog.toString());
    java.nio.file.Files.createSymbolicLink(dir.resolve("to-home"), home);
    refused(TestCast.PARTNER, inside, "product", "deliver", "income-by-street", "1", "--out",
        dir.resolve("to-home/secrets/keys.properties").toString());
    refused(TestCast.PARTNER, inside, "billing", "statement", "--period", java.time.YearMonth.now().toString(), "--out",
        keys.toString());
    refused(TestCast.AUTHORITY, inside, "evaluate", "--period", java.time.YearMonth.now().toString(), "--out",
        home.resolve("secrets").toString());
    refused(TestCast.PUBLIC_SECURITY, inside, "quality", "suggest", "--table", "ods.public_security__citizens",
        "--out", home.resolve("tmp/../catalog.db").toString());
    // A sample (and its contract beside it) over the keys: the home is not opened, still not written into.
    refused(TestCast.PUBLIC_SECURITY, inside, "generate", "--dataset", "citizens", "--rows", "5", "--out",
        keys.toString());
    assertThat(home.resolve("secrets/keys.properties.contract.yaml")).doesNotExist();
    assertThat(java.nio.file.Files.readAllBytes(keys)).isEqualTo(keysBefore);
    assertThat(ok(TestCast.AUDITOR, "audit", "verify").exit()).as("the database is whole").isZero();
    ok(TestCast.PARTNER, "product", "deliver", "income-by-street", "1", "--out", dir.resolve("elsewhere.csv").toString());
  }

  /**
   * Found by a probe: a delivery or a statement written to a pipe or a device replaced it with a regular file (the file
   * is written beside the name and moved over it: as root, {@code --out /dev/null} left /dev/null a file of the
   * partner's rows), and {@code --out /dev/stdout} failed as an internal error. Now any --out that names a device, a
   * pipe or a socket is refused before anything is written or recorded, through a link too.
   */
  @Test
  void noCommandReplacesAPipeOrADeviceWithItsOutput() throws Exception {
    Path pipe = dir.resolve("pipe");
    assertThat(new ProcessBuilder("mkfifo", pipe.toString()).inheritIO().start().waitFor()).isZero();
    Path link = java.nio.file.Files.createSymbolicLink(dir.resolve("to-pipe"), pipe);
    String refusal = "is a device, a pipe or a socket, which the written file would replace";
    refused(TestCast.PARTNER, "--out " + pipe + " " + refusal, "product", "deliver", "income-by-street", "1", "--out",
        pipe.toString());
    refused(TestCast.PARTNER, "--out " + link + " " + refusal, "product", "deliver", "income-by-street", "1", "--out",
        link.toString());
    refused(TestCast.PARTNER, refusal, "billing", "statement", "--period", java.time.YearMonth.now().toString(),
        "--out", pipe.toString());
    refused(TestCast.AUTHORITY, refusal, "evaluate", "--period", java.time.YearMonth.now().toString(), "--out",
        pipe.toString());
    assertThat(java.nio.file.Files.isRegularFile(pipe)).as("still a pipe").isFalse();
    assertThat(java.nio.file.Files.exists(pipe)).isTrue();
    assertThat(ok(TestCast.AUDITOR, "audit", "list", "--action", "product.deliver", "--json").json().get("events"))
        .as("nothing handed over").isEmpty();
  }

  /**
   * Found by a probe: a delivery that found the version published, paused while it wrote the rows, then resumed after
   * the version was sealed, handed the sealed version over (its event recorded, billed).
   */
  @Test
  void aVersionSealedWhileItsDeliveryIsWrittenIsNotHandedOver() throws Exception {
    Path out = dir.resolve("sealed.csv");
    Run delivered;
    try (PausedChild child = PausedChild.at("delivery-written", dir, dir.resolve("home"), TestCast.PARTNER, "product",
        "deliver", "income-by-street", "1", "--out", out.toString())) {
      ok(TestCast.AUTHORITY, "product", "seal", "income-by-street", "1");
      delivered = child.resume();
    }
    assertThat(delivered.exit()).as(delivered.err()).isEqualTo(2);
    assertThat(delivered.err()).contains("income-by-street v1 is sealed: reading it requires role authority or"
        + " auditor; paul has partner");
    assertThat(out).doesNotExist();
    assertThat(ok(TestCast.AUDITOR, "audit", "list", "--action", "product.deliver", "--json").json().get("events"))
        .isEmpty();
  }

  /**
   * Left in the last note: a partner's {@code table show} recorded its delivery outside the version's transaction, so
   * a seal after its rows were read let them be shown and left them off the destruction certificate. Now the seal
   * stops them as it stops product deliver: nothing shown, nothing recorded.
   */
  @Test
  void aVersionSealedWhileAPartnersTableShowReadsItsRowsShowsNone() throws Exception {
    Run shown;
    try (PausedChild child = PausedChild.at("table-rows-read", dir, dir.resolve("home"), TestCast.PARTNER, "table",
        "show", "product.income_by_street", "--tag", "v1", "--limit", "2")) {
      ok(TestCast.AUTHORITY, "product", "seal", "income-by-street", "1");
      shown = child.resume();
    }
    assertThat(shown.exit()).as(shown.err()).isEqualTo(2);
    assertThat(shown.err()).contains("income-by-street v1 is sealed: only a published version is delivered");
    assertThat(shown.out()).doesNotContain("product.income_by_street @ snapshot");
    assertThat(ok(TestCast.AUDITOR, "audit", "list", "--action", "product.deliver", "--json").json().get("events"))
        .isEmpty();
  }

  /**
   * Found by a probe: a partner's {@code table show --limit 0} (the schema only) was recorded as a delivery of no row
   * and billed as a full one. Now it is a read naming the version, metered as a read; one row shown is a delivery.
   */
  @Test
  void aPartnersReadThatShowsNoRowIsNoDelivery() throws Exception {
    ok(TestCast.PARTNER, "table", "show", "product.income_by_street", "--tag", "v1", "--limit", "0");
    ok(TestCast.PARTNER, "table", "show", "product.income_by_street", "--tag", "v1", "--limit", "1");
    JsonNode statement = ok(TestCast.AUTHORITY, "billing", "statement", "--period",
        java.time.YearMonth.now(ZoneId.of("Asia/Shanghai")).toString(), "--json").json();
    assertThat(statement.at("/lines/0/deliveries").asLong()).isEqualTo(1);
    assertThat(statement.get("total").asText()).isEqualTo("300.00");
    JsonNode read = ok(TestCast.AUDITOR, "audit", "list", "--action", "table.read", "--json").json().get("events")
        .get(0);
    assertThat(read.at("/details/rows").asLong()).isZero();
    assertThat(read.at("/details/product").asText()).isEqualTo("income-by-street");

    PlatformConfig config = PlatformConfig.load(dir.resolve("home"), Map.of());
    Metering metering = new Metering(Sessions.database(config), new AuditTrail(Sessions.database(config)));
    metering.sync();
    Instant from = Instant.now().minusSeconds(3600);
    Instant until = Instant.now().plusSeconds(60);
    assertThat(metering.deliveries(from, until)).extracting(DeliveryRecord::rows).containsExactly(1L);
    assertThat(metering.reads(from, until)).extracting(ReadRecord::source, ReadRecord::rows)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("pipeline.run", 1500L),
            org.assertj.core.groups.Tuple.tuple("table.read", 0L));
    assertThat(metering.check().ok()).isTrue();
  }

  /**
   * Found by a probe: an --out that cannot be written was an internal error with its cause only in the log (a legal
   * 244-character name failed: the part file's suffix took it past the limit), and a statement to a folder recorded
   * its event before failing. Now each is refused (exit 2) naming the reason, and nothing is recorded.
   */
  @Test
  void anOutThatCannotBeWrittenIsRefusedWithItsReasonAndNothingIsRecorded() throws Exception {
    String month = java.time.YearMonth.now(ZoneId.of("Asia/Shanghai")).toString();
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    Path folder = Files.createDirectories(dir.resolve("a-folder"));
    String tooLong = "n".repeat(252) + ".csv";
    for (String[] command : List.of(new String[] {"product", "deliver", "income-by-street", "1"},
        new String[] {"billing", "statement", "--period", month})) {
      String what = command[0].equals("product") ? "the delivery" : "the statement";
      List<String> args = new ArrayList<>(List.of(command));
      args.add("--out");
      refused(TestCast.PARTNER, "--out names a folder (" + folder + ")", with(args, folder.toString()));
      refused(TestCast.PARTNER, "cannot write " + what + " to " + file.resolve("x.csv") + ": " + file
          + " is not a directory", with(args, file.resolve("x.csv").toString()));
      refused(TestCast.PARTNER, "cannot write " + what + " to /proc/self/x.csv: no such file or directory",
          with(args, "/proc/self/x.csv"));
      refused(TestCast.PARTNER, "cannot write " + what + " to " + dir.resolve(tooLong) + ": name too long",
          with(args, dir.resolve(tooLong).toString()));
      Path longest = folder.resolve(command[0] + "-" + "n".repeat(244 - command[0].length() - 5) + ".csv");
      assertThat(longest.getFileName().toString()).hasSize(244);
      ok(TestCast.PARTNER, with(args, longest.toString()));
      assertThat(longest).isRegularFile();
    }
    refused(TestCast.AUTHORITY, "cannot write the evaluation to " + file + ": " + file + " is not a directory",
        "evaluate", "--period", month, "--out", file.toString());
    refused(TestCast.AUTHORITY, "cannot write the evaluation to /proc/self/e: no such file or directory",
        "evaluate", "--period", month, "--out", "/proc/self/e");
    try (var left = Files.list(folder)) {
      assertThat(left.map(f -> f.getFileName().toString())).as("no part file left").hasSize(2)
          .allSatisfy(n -> assertThat(n).endsWith(".csv"));
    }
    for (String action : List.of("product.deliver", "billing.statement")) {
      assertThat(ok(TestCast.AUDITOR, "audit", "list", "--action", action, "--json").json().get("events"))
          .as(action + ": only the one written").hasSize(1);
    }
    assertThat(ok(TestCast.AUDITOR, "audit", "list", "--action", "evaluate", "--json").json().get("events")).isEmpty();
  }

  /**
   * Found by a probe: {@code --out lnk/../x.csv} was written where the text cleaned to (beside lnk), not where the OS
   * goes (up from where lnk leads), and billing statement said it wrote the name typed, where no file was; and a line
   * feed in the name was printed raw (ESC was shown as a picture already).
   */
  @Test
  void anOutIsWrittenAndShownWhereItReallyIsOneLineWhateverItsName() throws Exception {
    String month = java.time.YearMonth.now(ZoneId.of("Asia/Shanghai")).toString();
    Path far = Files.createDirectories(dir.resolve("far/inner"));
    Path near = Files.createDirectories(dir.resolve("near"));
    Files.createSymbolicLink(near.resolve("lnk"), far);
    Path real = dir.toRealPath().resolve("far");
    String delivered = ok(TestCast.PARTNER, "product", "deliver", "income-by-street", "1", "--out",
        near.resolve("lnk/../x.csv").toString()).out();
    assertThat(delivered).contains(" in " + real.resolve("x.csv") + " (sha256");
    assertThat(real.resolve("x.csv")).isRegularFile();
    String statement = ok(TestCast.PARTNER, "billing", "statement", "--period", month, "--out",
        near.resolve("lnk/../s.csv").toString()).out();
    assertThat(statement).contains("written to " + real.resolve("s.csv") + "\n");
    assertThat(real.resolve("s.csv")).isRegularFile();
    assertThat(near.resolve("x.csv")).doesNotExist();
    assertThat(near.resolve("s.csv")).doesNotExist();

    String lined = ok(TestCast.PARTNER, "product", "deliver", "income-by-street", "1", "--out",
        dir.resolve("a\nb.csv").toString()).out();
    assertThat(lined).contains(dir + "/a\u240ab.csv (sha256").hasLineCount(1);
    assertThat(ok(TestCast.PARTNER, "billing", "statement", "--period", month, "--out",
        dir.resolve("s\nt.csv").toString()).out()).contains("written to " + dir + "/s\u240at.csv\n");
  }

  /** Found by a probe: a full --out device was reported as the home's ("/ (/dev/vda), 19136 MB free now"). */
  @Test
  void aDeliveryOntoAFullDeviceNamesThatDeviceAndLeavesNoFileAndNoEvent() throws Exception {
    try (Tmpfs small = Tmpfs.mount(dir.resolve("small"), 1)) {
      Path filler = small.dir().resolve("filler");
      try (var out = Files.newOutputStream(filler)) {
        byte[] block = new byte[4096];
        while (true) {
          out.write(block);
          out.flush();
        }
      } catch (java.io.IOException full) {
        // the device is full now
      }
      Path target = small.dir().resolve("delivery.csv");
      Run r = run(TestCast.PARTNER, "product", "deliver", "income-by-street", "1", "--out", target.toString());
      assertThat(r.exit()).as(r.err()).isEqualTo(1);
      assertThat(r.err()).hasLineCount(1).contains("no space left on the device while writing the delivery to "
          + target + " (" + small.dir() + " (tmpfs)");
      try (var left = Files.list(small.dir())) {
        assertThat(left.map(f -> f.getFileName().toString())).containsExactly("filler");
      }
      assertThat(ok(TestCast.AUDITOR, "audit", "list", "--action", "product.deliver", "--json").json().get("events"))
          .isEmpty();
      Files.delete(filler);
      ok(TestCast.PARTNER, "product", "deliver", "income-by-street", "1", "--out", target.toString());
      assertThat(target).isRegularFile();
    }
  }

  private static String[] with(List<String> args, String last) {
    List<String> all = new ArrayList<>(args);
    all.add(last);
    return all.toArray(String[]::new);
  }
}
