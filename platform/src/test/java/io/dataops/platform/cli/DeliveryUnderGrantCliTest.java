package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.platform.cli.CliTest.Run;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Found by reading the code: a version published under a grant stayed deliverable after the authority revoked the
 * grant (only the partner's role, the read access and the state were checked). Ending an authorization ends the
 * operator's right to provide what it derived under it: a version is handed to a partner only while its operator
 * holds a live grant of its scenario naming the product, and the revocation names the versions it stops.
 */
class DeliveryUnderGrantCliTest extends HomeCliTest {
  private static final String PRODUCT = "income-by-street";

  @BeforeEach
  void publishedHome() throws Exception {
    DeliveryCliTest.grantedRunAndPublished(dir, "--channel market --price 300");
  }

  private String[] deliver(Path out) {
    return new String[] {"product", "deliver", PRODUCT, "1", "--out", out.toString()};
  }

  private JsonNode deliveries() {
    return ok(TestCast.AUDITOR, "audit", "list", "--action", "product.deliver", "--json").json().get("events");
  }

  @Test
  void aRevokedGrantStopsTheDeliveryOfWhatWasMadeUnderItUntilANewGrantIsApproved() throws Exception {
    Path out = dir.resolve("received/income.csv");
    ok(TestCast.PARTNER, deliver(out));

    JsonNode revoked = ok(TestCast.AUTHORITY, "grant", "revoke", "1", "--reason", "the operator shared rows",
        "--json").json();
    assertThat(revoked.get("state").asText()).isEqualTo("revoked");
    assertThat(revoked.get("stops")).as(revoked.toString()).hasSize(1);
    assertThat(revoked.at("/stops/0/product").asText()).isEqualTo(PRODUCT);
    assertThat(revoked.at("/stops/0/version").asInt()).isEqualTo(1);
    JsonNode revokeEvent = ok(TestCast.AUDITOR, "audit", "list", "--action", "grant.revoke", "--json").json()
        .at("/events/0/details/stops");
    assertThat(revokeEvent.toString()).isEqualTo("[{\"product\":\"" + PRODUCT + "\",\"version\":1}]");

    Path after = dir.resolve("received/after.csv");
    String why = "income-by-street v1 is not delivered: no live grant of scenario 'test' held by op names product "
        + PRODUCT + " (grant 1 was revoked at " + revoked.at("/revoked/at").asText() + " by alice: the operator "
        + "shared rows); it is provided again once a grant of the scenario naming it is approved";
    refused(TestCast.PARTNER, why, deliver(after));
    assertThat(after).doesNotExist();
    // A partner's read of its rows is a delivery too.
    refused(TestCast.PARTNER, why, "table", "show", "product.income_by_street", "--tag", "v1", "--limit", "2");
    ok(TestCast.PARTNER, "table", "show", "product.income_by_street", "--tag", "v1", "--limit", "0");
    ok(TestCast.OPERATOR, "table", "show", "product.income_by_street", "--tag", "v1", "--limit", "2");

    JsonNode events = deliveries();
    assertThat(events).hasSize(3);
    for (int i = 0; i < 2; i++) {
      JsonNode e = events.get(i);
      assertThat(e.get("outcome").asText()).isEqualTo("refused");
      assertThat(e.at("/details/reason").asText()).isEqualTo(why.substring(why.indexOf("no live grant")));
      assertThat(e.at("/details/grants").toString()).isEqualTo("[1]");
      assertThat(e.at("/details/partner").asText()).isEqualTo("partner-co");
    }
    assertThat(events.get(0).at("/details/via").asText()).isEqualTo("table show");
    assertThat(events.get(1).at("/details/via").asText()).isEqualTo("deliver");
    assertThat(events.get(2).get("outcome").asText()).isEqualTo("ok");
    assertThat(events.get(2).at("/details/grant").asLong()).as("provided under grant 1").isEqualTo(1);

    // A new application does not make it live while pending; approved, it does.
    Path application = dir.resolve("application.yaml");
    ok(TestCast.OPERATOR, "grant", "apply", application.toString());
    refused(TestCast.PARTNER, "(grant 2 awaits the approval of authority, public-security; grant 1 was revoked at ",
        deliver(after));
    ok(TestCast.AUTHORITY, "grant", "approve", "2");
    ok(TestCast.PUBLIC_SECURITY, "grant", "approve", "2");
    ok(TestCast.PARTNER, deliver(after));
    assertThat(after).isRegularFile();
    assertThat(deliveries().get(0).at("/details/grant").asLong()).as("provided under grant 2").isEqualTo(2);

    // The text of a revocation names what it stops; a revocation that leaves another live grant stops nothing.
    ok(TestCast.OPERATOR, "grant", "apply", application.toString());
    ok(TestCast.AUTHORITY, "grant", "approve", "3");
    ok(TestCast.PUBLIC_SECURITY, "grant", "approve", "3");
    assertThat(ok(TestCast.AUTHORITY, "grant", "revoke", "2", "--reason", "replaced").out())
        .contains("  stops no delivery: no published version of the scenario was provided under this grant alone");
    assertThat(ok(TestCast.AUTHORITY, "grant", "revoke", "3", "--reason", "ended").out())
        .contains("  stops the delivery of: income-by-street v1\n");

    String month = java.time.YearMonth.now(ZoneId.of("Asia/Shanghai")).toString();
    assertThat(ok(TestCast.AUTHORITY, "billing", "statement", "--period", month, "--json").json()
        .at("/lines/0/deliveries").asLong()).as("refusals are not billed").isEqualTo(2);
  }

  /**
   * A delivery that found the grant live, held once its rows were written while the authority revoked the grant, is
   * refused at the hand-over: no file, no delivery event, a refused one.
   */
  @Test
  void aGrantRevokedWhileADeliveryIsWrittenStopsItsHandOver() throws Exception {
    Path out = dir.resolve("held.csv");
    Run delivered;
    try (PausedChild child = PausedChild.at("delivery-written", dir, dir.resolve("home"), TestCast.PARTNER,
        deliver(out))) {
      ok(TestCast.AUTHORITY, "grant", "revoke", "1", "--reason", "the scenario ended");
      delivered = child.resume();
    }
    assertThat(delivered.exit()).as(delivered.err()).isEqualTo(2);
    assertThat(delivered.err()).contains("income-by-street v1 is not delivered: no live grant of scenario 'test' "
        + "held by op names product income-by-street (grant 1 was revoked at ").contains("by alice: the scenario "
        + "ended)");
    assertThat(out).doesNotExist();
    try (var left = java.nio.file.Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("held.csv"));
    }
    JsonNode events = deliveries();
    assertThat(events).hasSize(1);
    assertThat(events.get(0).get("outcome").asText()).isEqualTo("refused");
  }

  /** The refusal every read of v1 outside the maker's organization meets once grant 1 is revoked for {@code why}. */
  private String notProvided(String org, String via, JsonNode revoked, String why) {
    return "income-by-street v1 is not provided to " + org + " (" + via + "): no live grant of scenario 'test' held "
        + "by op names product " + PRODUCT + " (grant 1 was revoked at " + revoked.at("/revoked/at").asText()
        + " by alice: " + why + "); it is provided again once a grant of the scenario naming it is approved";
  }

  private JsonNode events(String action) {
    return ok(TestCast.AUDITOR, "audit", "list", "--action", action, "--json").json().get("events");
  }

  /**
   * Left in earlier notes: a suite's other table was read at the snapshot its run pinned, but the reader's right to it
   * was decided at the table's current snapshot. Of a product table each snapshot is a version: a run pinned at v1
   * that was superseded by v2 and sealed meanwhile read v1's rows because v2 could be read. Now the read is decided at
   * the snapshot the run reads.
   */
  @Test
  void aSuitesOtherTableIsReadOnlyIfTheVersionItsRunPinnedMayBeRead() throws Exception {
    Path contributions = dir.resolve("feeds/si.csv");
    ok(TestCast.HUMAN_RESOURCES, "generate", "--dataset", "social-insurance", "--rows", "30", "--out",
        contributions.toString());
    ok(TestCast.HUMAN_RESOURCES, "land", "--department", "human-resources", "--dataset", "social-insurance", "--file",
        contributions.toString());
    Path reference = java.nio.file.Files.writeString(dir.resolve("reference.yaml"), """
        name: reference
        expectations:
          - type: expect_table_row_count_to_equal_other_table
            kwargs: {other_table_name: product.income_by_street}
        """);
    Path more = dir.resolve("feeds/c2.csv");
    ok(TestCast.PUBLIC_SECURITY, "generate", "--dataset", "citizens", "--rows", "300", "--offset", "1500", "--out",
        more.toString());
    Run checked;
    try (PausedChild child = PausedChild.at("quality-inputs-pinned", dir, dir.resolve("home"),
        TestCast.HUMAN_RESOURCES, "quality", "run", "--table", "ods.human_resources__social_insurance", "--suite",
        reference.toString())) {
      ok(TestCast.PUBLIC_SECURITY, "land", "--department", "public-security", "--dataset", "citizens", "--file",
          more.toString());
      ok(TestCast.OPERATOR, "pipeline", "run", dir.resolve("pipelines/income.yaml").toString());
      ok(TestCast.OPERATOR, "product", "submit", PRODUCT, "2");
      ok(TestCast.AUTHORITY, "product", "approve", PRODUCT, "2");
      ok(TestCast.OPERATOR, "product", "publish", PRODUCT, "2", "--licence", "L", "--channel", "market", "--price",
          "300");
      ok(TestCast.AUTHORITY, "product", "seal", PRODUCT, "1");
      checked = child.resume();
    }
    assertThat(checked.exit()).as(checked.err()).isEqualTo(2);
    assertThat(checked.err()).contains("income-by-street v1 is sealed: reading it requires role authority or auditor; "
        + "hr-clerk has department");
    // A run started now pins v2, published under the live grant: read.
    ok(TestCast.HUMAN_RESOURCES, "quality", "run", "--table", "ods.human_resources__social_insurance", "--suite",
        reference.toString());
  }

  /**
   * Found by a probe: another organization's operator shown every row of a version under a grant took a copy, and the
   * version's destruction certificate left it off and told no one. Rows shown to another organization are listed
   * and that organization is told, as a partner's delivery is; a schema-only read (no row) is not.
   */
  @Test
  void rowsShownToAnotherOrganizationAreCopiesOutsideItsDestructionLists() throws Exception {
    String table = "product.income_by_street";
    ok(TestCast.OTHER_OPERATOR, "table", "show", table, "--tag", "v1", "--limit", "3");
    ok(TestCast.OTHER_OPERATOR, "table", "show", table, "--tag", "v1", "--limit", "0");
    ok(TestCast.OPERATOR, "table", "show", table, "--tag", "v1", "--limit", "3"); // the maker's own
    // Found by a probe: another organization's suggested suite (the version's distinct values) was no copy.
    ok(TestCast.HUMAN_RESOURCES, "quality", "suggest", "--table", table, "--out", dir.resolve("hr-suite.json")
        .toString());
    ok(TestCast.AUTHORITY, "product", "seal", PRODUCT, "1");
    JsonNode destroyed = ok(TestCast.AUTHORITY, "product", "destroy", PRODUCT, "1", "--json").json();
    assertThat(destroyed.get("copiesOutside").asInt()).isEqualTo(2);
    assertThat(destroyed.get("organizationsNotified")).extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("other-op", "human-resources");
    assertThat(destroyed.at("/postCheck/passed").asBoolean()).isTrue();
  }

  /**
   * Found by a probe: another organization's read racing a seal and a destruction was recorded after the certificate,
   * which said no copy was outside. Now it is refused: nothing shown, nothing recorded, the certificate true.
   */
  @Test
  void aVersionSealedAndDestroyedWhileAnotherOrganizationReadsItsRowsShowsNone() throws Exception {
    Run shown;
    JsonNode destroyed;
    try (PausedChild child = PausedChild.at("table-rows-read", dir, dir.resolve("home"), TestCast.OTHER_OPERATOR,
        "table", "show", "product.income_by_street", "--tag", "v1", "--limit", "2")) {
      ok(TestCast.AUTHORITY, "product", "seal", PRODUCT, "1");
      destroyed = ok(TestCast.AUTHORITY, "product", "destroy", PRODUCT, "1", "--json").json();
      shown = child.resume();
    }
    assertThat(destroyed.get("copiesOutside").asInt()).isZero();
    assertThat(shown.exit()).as(shown.err()).isEqualTo(2);
    assertThat(shown.err()).contains("income-by-street v1 is destroyed (it changed while it was read): "
        + "nothing is shown");
    assertThat(shown.out()).doesNotContain("product.income_by_street @ snapshot");
    assertThat(ok(TestCast.AUDITOR, "audit", "list", "--action", "table.read", "--json").json().get("events"))
        .noneSatisfy(e -> assertThat(e.get("objects").toString()).contains("product:" + PRODUCT + "@1"));
  }

  /**
   * Found by a probe: another organization's pipeline of the same name (its own owner and product) took the name's
   * schedule, and the owner could no longer schedule its own pipeline.
   */
  @Test
  void aPipelineNameThatMadeVersionsIsItsOrganizations() throws Exception {
    Path squat = dir.resolve("pipelines/squat.yaml");
    java.nio.file.Files.writeString(squat, CliTest.PIPELINE.replace("owner: op", "owner: other-op")
        .replace("product: income-by-street", "product: squatted"));
    String why = "pipeline name income-by-street is op's (its pipeline of that name made versions of income-by-street)"
        + ": name the pipeline of other-op differently";
    refused(TestCast.OTHER_OPERATOR, why, "schedule", "add-pipeline", squat.toString(), "--cron", "0 0 2 * * *");
    ok(TestCast.OPERATOR, "schedule", "add-pipeline", dir.resolve("pipelines/income.yaml").toString(), "--cron",
        "0 0 2 * * *");
  }

  /**
   * Found by reading the code (left in the last note): an operator of another organization, or a department, still
   * read a published version's rows after its grant was revoked — by table show, or by a quality run of the product
   * table or of a suite that refers to it. Each is a provision by the maker too: refused, audited, not metered. The
   * maker, the authority and auditors read on; so does the department whose own table alone the version was made
   * from (nothing of another's is in it).
   */
  @Test
  void aRevokedGrantClosesTheReadsOfEveryOtherOrganizationButNotTheMakersNorTheSupervisors() throws Exception {
    String table = "product.income_by_street";
    String[] show = {"table", "show", table, "--tag", "v1", "--limit", "2"};
    Path contributions = dir.resolve("feeds/si.csv");
    ok(TestCast.HUMAN_RESOURCES, "generate", "--dataset", "social-insurance", "--rows", "30", "--out",
        contributions.toString());
    ok(TestCast.HUMAN_RESOURCES, "land", "--department", "human-resources", "--dataset", "social-insurance", "--file",
        contributions.toString());
    Path reference = dir.resolve("reference.yaml");
    java.nio.file.Files.writeString(reference, """
        name: reference
        expectations:
          - type: expect_table_row_count_to_equal_other_table
            kwargs: {other_table_name: product.income_by_street}
        """);
    String[] referring = {"quality", "run", "--table", "ods.human_resources__social_insurance", "--suite",
        reference.toString()};
    String[] qualityOfProduct = {"quality", "run", "--table", table, "--suite",
        dir.resolve("pipelines/gate.yaml").toString()};

    assertThat(ok(TestCast.OTHER_OPERATOR, "table", "show", table, "--tag", "v1", "--limit", "2", "--json").json()
        .get("rows")).hasSize(2);
    JsonNode before = events("table.read").get(0);
    assertThat(before.get("outcome").asText()).isEqualTo("ok");
    assertThat(before.at("/details/grant").asLong()).as("provided under grant 1").isEqualTo(1);
    ok(TestCast.HUMAN_RESOURCES, referring);
    ok(TestCast.OTHER_OPERATOR, qualityOfProduct);

    JsonNode revoked = ok(TestCast.AUTHORITY, "grant", "revoke", "1", "--reason", "misuse", "--json").json();

    refused(TestCast.OTHER_OPERATOR, notProvided("other-op", "table show", revoked, "misuse"), show);
    assertThat(refused(TestCast.OTHER_OPERATOR, "is not provided to other-op", "table", "show", table, "--tag", "v1",
        "--limit", "2", "--json").json().get("error").asText()).contains("is not provided to other-op");
    refused(TestCast.OTHER_OPERATOR, notProvided("other-op", "quality run", revoked, "misuse"), qualityOfProduct);
    // A department that is no source of it.
    refused(TestCast.HUMAN_RESOURCES, notProvided("human-resources", "quality reference", revoked, "misuse"),
        referring);
    refused(TestCast.HUMAN_RESOURCES, notProvided("human-resources", "table show", revoked, "misuse"), show);
    ok(TestCast.OTHER_OPERATOR, "table", "show", table, "--tag", "v1", "--limit", "0"); // the schema: no rows
    for (String reader : List.of(TestCast.OPERATOR, TestCast.AUTHORITY, TestCast.AUDITOR, TestCast.PUBLIC_SECURITY)) {
      ok(reader, show);
    }

    JsonNode reads = events("table.read");
    List<String> refusals = new ArrayList<>();
    for (JsonNode e : reads) {
      if (e.get("outcome").asText().equals("refused")) {
        refusals.add(e.at("/details/reader").asText() + " " + e.at("/details/via").asText());
        assertThat(e.at("/details/product").asText()).isEqualTo(PRODUCT);
        assertThat(e.at("/details/version").asInt()).isEqualTo(1);
        assertThat(e.at("/details/grants").toString()).isEqualTo("[1]");
        assertThat(e.at("/details/reason").asText()).startsWith("no live grant of scenario 'test' held by op");
      }
    }
    assertThat(refusals).containsExactly("human-resources table show", "human-resources quality reference",
        "other-op quality run", "other-op table show", "other-op table show");
    long served = 0;
    for (JsonNode e : reads) {
      served += e.get("outcome").asText().equals("ok") ? 1 : 0;
    }
    io.dataops.platform.config.PlatformConfig config = io.dataops.platform.config.PlatformConfig.load(
        dir.resolve("home"), java.util.Map.of());
    var db = io.dataops.platform.session.Sessions.database(config);
    var metering = new io.dataops.governance.metering.Metering(db, new io.dataops.governance.audit.AuditTrail(db));
    metering.sync();
    assertThat(metering.reads(java.time.Instant.now().minusSeconds(3600), java.time.Instant.now().plusSeconds(60))
        .stream().filter(r -> r.source().equals("table.read")).count()).as("refusals are not metered")
        .isEqualTo(served);
    assertThat(metering.check().ok()).isTrue();
  }

  /** other-op's pipeline building on op's product (the latest version), under other-op's own grant of 'resale'. */
  private Path resale() throws Exception {
    TestCast.grant(dir.resolve("home"), TestCast.OTHER_OPERATOR, "other-op", java.time.Clock.systemUTC(), "resale",
        List.of("street-bands"), null, null);
    Path file = dir.resolve("pipelines/street-bands.yaml");
    java.nio.file.Files.writeString(file, """
        name: street-bands
        scenario: resale
        owner: other-op
        inputs:
          - table: product.income_by_street
            as: income
            columns: [district_code, monthly_income]
        transform: |
          SELECT district_code, monthly_income, COUNT(*) AS people FROM income GROUP BY district_code, monthly_income
        product: street-bands
        """);
    return file;
  }

  /** Nothing of other-op's product: no version, no file under its table's folder. */
  private void noStreetBands() throws Exception {
    assertThat(ok(TestCast.AUDITOR, "product", "list", "--json").json().findValuesAsText("name"))
        .doesNotContain("street-bands");
    Path data = dir.resolve("home/warehouse/product/street_bands/data");
    if (java.nio.file.Files.exists(data)) {
      try (var files = java.nio.file.Files.walk(data)) {
        assertThat(files.filter(java.nio.file.Files::isRegularFile)).as("product files written").isEmpty();
      }
    }
  }

  /**
   * A pipeline of another organization naming the product as an input reads its rows: after the revocation it is
   * refused before it reads or writes anything, audited; once a new grant of op's is approved it runs.
   */
  @Test
  void aPipelineOfAnotherOperatorBuildsOnAProductOnlyWhileItsMakerMayProvideIt() throws Exception {
    Path pipeline = resale();
    JsonNode revoked = ok(TestCast.AUTHORITY, "grant", "revoke", "1", "--reason", "misuse", "--json").json();
    // The validation's measure of its inputs reads their rows first: refused there, before the run starts.
    refused(TestCast.OTHER_OPERATOR, notProvided("other-op", "pipeline measure", revoked, "misuse"), "pipeline", "run",
        pipeline.toString());
    noStreetBands();
    JsonNode refusal = events("table.read").get(0);
    assertThat(refusal.get("outcome").asText()).isEqualTo("refused");
    assertThat(refusal.get("objects").toString()).contains("table:product.income_by_street", "grant:1");
    assertThat(refusal.at("/details/reader").asText()).isEqualTo("other-op");
    refused(TestCast.OTHER_OPERATOR, notProvided("other-op", "pipeline measure", revoked, "misuse"), "pipeline",
        "validate", pipeline.toString());

    Path application = dir.resolve("application.yaml");
    ok(TestCast.OPERATOR, "grant", "apply", application.toString());
    ok(TestCast.AUTHORITY, "grant", "approve", "3");
    ok(TestCast.PUBLIC_SECURITY, "grant", "approve", "3");
    JsonNode made = ok(TestCast.OTHER_OPERATOR, "pipeline", "run", pipeline.toString(), "--json").json();
    assertThat(made.get("product").asText()).isEqualTo("street-bands");
    assertThat(made.get("version").asInt()).isEqualTo(1);
  }

  /**
   * A run of another operator that started while the version was provided, held once its inputs were pinned while
   * the authority revoked the grant, is refused at its re-check there: nothing written, no draft.
   */
  @Test
  void aProvisionEndedWhileAPipelineOfAnotherOperatorStartsStopsItBeforeItWrites() throws Exception {
    Path pipeline = resale();
    Run ran;
    try (PausedChild child = PausedChild.at("inputs-pinned", dir, dir.resolve("home"), TestCast.OTHER_OPERATOR,
        "pipeline", "run", pipeline.toString())) {
      ok(TestCast.AUTHORITY, "grant", "revoke", "1", "--reason", "the scenario ended");
      ran = child.resume();
    }
    assertThat(ran.exit()).as(ran.err()).isEqualTo(2);
    assertThat(ran.err()).contains("income-by-street v1 is not provided to other-op (pipeline run): no live grant "
        + "of scenario 'test' held by op names product income-by-street (grant 1 was revoked at ")
        .contains("by alice: the scenario ended)");
    noStreetBands();
    JsonNode runs = events("pipeline.run");
    assertThat(runs.get(0).get("outcome").asText()).as(runs.get(0).toString()).isEqualTo("refused");
    assertThat(events("table.read").get(0).at("/details/via").asText()).isEqualTo("pipeline run");
  }

  /**
   * The same, revoked once the run has written its rows and staged them: refused right before its version would
   * become visible; the staged snapshot and its files are removed, no draft is left.
   */
  @Test
  void aProvisionEndedWhileAPipelineOfAnotherOperatorWritesLetsNoVersionBeMade() throws Exception {
    Path pipeline = resale();
    Run ran;
    try (PausedChild child = PausedChild.at("staged", dir, dir.resolve("home"), TestCast.OTHER_OPERATOR,
        "pipeline", "run", pipeline.toString())) {
      ok(TestCast.AUTHORITY, "grant", "revoke", "1", "--reason", "the scenario ended");
      ran = child.resume();
    }
    assertThat(ran.exit()).as(ran.err()).isEqualTo(2);
    assertThat(ran.err()).contains("income-by-street v1 is not provided to other-op (pipeline publish): no live "
        + "grant of scenario 'test' held by op names product income-by-street (grant 1 was revoked at ");
    noStreetBands();
    assertThat(events("pipeline.run").get(0).get("outcome").asText()).isEqualTo("refused");
  }

  /**
   * Found while reading the pipeline's reads: a pipeline's product inputs were checked by no rule at all, so another
   * operator's run read a sealed version (or a draft) that table show refuses it. They are checked as table show
   * checks them, refused and audited.
   */
  @Test
  void aPipelineOfAnotherOperatorReadsNoSealedVersion() throws Exception {
    Path pipeline = resale();
    ok(TestCast.AUTHORITY, "product", "seal", PRODUCT, "1");
    refused(TestCast.OTHER_OPERATOR, "income-by-street v1 is sealed: reading it requires role authority or auditor; "
        + "oscar has operator", "pipeline", "run", pipeline.toString());
    noStreetBands();
    JsonNode refusal = events("table.read").get(0);
    assertThat(refusal.get("outcome").asText()).isEqualTo("refused");
    assertThat(refusal.at("/details/via").asText()).isEqualTo("pipeline measure");
  }

  /**
   * Found by reading the code (left in the last note): grant revoke listed the published versions before its
   * transaction, so one published in between was missing from what it stops (and the list named one that was
   * superseded meanwhile). The versions are listed inside the transaction, after the state change.
   */
  @Test
  void aVersionPublishedWhileARevocationStartsIsAmongWhatItStops() throws Exception {
    Path feed = dir.resolve("feeds/c2.csv");
    ok(TestCast.PUBLIC_SECURITY, "generate", "--dataset", "citizens", "--rows", "300", "--offset", "1500", "--out",
        feed.toString());
    ok(TestCast.PUBLIC_SECURITY, "land", "--department", "public-security", "--dataset", "citizens", "--file",
        feed.toString());
    ok(TestCast.OPERATOR, "pipeline", "run", dir.resolve("pipelines/income.yaml").toString());
    ok(TestCast.OPERATOR, "product", "submit", PRODUCT, "2");
    ok(TestCast.AUTHORITY, "product", "approve", PRODUCT, "2");
    Run revoked;
    try (PausedChild child = PausedChild.at("grant-revoke-checked", dir, dir.resolve("home"), TestCast.AUTHORITY,
        "grant", "revoke", "1", "--reason", "ended", "--json")) {
      ok(TestCast.OPERATOR, "product", "publish", PRODUCT, "2", "--licence", "L", "--channel", "public-interest");
      revoked = child.resume();
    }
    assertThat(revoked.exit()).as(revoked.err()).isZero();
    String v2 = "[{\"product\":\"" + PRODUCT + "\",\"version\":2}]";
    assertThat(revoked.json().get("stops").toString()).isEqualTo(v2);
    assertThat(events("grant.revoke").at("/0/details/stops").toString()).isEqualTo(v2);
  }
}
