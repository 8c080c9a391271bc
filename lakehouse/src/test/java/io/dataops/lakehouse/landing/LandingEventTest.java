package io.dataops.lakehouse.landing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.contract.ContractParser;
import io.dataops.lakehouse.contract.FeedFormat;
import io.dataops.lakehouse.sample.GenerateRequest;
import io.dataops.lakehouse.sample.SampleDataset;
import io.dataops.lakehouse.sample.SampleGenerator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A landing's audit event that could not be recorded after its commit is recorded by the next landing. */
class LandingEventTest {
  @TempDir Path dir;

  /** A trail in memory whose next {@code failing} records fail, as a full platform database's do. */
  private static class Trail implements AuditSink {
    final List<AuditEvent> events = new ArrayList<>();
    int failing;

    @Override
    public void record(AuditEvent event) {
      if (failing > 0) {
        failing--;
        throw new IllegalStateException("cannot record audit event " + event.action() + " in the platform database: "
            + "[SQLITE_FULL] Insertion failed because database is full (database or disk is full)");
      }
      events.add(event);
    }

    @Override
    public boolean recordUnlessHeld(AuditEvent event, String object, String detail, String value) {
      if (events.stream().anyMatch(e -> e.action().equals(event.action()) && e.outcome().equals(AuditEvent.OK)
          && e.objects().contains(object))) {
        return false;
      }
      record(event);
      return true;
    }
  }

  private Path citizens(String name, long rows, long offset) {
    SampleGenerator.generate(new GenerateRequest(SampleDataset.CITIZENS, rows, dir.resolve(name), FeedFormat.CSV,
        StandardCharsets.UTF_8, 0.01, 7, offset, 1_000_000, 100, false));
    return dir.resolve(name);
  }

  private static LandingResult land(Lakehouse lh, Trail trail, Path file) {
    return new Landing(lh, 2, ProgressListener.NONE).audit(trail).land(new LandingRequest("public-security",
        "citizens", file, ContractParser.parse(SampleGenerator.contractPathFor(file)), null));
  }

  @Test
  void aLandingWhoseEventFailedAfterItsCommitIsRecordedLateByTheNextLandingOfTheTable() throws Exception {
    Path first = citizens("first.csv", 300, 0);
    Path second = citizens("second.csv", 200, 300);
    try (Lakehouse lh = Lakehouse.open(new LakehouseConfig("jdbc:sqlite:" + dir.resolve("catalog.db"), null, null,
        dir.resolve("warehouse").toUri().toString(), Map.of()))) {
      Trail trail = new Trail();
      trail.failing = 1;
      assertThatThrownBy(() -> land(lh, trail, first)).hasMessageContaining("SQLITE_FULL");
      assertThat(trail.events).isEmpty();
      long landed = lh.load(io.dataops.lakehouse.catalog.TableNames.ods("public-security", "citizens"))
          .currentSnapshot().snapshotId();

      // Run again, as the failure asks: the feed is found landed, and its event is recorded first.
      LandingResult again = land(lh, trail, first);
      assertThat(again.duplicateOf()).isEqualTo(landed);
      assertThat(trail.events).hasSize(2);
      AuditEvent late = trail.events.get(0);
      assertThat(late.action()).isEqualTo("feed.land");
      assertThat(late.objects()).containsExactly("table:ods.public_security__citizens", "file:first.csv",
          "snapshot:" + landed);
      assertThat(late.details()).containsEntry("snapshotId", landed).containsEntry("recordedLate", true)
          .containsEntry("rowsRead", 300L).containsKeys("feedId", "fileSha256", "landedAt", "rowsLanded",
              "rowsQuarantined");
      assertThat(trail.events.get(1).details()).containsEntry("duplicateOf", landed);

      LandingResult next = land(lh, trail, second);
      assertThat(trail.events).as("nothing recorded twice").hasSize(3);
      assertThat(trail.events.get(2).objects()).contains("snapshot:" + next.snapshotId());
      assertThat(trail.events.get(2).details()).doesNotContainKey("recordedLate");
    }
  }

  /**
   * Found by a probe: a full disk lost a landing's event, then {@code table maintain} compacted the table, and the next
   * landing looked at the current snapshot only (the compaction's): the feed stayed in ods with no event for good.
   */
  @Test
  void aLandingWhoseEventFailedIsRecordedLateThoughLaterCommitsAreNotLandings() throws Exception {
    Path first = citizens("first.csv", 300, 0);
    Path second = citizens("second.csv", 200, 300);
    Path third = citizens("third.csv", 100, 500);
    try (Lakehouse lh = Lakehouse.open(new LakehouseConfig("jdbc:sqlite:" + dir.resolve("catalog.db"), null, null,
        dir.resolve("warehouse").toUri().toString(), Map.of()))) {
      var odsId = io.dataops.lakehouse.catalog.TableNames.ods("public-security", "citizens");
      Trail trail = new Trail();
      trail.failing = 1;
      assertThatThrownBy(() -> land(lh, trail, first)).hasMessageContaining("SQLITE_FULL");
      long firstSnapshot = lh.load(odsId).currentSnapshot().snapshotId();
      lh.load(odsId).newAppend().commit(); // a commit that is no landing (as a compaction's) on top of it

      LandingResult next = land(lh, trail, second);
      assertThat(trail.events).extracting(e -> e.objects().get(e.objects().size() - 1))
          .containsExactly("snapshot:" + firstSnapshot, "snapshot:" + next.snapshotId());
      assertThat(trail.events.get(0).details()).containsEntry("recordedLate", true);

      // Table maintenance records a lost event itself, before it compacts or expires anything.
      trail.failing = 1;
      assertThatThrownBy(() -> land(lh, trail, third)).hasMessageContaining("SQLITE_FULL");
      long thirdSnapshot = lh.load(odsId).currentSnapshot().snapshotId();
      new io.dataops.lakehouse.maintenance.TableMaintenance(lh,
          io.dataops.lakehouse.maintenance.MaintenancePolicy.DEFAULT,
          io.dataops.lakehouse.maintenance.SnapshotPins.NONE, java.time.Clock.systemUTC()).audit(trail).maintain(odsId);
      assertThat(trail.events).filteredOn(e -> e.action().equals("feed.land"))
          .extracting(e -> e.objects().get(e.objects().size() - 1)).containsExactly("snapshot:" + firstSnapshot,
              "snapshot:" + next.snapshotId(), "snapshot:" + thirdSnapshot);
      assertThat(trail.events).filteredOn(e -> e.action().equals("feed.land")).last()
          .satisfies(e -> assertThat(e.details()).containsEntry("recordedLate", true));
    }
  }

  /**
   * The event follows the commit, so the trail's refusal of it (found by a probe: an object name past what the trail
   * takes) must come before anything lands: a landing whose event the sink refuses lands nothing.
   */
  @Test
  void aLandingWhoseEventTheTrailWouldRefuseLandsNothing() throws Exception {
    Path first = citizens("first.csv", 300, 0);
    try (Lakehouse lh = Lakehouse.open(new LakehouseConfig("jdbc:sqlite:" + dir.resolve("catalog.db"), null, null,
        dir.resolve("warehouse").toUri().toString(), Map.of()))) {
      Trail trail = new Trail() {
        @Override
        public void check(AuditEvent event) {
          throw new IllegalArgumentException("audit objects are 1 to 500 characters");
        }
      };
      assertThatThrownBy(() -> land(lh, trail, first)).hasMessageContaining("audit objects are");
      var odsId = io.dataops.lakehouse.catalog.TableNames.ods("public-security", "citizens");
      assertThat(lh.exists(odsId) && lh.load(odsId).currentSnapshot() != null).as("nothing landed").isFalse();
      assertThat(trail.events).isEmpty();
    }
  }

  @Test
  void aFeedIsNamedInItsEventShortenedToWhatTheTrailTakes() {
    assertThat(Landing.fileObject("monday.csv")).isEqualTo("file:monday.csv");
    String exact = "m".repeat(AuditEvent.MAX_OBJECT_LENGTH - 9) + ".csv";
    assertThat(Landing.fileObject(exact)).isEqualTo("file:" + exact);
    String longer = "户".repeat(1_000) + ".csv";
    String object = Landing.fileObject(longer);
    assertThat(object).hasSize(AuditEvent.MAX_OBJECT_LENGTH).startsWith("file:户户户").matches("file:户+~[0-9a-f]{16}");
    assertThat(Landing.fileObject(longer)).isEqualTo(object);
    assertThat(Landing.fileObject(longer.substring(1))).as("two long names stay apart").isNotEqualTo(object);
  }
}
