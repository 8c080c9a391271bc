package io.dataops.platform.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.platform.cli.CliTest.Run;
import io.dataops.platform.session.Sessions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Table maintenance beside a product's first pipeline run: the run has pinned its input snapshot and that snapshot's
 * data file, a feed lands meanwhile, and an admin compacts and expires with {@code --keep-last 1 --max-age 0}.
 * Before, maintenance knew of no run in flight (only of versions made): it expired the run's snapshot and deleted the
 * file the run had still to read. Runs now pin their inputs in the platform database ({@code RunPins}) and
 * maintenance keeps them while the run goes on.
 */
class MaintenanceDuringRunCliTest extends HomeCliTest {

  /** As {@link #ok}, whose standard output is JSON. */
  JsonNode okJson(String as, String... args) {
    return ok(as, args).json();
  }

  void land(String name, int offset) {
    Path feed = dir.resolve("feeds/" + name + ".csv");
    okJson(TestCast.PUBLIC_SECURITY, "generate", "--dataset", "citizens", "--rows", "300", "--offset",
        String.valueOf(offset), "--out", feed.toString(), "--json");
    okJson(TestCast.PUBLIC_SECURITY, "land", "--department", "public-security", "--dataset", "citizens", "--file",
        feed.toString(), "--json");
  }

  long newestSnapshot(String table) {
    JsonNode snapshots = okJson(TestCast.AUDITOR, "table", "history", table, "--json").get("snapshots");
    return snapshots.get(snapshots.size() - 1).get("snapshotId").asLong();
  }

  @Test
  void maintenanceKeepsWhatARunInFlightReads() throws Exception {
    DeliveryCliTest.granted(dir);
    String ods = "ods.public_security__citizens";
    long read = newestSnapshot(ods);
    Path pipeline = dir.resolve("pipelines/income.yaml");
    Run ran;
    JsonNode report;
    try (PausedChild child = PausedChild.at("inputs-pinned", dir, dir.resolve("home"), TestCast.OPERATOR, "pipeline",
        "run", pipeline.toString(), "--json")) {
      land("c2", 1500);
      report = okJson(Sessions.LOCAL_ADMIN, "table", "maintain", ods, "--keep-last", "1", "--max-age", "0",
          "--safety-age", "1h", "--json");
      ran = child.resume();
    }
    JsonNode table = report.get("tables").get(0);
    assertThat(table.at("/compaction/filesRewritten").asInt()).as(table.toString()).isGreaterThan(1);
    assertThat(table.at("/expiry/expired").toString()).as(table.toString()).doesNotContain(String.valueOf(read));
    assertThat(ran.exit()).as(ran.err()).isZero();
    JsonNode version = ran.json();
    assertThat(version.get("version").asInt()).isEqualTo(1);
    assertThat(version.at("/inputs/" + ods).asLong()).isEqualTo(read);
    assertThat(version.get("rowsIn").asLong()).as("the feed the run pinned, not the one landed after").isEqualTo(1500);
  }
  /**
   * A quality run beside table maintenance: the run has chosen the table's current snapshot (two feeds, two files), a
   * third feed lands, and an admin compacts and expires with {@code --keep-last 1 --max-age 0}. Before, the quality
   * run pinned nothing: maintenance expired its snapshot and deleted the files under its scan, and it failed. It now
   * holds a run pin of what it scans, and gives what an undisturbed run of the same snapshot gave.
   */
  @Test
  void maintenanceKeepsWhatAQualityRunInFlightScans() throws Exception {
    TestCast.enroll(dir.resolve("home"));
    land("c1", 0);
    land("c2", 300);
    String ods = "ods.public_security__citizens";
    long scanned = newestSnapshot(ods);
    Path suite = java.nio.file.Files.writeString(dir.resolve("suite.yaml"), """
        name: citizens
        expectations:
          - type: expect_column_values_to_not_be_null
            kwargs: {column: id_card}
          - type: expect_column_values_to_be_unique
            kwargs: {column: id_card}
          - type: expect_column_values_to_be_between
            kwargs: {column: monthly_income, min_value: 0}
        """);
    String[] quality = {"quality", "run", "--table", ods, "--suite", suite.toString(), "--json"};
    JsonNode undisturbed = okJson(TestCast.PUBLIC_SECURITY, quality);
    Run ran;
    JsonNode report;
    try (PausedChild child = PausedChild.at("quality-inputs-pinned", dir, dir.resolve("home"),
        TestCast.PUBLIC_SECURITY, quality)) {
      land("c3", 600);
      report = okJson(Sessions.LOCAL_ADMIN, "table", "maintain", ods, "--keep-last", "1", "--max-age", "0",
          "--safety-age", "1h", "--json");
      ran = child.resume();
    }
    assertThat(ran.exit()).as(ran.err()).isZero();
    JsonNode table = report.get("tables").get(0);
    assertThat(table.at("/compaction/filesRewritten").asInt()).as(table.toString()).isGreaterThan(1);
    assertThat(table.at("/expiry/expired").toString()).as(table.toString()).doesNotContain(String.valueOf(scanned));
    JsonNode result = ran.json();
    assertThat(result.at("/meta/snapshot_id").asLong()).isEqualTo(scanned);
    assertThat(result.at("/meta/rows_scanned").asLong()).as("the two feeds it pinned, not the third").isEqualTo(600);
    assertThat(result.get("success")).isEqualTo(undisturbed.get("success"));
    assertThat(result.get("statistics")).isEqualTo(undisturbed.get("statistics"));
    assertThat(result.get("results")).isEqualTo(undisturbed.get("results"));
    assertThat(result.at("/meta/failing_rows")).isEqualTo(undisturbed.at("/meta/failing_rows"));
    // The pin is released with the run: the next maintenance expires the snapshot.
    JsonNode after = okJson(Sessions.LOCAL_ADMIN, "table", "maintain", ods, "--keep-last", "1", "--max-age", "0",
        "--safety-age", "1h", "--json");
    assertThat(after.at("/tables/0/expiry/expired").toString()).as(after.toString()).contains(String.valueOf(scanned));
  }

  /**
   * Found by a probe: a table compacted since a product's run was a new input to the same pipeline (its current
   * snapshot was the compaction's), so the same command made a version of the same rows, to be reviewed again. A
   * pipeline now binds the oldest snapshot that holds the current rows (back over maintenance's rewrites).
   */
  @Test
  void aCompactedInputIsTheSameInputAndTheSameRunIsRecognised() throws Exception {
    DeliveryCliTest.granted(dir);
    land("c2", 1500);
    String ods = "ods.public_security__citizens";
    long read = newestSnapshot(ods);
    String pipeline = dir.resolve("pipelines/income.yaml").toString();
    JsonNode first = okJson(TestCast.OPERATOR, "pipeline", "run", pipeline, "--json");
    JsonNode report = okJson(Sessions.LOCAL_ADMIN, "table", "maintain", ods, "--json");
    assertThat(report.at("/tables/0/compaction/filesRewritten").asInt()).as(report.toString()).isGreaterThan(1);
    assertThat(newestSnapshot(ods)).as("the compaction's snapshot").isNotEqualTo(read);

    JsonNode again = okJson(TestCast.OPERATOR, "pipeline", "run", pipeline, "--json");
    assertThat(again.get("version").asInt()).as(again.toString()).isEqualTo(first.get("version").asInt());
    assertThat(again.get("recognized").asBoolean()).isTrue();
    assertThat(again.at("/inputs/" + ods).asLong()).isEqualTo(read);
    assertThat(okJson(TestCast.OPERATOR, "product", "list", "--json")).hasSize(1);

    land("c3", 1800); // new rows: a new run
    JsonNode third = okJson(TestCast.OPERATOR, "pipeline", "run", pipeline, "--json");
    assertThat(third.get("version").asInt()).isEqualTo(2);
    assertThat(third.get("rowsIn").asLong()).isEqualTo(2100);
  }
}
