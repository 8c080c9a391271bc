package io.dataops.governance.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.core.audit.AuditSink;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.contract.ContractParser;
import io.dataops.lakehouse.contract.FeedFormat;
import io.dataops.lakehouse.landing.FeedFile;
import io.dataops.lakehouse.landing.Landing;
import io.dataops.lakehouse.landing.LandingRequest;
import io.dataops.lakehouse.landing.LandingResult;
import io.dataops.lakehouse.landing.ProgressListener;
import io.dataops.lakehouse.sample.GenerateRequest;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.lakehouse.sample.SampleGenerator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Found by a probe: an object in the landing bucket named with more than 500 characters (S3 allows 1,024 bytes) landed
 * its rows, then the trail refused its event ("audit objects are 1 to 500 characters"), and every later landing of the
 * dataset failed recording that event late. A feed's name is now shortened in its event as the bucket intake shortens
 * an over-long key, in the event of the landing and in the one recorded late alike.
 */
class LandingEventObjectsTest extends TrailFixture {
  private static final String LONG_NAME = "citizens-" + "x".repeat(700) + ".csv";

  private Path citizens(String name, long rows, long offset) {
    Path file = home.resolve("feeds").resolve(name);
    SampleGenerator.generate(new GenerateRequest(SampleDataset.CITIZENS, rows, file, FeedFormat.CSV,
        StandardCharsets.UTF_8, 0.0, 7, offset, 1_000_000, 100, false));
    return file;
  }

  /** Lands {@code file} under the name {@code name} (as an object of the bucket is named by its key's last part). */
  private LandingResult land(AuditSink sink, Path file, String name) {
    FeedFile feed = new FeedFile(name, org.apache.iceberg.Files.localInput(file.toFile()));
    return new Landing(lakehouse, 2, ProgressListener.NONE).audit(sink).land(new LandingRequest("public-security",
        "citizens", feed, ContractParser.parse(SampleGenerator.contractPathFor(file)), null));
  }

  private List<AuditRecord> landings() {
    return trail.list(AuditFilter.newest().oldestFirst()).stream().filter(e -> e.action().equals("feed.land"))
        .toList();
  }

  private static void assertShortened(String object) {
    assertThat(object.length()).isLessThanOrEqualTo(AuditTrail.MAX_OBJECT_LENGTH);
    assertThat(object).startsWith("file:citizens-xxxxxxxx").matches("file:citizens-x+~[0-9a-f]{16}");
  }

  @Test
  void aFeedWithAnOverLongNameLandsWithItsEventUnderAShortenedName() {
    Path file = citizens("monday.csv", 200, 0);
    LandingResult landed = land(trail, file, LONG_NAME);
    assertThat(landed.rowsLanded()).isEqualTo(200);
    assertThat(landings()).singleElement().satisfies(e -> {
      assertThat(e.objects()).hasSize(3).contains("table:ods.public_security__citizens",
          "snapshot:" + landed.snapshotId());
      assertShortened(e.objects().get(1));
    });

    LandingResult again = land(trail, file, LONG_NAME);
    assertThat(again.duplicateOf()).isEqualTo(landed.snapshotId());
    assertThat(landings()).hasSize(2);
    assertThat(landings().get(1).objects().get(1)).as("the same name, shortened alike")
        .isEqualTo(landings().get(0).objects().get(1));
  }

  /** A table already stuck (its landing committed, its event refused) has that event recorded late, shortened. */
  @Test
  void aStuckLandingOfAnOverLongNameHasItsEventRecordedLate() {
    LandingResult stuck = land(AuditSink.NONE, citizens("monday.csv", 200, 0), LONG_NAME);
    assertThat(landings()).isEmpty();

    LandingResult next = land(trail, citizens("tuesday.csv", 100, 200), "tuesday.csv");
    assertThat(next.rowsLanded()).isEqualTo(100);
    List<AuditRecord> events = landings();
    assertThat(events).hasSize(2);
    assertThat(events.get(0).objects()).hasSize(3).contains("snapshot:" + stuck.snapshotId());
    assertShortened(events.get(0).objects().get(1));
    assertThat(events.get(0).details()).containsEntry("recordedLate", true);
    assertThat(events.get(1).objects()).containsExactly("table:ods.public_security__citizens", "file:tuesday.csv",
        "snapshot:" + next.snapshotId());
    assertThat(lakehouse.load(TableNames.ods("public-security", "citizens")).currentSnapshot().snapshotId())
        .isEqualTo(next.snapshotId());
  }
}
