package io.dataops.lakehouse.landing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.BadInputException;
import io.dataops.lakehouse.contract.ContractParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;

/**
 * A corrected feed replacing an earlier one ({@code land --replaces}), on the catalog and storage the test run names:
 * also on PostgreSQL and S3 (this module's s3-postgres pass), where the command-line tests of it do not run.
 */
class FeedReplacementTest extends LandingFixture {
  static final String CONTRACT = CsvLandingTest.TWO; // id (long, required), name

  @Test
  void aCorrectedFeedReplacesTheEarliersRowsInOneCommitAndItsQuarantinedRowsAreMarked() {
    LandingResult first = land(CONTRACT, "people.csv", bytes("id,name\n1,a\n2,b\nx,bad\n"));
    land(CONTRACT, "other.csv", bytes("id,name\n9,other\n"));
    assertThat(first.rowsQuarantined()).isEqualTo(1);
    long before = ods().currentSnapshot().snapshotId();

    LandingResult corrected = land(CONTRACT, "people-corrected.csv", bytes("id,name\n1,a\n2,b\n3,c\n"),
        first.feedId());

    assertThat(corrected.replaced()).isNotNull();
    assertThat(corrected.replaced().feedId()).isEqualTo(first.feedId());
    assertThat(corrected.replaced().rows()).isEqualTo(2);
    assertThat(ods().snapshot(corrected.snapshotId()).parentId()).as("one commit").isEqualTo(before);
    List<Record> rows = odsRows();
    assertThat(rows.stream().map(r -> r.getField("id")).toList()).containsExactlyInAnyOrder(1L, 2L, 3L, 9L);
    assertThat(rows.stream().map(r -> (String) r.getField(FeedTables.FEED_ID)).distinct().toList())
        .as("the replaced feed's rows are gone").doesNotContain(first.feedId());
    assertThat(FeedTables.replacedBy(quarantine().properties(), first.feedId()))
        .as("its quarantined rows stay, marked").isEqualTo(corrected.feedId());
    assertThat(quarantineRows()).hasSize(1);

    LandingResult again = land(CONTRACT, "people.csv", bytes("id,name\n1,a\n2,b\nx,bad\n"));
    assertThat(again.duplicateOf()).as("the old file sent again is recognised").isNotNull();
    assertThat(again.duplicateReplaced().replacedBy()).isEqualTo(corrected.feedId());
    assertThat(odsRows()).hasSize(4);

    assertThatThrownBy(() -> land(CONTRACT, "people-2.csv", bytes("id,name\n1,a\n"), first.feedId()))
        .isInstanceOf(BadInputException.class).hasMessageContaining("was replaced already, by feed "
            + corrected.feedId()).hasMessageEndingWith("to correct it again, land the file with --replaces "
            + corrected.feedId());
    assertThat(odsRows()).as("nothing landed").hasSize(4);
  }

  /**
   * A correction sent through the landing zone names the feed in the object's metadata, not with an option: the
   * refusal tells the department what to put there, in those terms.
   */
  @Test
  void aRefusedCorrectionFromTheLandingZoneSaysWhatToPutInTheObjectsMetadata() throws Exception {
    LandingResult first = land(CONTRACT, "people.csv", bytes("id,name\n1,a\n"));
    LandingResult corrected = land(CONTRACT, "people-fixed.csv", bytes("id,name\n1,b\n"), first.feedId());
    java.nio.file.Path file = dir.resolve("people-again.csv");
    java.nio.file.Files.writeString(file, "id,name\n1,c\n");
    LandingRequest fromZone = new LandingRequest("dept", "data", FeedFile.local(file),
        ContractParser.parse(CONTRACT, "test.contract.yaml"), null, Replaces.objectMetadata(first.feedId()));

    assertThatThrownBy(() -> new Landing(lakehouse).land(fromZone)).isInstanceOf(BadInputException.class)
        .hasMessageContaining("was replaced already, by feed " + corrected.feedId())
        .hasMessageEndingWith("to correct it again, put the file in the landing zone again with the metadata "
            + "replaces=" + corrected.feedId())
        .hasMessageNotContaining("--replaces");
    assertThat(odsRows()).as("nothing landed").hasSize(1);
  }

  @Test
  void aFeedIdTheTableNeverHadIsRefusedAndNothingLands() {
    land(CONTRACT, "people.csv", bytes("id,name\n1,a\n"));
    long before = ods().currentSnapshot().snapshotId();
    assertThatThrownBy(() -> land(CONTRACT, "p2.csv", bytes("id,name\n1,z\n"), "20200101T000000Z-00000000"))
        .isInstanceOf(BadInputException.class);
    assertThatThrownBy(() -> land(CONTRACT, "p3.csv", bytes("id,name\n1,z\n"), "not a feed id; DROP TABLE x"))
        .isInstanceOf(BadInputException.class).hasMessageContaining("--replaces takes a feed id");
    assertThat(ods().currentSnapshot().snapshotId()).isEqualTo(before);
  }

  private static byte[] bytes(String csv) {
    return csv.getBytes(StandardCharsets.UTF_8);
  }
}
