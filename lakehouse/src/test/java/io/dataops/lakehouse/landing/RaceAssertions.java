package io.dataops.lakehouse.landing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.testing.Tables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.iceberg.Table;

/** What must hold after two {@link RacingLandings} into public-security/citizens, on any catalog. */
public final class RaceAssertions {
  private RaceAssertions() {}

  /** Two different feeds: both land, nothing is lost, and the one that lost the commit race was retried. */
  public static void bothLandedOneAfterARetry(List<JsonNode> results, Lakehouse lh, long rowsRead,
      long rowsQuarantined) {
    assertThat(results).hasSize(2).allSatisfy(r -> assertThat(r.get("duplicateOf").isNull()).as(r.toString()).isTrue());
    List<JsonNode> byConflicts = results.stream()
        .sorted(Comparator.comparingInt(r -> r.get("commit").get("conflicts").asInt())).toList();
    JsonNode winner = byConflicts.get(0);
    JsonNode retried = byConflicts.get(1);
    assertCommit(winner, 1, 0, false);
    assertCommit(retried, 2, 1, false);
    long landed = winner.get("rowsLanded").asLong() + retried.get("rowsLanded").asLong();
    long quarantined = winner.get("rowsQuarantined").asLong() + retried.get("rowsQuarantined").asLong();
    assertThat(landed + quarantined).isEqualTo(rowsRead);
    assertThat(quarantined).isEqualTo(rowsQuarantined);
    Table ods = lh.load(TableNames.ods("public-security", "citizens"));
    assertThat(Tables.rows(ods)).hasSize((int) landed);
    assertThat(ods.snapshots()).hasSize(2);
    assertThat(ods.snapshot(retried.get("snapshotId").asLong()).parentId())
        .as("the retried commit was re-applied on top of the winner's")
        .isEqualTo(winner.get("snapshotId").asLong());
    assertThat(Tables.rows(lh.load(TableNames.quarantine("public-security", "citizens")))).hasSize((int) quarantined);
  }

  /**
   * The same feed twice: one lands; the other read and wrote it too, lost the commit race, and on the retry found
   * the content committed, so it refused and removed its files.
   */
  public static void oneLandedTheOtherRefusedAtCommit(List<JsonNode> results, Lakehouse lh, Path warehouse)
      throws IOException {
    assertThat(results).hasSize(2);
    List<JsonNode> duplicates = results.stream().filter(r -> !r.get("duplicateOf").isNull()).toList();
    assertThat(duplicates).as(results.toString()).hasSize(1);
    JsonNode loser = duplicates.get(0);
    JsonNode winner = results.stream().filter(r -> r != loser).findFirst().orElseThrow();
    assertCommit(winner, 1, 0, false);
    assertCommit(loser, 2, 1, true);
    assertThat(loser.get("duplicateOf").asLong()).isEqualTo(winner.get("snapshotId").asLong());
    assertThat(loser.get("snapshotId").isNull()).isTrue();

    Table ods = lh.load(TableNames.ods("public-security", "citizens"));
    Table quarantine = lh.load(TableNames.quarantine("public-security", "citizens"));
    assertThat(Tables.rows(ods)).hasSize(winner.get("rowsLanded").asInt());
    assertThat(ods.snapshots()).hasSize(1);
    assertThat(Tables.rows(quarantine)).hasSize(winner.get("rowsQuarantined").asInt());
    assertThat(quarantine.snapshots()).hasSize(1);
    // The loser wrote its data and quarantine files before its commit was refused, then removed them.
    String feedId = winner.get("feedId").asText();
    for (String table : List.of("ods", "quarantine")) {
      try (Stream<Path> files = Files.walk(warehouse.resolve(table + "/public_security__citizens/data"))) {
        assertThat(files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().contains(feedId)))
            .as("files in the %s table's data folder that are not the winner's", table).isEmpty();
      }
    }
  }

  private static void assertCommit(JsonNode result, int attempts, int conflicts, boolean duplicateAtCommit) {
    JsonNode commit = result.get("commit");
    assertThat(commit.get("attempts").asInt()).as("commit attempts of %s", result).isEqualTo(attempts);
    assertThat(commit.get("conflicts").asInt()).as("commit conflicts of %s", result).isEqualTo(conflicts);
    assertThat(commit.get("duplicateAtCommit").asBoolean()).as("duplicate at commit of %s", result)
        .isEqualTo(duplicateAtCommit);
  }
}
