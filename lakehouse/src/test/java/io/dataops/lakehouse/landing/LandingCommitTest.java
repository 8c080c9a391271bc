package io.dataops.lakehouse.landing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.core.BadInputException;
import io.dataops.core.testing.ChildJvm;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.contract.ContractParser;
import io.dataops.lakehouse.contract.FeedContract;
import io.dataops.lakehouse.contract.FeedFormat;
import io.dataops.lakehouse.sample.GenerateRequest;
import io.dataops.lakehouse.sample.GenerateResult;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.lakehouse.sample.SampleGenerator;
import io.dataops.lakehouse.testing.Tables;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;

class LandingCommitTest extends LandingFixture {

  private GenerateResult citizens(String name, long rows, long offset, double defects) {
    return SampleGenerator.generate(new GenerateRequest(SampleDataset.CITIZENS, rows, dir.resolve(name),
        FeedFormat.CSV, Charset.forName("GBK"), defects, 5, offset, 100_000, 100, false));
  }

  private static LandingRequest request(GenerateResult g) {
    Path file = Path.of(g.file());
    return new LandingRequest("public-security", "citizens", file,
        ContractParser.parse(SampleGenerator.contractPathFor(file)), "c0ffee");
  }

  private Table citizensTable(Lakehouse lh) {
    return lh.load(TableNames.ods("public-security", "citizens"));
  }

  @Test
  void aFeedIsOneSnapshotWithLineageAndASummary() {
    GenerateResult g = citizens("c.csv", 2_000, 0, 0.05);
    LandingResult r = new Landing(lakehouse).land(request(g));
    Table ods = citizensTable(lakehouse);
    Snapshot s = ods.currentSnapshot();
    assertThat(s.snapshotId()).isEqualTo(r.snapshotId());
    assertThat(s.summary())
        .containsEntry(FeedTables.SUMMARY_FEED_ID, r.feedId())
        .containsEntry(FeedTables.SUMMARY_FILE_SHA256, Landing.sha256(Path.of(g.file())))
        .containsEntry(FeedTables.SUMMARY_FILE_SIZE, String.valueOf(g.bytes()))
        .containsEntry(FeedTables.SUMMARY_SOURCE_FILE, "c.csv")
        .containsEntry(FeedTables.SUMMARY_DEPARTMENT, "public-security")
        .containsEntry(FeedTables.SUMMARY_DATASET, "citizens")
        .containsEntry(FeedTables.SUMMARY_FORMAT, "csv")
        .containsEntry(FeedTables.SUMMARY_ENCODING, "GBK")
        .containsEntry(FeedTables.SUMMARY_CONTRACT_SHA256, "c0ffee")
        .containsEntry(FeedTables.SUMMARY_ROWS_READ, "2000")
        .containsEntry(FeedTables.SUMMARY_ROWS_LANDED, String.valueOf(r.rowsLanded()))
        .containsEntry(FeedTables.SUMMARY_ROWS_QUARANTINED, String.valueOf(r.rowsQuarantined()))
        .containsEntry("added-records", String.valueOf(r.rowsLanded()));
    Table q = lakehouse.load(TableNames.quarantine("public-security", "citizens"));
    assertThat(q.currentSnapshot().summary()).containsEntry(FeedTables.SUMMARY_FEED_ID, r.feedId())
        .containsEntry("added-records", String.valueOf(r.rowsQuarantined()));
    List<Record> rows = Tables.rows(ods);
    assertThat(rows).hasSize((int) r.rowsLanded());
    OffsetDateTime landedAt = (OffsetDateTime) rows.get(0).getField(FeedTables.LANDED_AT);
    assertThat(rows).allSatisfy(x -> {
      assertThat(x.getField(FeedTables.FEED_ID)).isEqualTo(r.feedId());
      assertThat(x.getField(FeedTables.LANDED_AT)).isEqualTo(landedAt);
    });
    Set<Long> landedRows = new HashSet<>();
    rows.forEach(x -> landedRows.add((Long) x.getField(FeedTables.ROW_NUMBER)));
    Tables.rows(q).forEach(x -> landedRows.add((Long) x.getField("row_number")));
    assertThat(landedRows).as("every row number exactly once, landed or quarantined").hasSize(2_000);
    assertThat(ods.schema().identifierFieldNames()).containsExactly("record_id");
    assertThat(ods.properties()).containsEntry("dataops.personal.id_card", "id_card");
    assertThat(((org.apache.iceberg.HasTableOperations) ods).operations().current().formatVersion()).isEqualTo(2);
  }

  @Test
  void theSameContentLandsOnceEvenUnderAnotherName() throws Exception {
    GenerateResult g = citizens("c.csv", 500, 0, 0.1);
    LandingResult first = new Landing(lakehouse).land(request(g));
    LandingResult again = new Landing(lakehouse).land(request(g));
    assertThat(again.duplicateOf()).isEqualTo(first.snapshotId());
    assertThat(again.snapshotId()).isNull();
    assertThat(again.rowsRead()).isZero();
    Path copy = dir.resolve("renamed.csv");
    Files.copy(Path.of(g.file()), copy);
    Files.copy(SampleGenerator.contractPathFor(Path.of(g.file())), SampleGenerator.contractPathFor(copy));
    LandingResult renamed = new Landing(lakehouse).land(new LandingRequest("public-security", "citizens", copy,
        ContractParser.parse(SampleGenerator.contractPathFor(copy)), null));
    assertThat(renamed.duplicateOf()).isEqualTo(first.snapshotId());
    Table ods = citizensTable(lakehouse);
    assertThat(Tables.rows(ods)).hasSize((int) first.rowsLanded());
    assertThat(Tables.rows(lakehouse.load(TableNames.quarantine("public-security", "citizens"))))
        .hasSize((int) first.rowsQuarantined());
  }

  @Test
  void twoProcessesLandingAtOnceBothSucceedAndLoseNothing() throws Exception {
    GenerateResult a = citizens("a.csv", 20_000, 0, 0.02);
    GenerateResult b = citizens("b.csv", 20_000, 20_000, 0.02);
    List<JsonNode> results = RacingLandings.race(LakehouseConfig.embedded(dir.resolve("home")), dir,
        List.of(Path.of(a.file()), Path.of(b.file())));
    RaceAssertions.bothLandedOneAfterARetry(results, lakehouse, 40_000,
        a.expectedQuarantined() + b.expectedQuarantined());
  }

  @Test
  void theSameFeedLandedTwiceAtOnceLandsOnce() throws Exception {
    GenerateResult g = citizens("same.csv", 20_000, 0, 0.02);
    List<JsonNode> results = RacingLandings.race(LakehouseConfig.embedded(dir.resolve("home")), dir,
        List.of(Path.of(g.file()), Path.of(g.file())));
    RaceAssertions.oneLandedTheOtherRefusedAtCommit(results, lakehouse, dir.resolve("home/warehouse"));
  }

  @Test
  void aCrashBetweenTheTwoCommitsIsRepairedByTheNextLanding() {
    GenerateResult g = citizens("c.csv", 1_000, 0, 0.1);
    Landing dying = new Landing(lakehouse);
    dying.betweenCommits = () -> {
      throw new IllegalStateException("simulated crash after the ods commit");
    };
    assertThatThrownBy(() -> dying.land(request(g))).hasMessage("simulated crash after the ods commit");
    Table q = lakehouse.load(TableNames.quarantine("public-security", "citizens"));
    assertThat(q.currentSnapshot()).as("the quarantine commit never happened").isNull();

    LandingResult retry = new Landing(lakehouse).land(request(g));
    assertThat(retry.isDuplicate()).as("the ods commit did happen: the feed is not landed twice").isTrue();
    assertThat(Tables.rows(q)).as("and the recorded quarantine files were appended").hasSize((int) g.expectedQuarantined());
    assertThat(Tables.rows(citizensTable(lakehouse))).hasSize((int) (1_000 - g.expectedQuarantined()));
    assertRepairReported(retry, g);

    LandingResult third = new Landing(lakehouse).land(request(g));
    assertThat(Tables.rows(q)).as("repaired once, not again").hasSize((int) g.expectedQuarantined());
    assertThat(third.repaired()).isNull();
  }

  /** The landing says what it repaired, in its result and in the JSON the command line prints from it. */
  private void assertRepairReported(LandingResult r, GenerateResult g) {
    Table q = lakehouse.load(TableNames.quarantine("public-security", "citizens"));
    assertThat(r.repaired()).as("the repair is reported").isNotNull();
    assertThat(r.repaired().quarantineSnapshotId()).isEqualTo(q.currentSnapshot().snapshotId());
    assertThat(r.repaired().rows()).isEqualTo(g.expectedQuarantined());
    assertThat(r.repaired().feedIds()).containsExactly(citizensTable(lakehouse).currentSnapshot().summary()
        .get(FeedTables.SUMMARY_FEED_ID));
    JsonNode json = new ObjectMapper().valueToTree(r).get("repaired");
    assertThat(json.get("quarantineSnapshotId").asLong()).isEqualTo(q.currentSnapshot().snapshotId());
    assertThat(json.get("rows").asLong()).isEqualTo(g.expectedQuarantined());
  }

  @Test
  void aLandingKilledBetweenItsTwoCommitsIsRepairedByTheNextLanding() throws Exception {
    GenerateResult g = citizens("c.csv", 2_000, 0, 0.05);
    Path marker = dir.resolve("marker");
    Process child = new ProcessBuilder(ChildJvm.command(LandingChild.class, List.of("-Xmx256m"),
        List.of(dir.resolve("home").toString(), g.file(), g.contractFile(), marker.toString(), "0", "public-security",
        "citizens", LandingChild.PAUSE_BETWEEN_COMMITS)))
        .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.exists(marker) && child.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    boolean reached = Files.exists(marker);
    child.destroyForcibly(); // SIGKILL exactly between the two commits (and before any assertion: none is left paused)
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(reached).as("the child reached its ods commit: " + Files.readString(dir.resolve("child.log"))).isTrue();

    Table ods = citizensTable(lakehouse);
    Table q = lakehouse.load(TableNames.quarantine("public-security", "citizens"));
    assertThat(ods.currentSnapshot()).as("the ods commit happened").isNotNull();
    assertThat(q.currentSnapshot()).as("the quarantine commit did not").isNull();

    LandingResult next = new Landing(lakehouse).land(request(g));
    assertThat(next.duplicateOf()).isEqualTo(ods.currentSnapshot().snapshotId());
    assertRepairReported(next, g);
    assertThat(Tables.rows(q)).hasSize((int) g.expectedQuarantined());
  }

  @Test
  void aLandingKilledInTheMiddleLeavesNothingAndLandsOnceWhenRunAgain() throws Exception {
    GenerateResult g = citizens("big.csv", 400_000, 0, 0.01);
    Path home = dir.resolve("home");
    Path marker = dir.resolve("marker");
    Process child = new ProcessBuilder(ChildJvm.command(LandingChild.class, List.of("-Xmx256m"),
        List.of(home.toString(), g.file(), g.contractFile(), marker.toString(), "100000", "public-security",
        "citizens")))
        .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.exists(marker) && child.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    boolean going = Files.exists(marker);
    child.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks (and before any assertion)
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(going).as("the child got going: " + Files.readString(dir.resolve("child.log"))).isTrue();
    assertThat(Files.readString(dir.resolve("child.log"))).doesNotContain("landed ");

    Table ods = citizensTable(lakehouse);
    ods.refresh();
    assertThat(ods.currentSnapshot()).as("nothing of the killed landing is visible").isNull();
    assertThat(Tables.rows(ods)).isEmpty();

    LandingResult r = new Landing(lakehouse).land(request(g));
    assertThat(r.rowsRead()).isEqualTo(400_000);
    assertThat(r.rowsQuarantined()).isEqualTo(g.expectedQuarantined());
    assertThat(Tables.rows(citizensTable(lakehouse))).hasSize((int) r.rowsLanded());
    assertThat(new Landing(lakehouse).land(request(g)).isDuplicate()).isTrue();
  }

  @Test
  void aFeedOfWhichNoRowLandsIsRefusedKeepsItsQuarantineRowsAndLandsByTheCorrectedContract() throws Exception {
    GenerateResult g = citizens("gbk.csv", 300, 0, 0);
    Path file = Path.of(g.file());
    String gbk = Files.readString(SampleGenerator.contractPathFor(file));
    FeedContract asUtf8 = ContractParser.parse(gbk.replace("encoding: GBK", "encoding: UTF-8"), "wrong.contract.yaml");
    assertThatThrownBy(() -> new Landing(lakehouse).land(new LandingRequest("public-security", "citizens", file,
        asUtf8, null))).isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("none of the 300 rows of gbk.csv could be landed (undecodable 300): nothing landed; "
            + "the rows are in quarantine.public_security__citizens as feed ")
        .hasMessageEndingWith("; is the file really UTF-8? check the contract's encoding");
    assertThat(citizensTable(lakehouse).currentSnapshot()).as("nothing landed, not even an empty snapshot").isNull();
    List<Record> bad = Tables.rows(lakehouse.load(TableNames.quarantine("public-security", "citizens")));
    assertThat(bad).hasSize(300).allSatisfy(x -> {
      assertThat(x.getField("rule")).isEqualTo(Problem.UNDECODABLE);
      assertThat(x.getField("raw_bytes")).as("the bytes as sent are kept").isNotNull();
    });

    LandingResult fixed = new Landing(lakehouse).land(request(g));
    assertThat(fixed.duplicateOf()).as("a refused feed did not count as landed").isNull();
    assertThat(fixed.rowsLanded()).isEqualTo(300);
    assertThat(new Landing(lakehouse).land(request(g)).duplicateOf()).isEqualTo(fixed.snapshotId());
  }

  /**
   * Found by a probe: an object's name may hold a line break or an escape, and the refusal repeated it raw on the
   * operator's terminal ("none of the 200 rows of a", then a line "ERROR fake...csv could be landed"). Now shown as
   * every listing shows such characters.
   */
  @Test
  void aRefusalShowsTheControlCharactersOfTheFileNameVisibly() throws Exception {
    GenerateResult g = citizens("gbk.csv", 200, 0, 0);
    Path file = Path.of(g.file());
    String gbk = Files.readString(SampleGenerator.contractPathFor(file));
    FeedContract asUtf8 = ContractParser.parse(gbk.replace("encoding: GBK", "encoding: UTF-8"), "wrong.contract.yaml");
    FeedFile named = new FeedFile("a\nERROR fake\u001b[2J.csv", org.apache.iceberg.Files.localInput(file.toFile()));
    assertThatThrownBy(() -> new Landing(lakehouse).land(new LandingRequest("public-security", "citizens", named,
        asUtf8, null))).isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("none of the 200 rows of a\u240aERROR fake\u241b[2J.csv could be landed")
        .hasMessageNotContaining("\n").hasMessageNotContaining("\u001b");
    Path empty = Files.createFile(dir.resolve("empty.csv"));
    FeedFile none = new FeedFile("e\r\u001b]0;x\u0007.csv", org.apache.iceberg.Files.localInput(empty.toFile()));
    assertThatThrownBy(() -> new Landing(lakehouse).land(new LandingRequest("public-security", "citizens", none,
        asUtf8, null))).isInstanceOf(BadInputException.class)
        .hasMessage("e\u240d\u241b]0;x\u2407.csv is empty (0 bytes): there is nothing to land");
  }

  @Test
  void theSameFileByACorrectedContractIsANewAttemptButNotByTheSameContractReworded() throws Exception {
    GenerateResult g = citizens("c.csv", 400, 0, 0);
    Path file = Path.of(g.file());
    String yaml = Files.readString(SampleGenerator.contractPathFor(file));
    LandingResult first = new Landing(lakehouse).land(request(g));

    FeedContract sameMeaning = ContractParser.parse("# sent again by the department\n\n" + yaml, "again.yaml");
    LandingResult again = new Landing(lakehouse).land(new LandingRequest("public-security", "citizens", file,
        sameMeaning, "another-file-digest"));
    assertThat(again.duplicateOf()).as("comments and layout are not a new contract").isEqualTo(first.snapshotId());

    assertThat(yaml).contains("maxLength: 128");
    FeedContract corrected = ContractParser.parse(yaml.replace("maxLength: 128", "maxLength: 256"), "fixed.yaml");
    LandingResult retried = new Landing(lakehouse).land(new LandingRequest("public-security", "citizens", file,
        corrected, null));
    assertThat(retried.duplicateOf()).as("a corrected contract is a new attempt").isNull();
    assertThat(retried.rowsLanded()).isEqualTo(400);
    assertThat(citizensTable(lakehouse).currentSnapshot().summary())
        .containsEntry(FeedTables.SUMMARY_CONTRACT_VERSION, FeedKey.versionOf(corrected))
        .containsEntry(FeedTables.SUMMARY_FEED_KEY, Landing.sha256(file) + "/" + FeedKey.versionOf(corrected));
  }

  @Test
  void aContractThatAddsOrWidensColumnsEvolvesTheTable() {
    String v1 = """
        columns:
          - {name: id, type: long, required: true}
          - {name: score, type: int}
        """;
    land(v1, "id,score\n1,10\n");
    String v2 = """
        columns:
          - {name: id, type: long, required: true}
          - {name: score, type: long}
          - {name: note, type: string, personal: other}
        """;
    LandingResult r = land(v2, "id,score,note\n2,3000000000,hi\n");
    assertThat(r.rowsLanded()).isEqualTo(1);
    List<Record> rows = new ArrayList<>(Tables.rows(ods()));
    rows.sort(java.util.Comparator.comparingLong(x -> (Long) x.getField("id")));
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).getField("score")).isEqualTo(10L);
    assertThat(rows.get(0).getField("note")).isNull();
    assertThat(rows.get(1).getField("note")).isEqualTo("hi");
    assertThat(ods().properties()).containsEntry("dataops.personal.note", "other");

    String incompatible = """
        columns:
          - {name: id, type: string, required: true}
        """;
    assertThatThrownBy(() -> land(incompatible, "id\nx\n")).isInstanceOf(BadInputException.class)
        .hasMessage("column 'id' is long in ods.dept__data but the contract says string (only widening changes are allowed)");
  }

  /**
   * A first feed none of whose rows landed (all quarantined under a contract that typed a column wrong) leaves an ods
   * table that never held a row; the corrected contract then makes it again with its own schema, where a table that
   * holds rows still refuses the change (found by a probe: the dataset could never be landed again).
   */
  @Test
  void aTableThatNeverHeldARowTakesTheCorrectedContract() {
    String wrong = """
        columns:
          - {name: id, type: long, required: true}
          - {name: code, type: int}
        """;
    String csv = "id,code\n1,A01\n2,B02\n";
    assertThatThrownBy(() -> land(wrong, csv)).isInstanceOf(BadInputException.class);
    assertThat(ods().currentSnapshot()).as("no row landed").isNull();
    long quarantined = Tables.rows(quarantine()).size();
    assertThat(quarantined).isEqualTo(2);

    String corrected = """
        columns:
          - {name: id, type: long, required: true}
          - {name: code, type: string}
        """;
    LandingResult r = land(corrected, csv);
    assertThat(r.rowsRead()).isEqualTo(r.rowsLanded() + r.rowsQuarantined());
    assertThat(r.rowsLanded()).isEqualTo(2);
    assertThat(ods().schema().findField("code").type()).isEqualTo(org.apache.iceberg.types.Types.StringType.get());
    assertThat(Tables.rows(ods())).extracting(x -> x.getField("code")).containsExactlyInAnyOrder("A01", "B02");
    assertThat(Tables.rows(quarantine())).as("the earlier quarantine stays")
        .hasSize(2);

    String narrowed = """
        columns:
          - {name: id, type: long, required: true}
          - {name: code, type: int}
        """;
    assertThatThrownBy(() -> land(narrowed, "id,code\n3,7\n")).isInstanceOf(BadInputException.class)
        .hasMessage("column 'code' is string in ods.dept__data but the contract says int (only widening changes are"
            + " allowed)");
    assertThat(Tables.rows(ods())).as("a table with rows keeps them").hasSize(2);
  }

  @Test
  void aContractForAnotherDatasetIsRefused() {
    GenerateResult g = citizens("c.csv", 10, 0, 0);
    FeedContract contract = ContractParser.parse(SampleGenerator.contractPathFor(Path.of(g.file())));
    assertThatThrownBy(() -> new Landing(lakehouse).land(new LandingRequest("public-security", "vehicles",
        Path.of(g.file()), contract, null))).isInstanceOf(BadInputException.class)
        .hasMessage("the contract is for dataset 'citizens', not 'vehicles'");
    assertThatThrownBy(() -> new Landing(lakehouse).land(new LandingRequest("public-security", "citizens",
        dir.resolve("missing.csv"), contract, null))).isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("no readable file at ");
  }

}
