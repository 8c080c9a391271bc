package io.dataops.lakehouse.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.core.db.PlatformDatabase;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.catalog.TableNames;
import io.dataops.lakehouse.contract.ContractParser;
import io.dataops.lakehouse.landing.Landing;
import io.dataops.lakehouse.landing.LandingRequest;
import io.dataops.lakehouse.landing.LandingResult;
import io.dataops.lakehouse.landing.ProgressListener;
import io.dataops.lakehouse.testing.Tables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Table maintenance on real Iceberg tables made by real landings. */
class TableMaintenanceTest {
  static final String CONTRACT = """
      columns:
        - {name: id, type: long, required: true}
        - {name: name, type: string, maxLength: 5}
      """;
  /** Keep only the current snapshot, expire everything older at once, but no file younger than an hour. */
  static final MaintenancePolicy AGGRESSIVE = new MaintenancePolicy(1, Duration.ZERO, Duration.ofHours(1),
      16L << 20, 128L << 20);

  @TempDir Path dir;
  Lakehouse lakehouse;
  static final TableIdentifier ODS = TableNames.ods("dept", "data");
  static final TableIdentifier QUARANTINE = TableNames.quarantine("dept", "data");

  @BeforeEach
  void open() {
    lakehouse = Lakehouse.open(io.dataops.lakehouse.testing.TestStorage.embedded(dir.resolve("home")));
  }

  @AfterEach
  void close() {
    lakehouse.close();
  }

  LandingResult land(String name, String csv) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, csv, StandardCharsets.UTF_8);
    return new Landing(lakehouse, 2, ProgressListener.NONE)
        .land(new LandingRequest("dept", "data", file, ContractParser.parse(CONTRACT, "c.yaml"), null));
  }

  static String feed(int from, int to, boolean withBadRow) {
    StringBuilder b = new StringBuilder("id,name\n");
    for (int i = from; i < to; i++) {
      b.append(i).append(",n").append(i % 100).append('\n');
    }
    if (withBadRow) {
      b.append(to).append(",toolong\n");
    }
    return b.toString();
  }

  TableMaintenance maintenance(MaintenancePolicy policy, SnapshotPins pins) {
    return new TableMaintenance(lakehouse, policy, pins, Clock.systemUTC());
  }

  List<String> rows(Table t) {
    List<String> out = new java.util.ArrayList<>();
    try (CloseableIterable<Record> rs = IcebergGenerics.read(t).build()) {
      rs.forEach(r -> out.add(r.toString()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    out.sort(String::compareTo);
    return out;
  }

  @Test
  void aFeedLandedBeforeItsSnapshotWasExpiredIsStillRecognisedAndItsQuarantineRowsAreNotAppendedAgain()
      throws IOException {
    LandingResult first = land("a.csv", feed(0, 50, true));
    land("b.csv", feed(50, 100, true));
    land("c.csv", feed(100, 150, false));
    long quarantined = Tables.rows(lakehouse.load(QUARANTINE)).size();
    assertThat(quarantined).isEqualTo(2);

    // The quarantine table loses its feeds' snapshots first, while the ods snapshots that list the quarantine files
    // are still there: a new landing's check for quarantine commits a crash left undone must not append them again.
    TableReport q = maintenance(AGGRESSIVE, SnapshotPins.NONE).maintain(QUARANTINE);
    assertThat(q.expiry().expired()).as("both feeds' quarantine snapshots (the compaction's is current)").hasSize(2);
    LandingResult fresh = land("d.csv", feed(150, 160, false));
    assertThat(fresh.repaired()).isNull();
    assertThat(Tables.rows(lakehouse.load(QUARANTINE))).hasSize(2);

    TableReport ods = maintenance(AGGRESSIVE, SnapshotPins.NONE).maintain(ODS);
    assertThat(ods.compaction().filesWritten()).isEqualTo(1);
    assertThat(ods.expiry().expired()).as("the four feeds' snapshots; the compaction's is current")
        .contains(first.snapshotId()).hasSize(4);
    assertThat(lakehouse.load(ODS).snapshot(first.snapshotId())).isNull();

    LandingResult again = land("a-again.csv", feed(0, 50, true));
    assertThat(again.snapshotId()).as("nothing new").isNull();
    assertThat(again.duplicateOf()).isEqualTo(first.snapshotId());
    assertThat(Tables.rows(lakehouse.load(ODS))).hasSize(160);
    assertThat(Tables.rows(lakehouse.load(QUARANTINE))).hasSize(2);
  }

  /** A maintenance records that it begins before it deletes anything; one whose start cannot be recorded deletes nothing. */
  @Test
  void aMaintenanceIsRecordedBeforeItDeletesAnything() throws IOException {
    LandingResult first = land("a.csv", feed(0, 50, false));
    land("b.csv", feed(50, 100, false));
    io.dataops.core.audit.AuditSink full = event -> {
      throw new IllegalStateException("cannot record audit event " + event.action() + ": database or disk is full");
    };
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> maintenance(AGGRESSIVE, SnapshotPins.NONE).audit(full)
        .maintain(ODS)).hasMessageContaining("table.maintain.start");
    assertThat(lakehouse.load(ODS).snapshot(first.snapshotId())).as("nothing expired").isNotNull();

    List<io.dataops.core.audit.AuditEvent> events = new java.util.ArrayList<>();
    TableReport r = maintenance(AGGRESSIVE, SnapshotPins.NONE).audit(events::add).maintain(ODS);
    assertThat(r.expiry().expired()).contains(first.snapshotId());
    assertThat(events).extracting(io.dataops.core.audit.AuditEvent::action)
        .containsExactly("table.maintain.start", "table.maintain");
    assertThat(events.get(0).details()).containsEntry("keepLast", 1);
  }

  @Test
  @Tag("own-storage") // a database of its own: the s3-postgres execution would run it as the default one does
  void theLedgerKeepsDeduplicationOnPostgresqlToo() throws IOException {
    lakehouse.close();
    lakehouse = Lakehouse.open(new LakehouseConfig(io.dataops.core.testing.PostgresServer.newDatabase(
        "maintenance_" + System.nanoTime()), "postgres", "", dir.resolve("pg-warehouse").toUri().toString(),
        java.util.Map.of()));
    LandingResult first = land("a.csv", feed(0, 20, true));
    land("b.csv", feed(20, 40, false));
    TableReport r = maintenance(AGGRESSIVE, SnapshotPins.NONE).maintain(ODS);
    assertThat(r.expiry().expired()).contains(first.snapshotId());
    assertThat(land("a2.csv", feed(0, 20, true)).duplicateOf()).isEqualTo(first.snapshotId());
    assertThat(Tables.rows(lakehouse.load(ODS))).hasSize(40);
  }

  @Test
  void aHomeFromBeforeTheLedgerIsBackfilledBeforeAnythingIsExpired() throws Exception {
    LandingResult first = land("a.csv", feed(0, 20, false));
    land("b.csv", feed(20, 40, false));
    LakehouseConfig config = lakehouse.config();
    try (Connection c = PlatformDatabase.connect(PlatformDatabase.url(config.catalogUri()),
        PlatformDatabase.prepare(config.catalogUri(), config.catalogUser(), config.catalogPassword()))) {
      c.createStatement().executeUpdate("DELETE FROM landed_feeds"); // as a home made before the ledger
    }
    TableReport r = maintenance(AGGRESSIVE, SnapshotPins.NONE).maintain(ODS);
    assertThat(r.ledgerRecorded()).isEqualTo(2);
    assertThat(r.expiry().expired()).contains(first.snapshotId());
    assertThat(land("a2.csv", feed(0, 20, false)).duplicateOf()).isEqualTo(first.snapshotId());
  }

  @Test
  void anOrphanIsRemovedAFileOfACommitInFlightIsKept() throws IOException {
    // Ages the files by hand (their modification time), which an object store does not let a client do.
    org.junit.jupiter.api.Assumptions.assumeFalse(io.dataops.lakehouse.testing.TestStorage.s3(),
        "needs a local warehouse: it backdates files");
    land("a.csv", feed(0, 20, false));
    Table t = lakehouse.load(ODS);
    Path data = Path.of(java.net.URI.create(t.location().startsWith("file:") ? t.location() : "file:" + t.location()))
        .resolve("data");
    Path some;
    try (Stream<Path> files = Files.walk(data)) {
      some = files.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    Path crashed = data.resolve("crashed-commit.parquet");
    Path inFlight = data.resolve("in-flight.parquet");
    Path notOurs = data.resolve("README.txt");
    Files.copy(some, crashed);
    Files.copy(some, inFlight);
    Files.writeString(notOurs, "left by hand");
    Files.setLastModifiedTime(crashed, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
    Files.setLastModifiedTime(notOurs, FileTime.from(Instant.now().minus(Duration.ofHours(2))));

    TableReport r = maintenance(AGGRESSIVE, SnapshotPins.NONE).maintain(ODS);
    assertThat(r.orphans().removed()).containsExactly("data/crashed-commit.parquet");
    assertThat(r.orphans().keptYoung()).isEqualTo(1);
    assertThat(crashed).doesNotExist();
    assertThat(inFlight).exists();
    assertThat(notOurs).exists();
    assertThat(Tables.rows(lakehouse.load(ODS))).hasSize(20);
  }

  @Test
  void compactionKeepsEveryRowAndATaggedSnapshotStillReadsAfterExpiry() throws IOException {
    land("a.csv", feed(0, 30, false));
    Table t = lakehouse.load(ODS);
    long tagged = t.currentSnapshot().snapshotId();
    List<String> atTag = rows(t);
    t.manageSnapshots().createTag("keep-me", tagged).commit();
    for (int i = 1; i < 5; i++) {
      land("f" + i + ".csv", feed(i * 30, i * 30 + 30, false));
    }
    t.refresh();
    List<String> before = rows(t);
    int filesBefore = dataFiles(t).size();
    assertThat(filesBefore).isGreaterThanOrEqualTo(5);

    TableReport r = maintenance(AGGRESSIVE, SnapshotPins.NONE).maintain(ODS);
    t.refresh();
    assertThat(r.compaction().filesRewritten()).isEqualTo(filesBefore);
    assertThat(r.compaction().filesWritten()).isEqualTo(1);
    assertThat(r.compaction().rows()).isEqualTo(150);
    assertThat(dataFiles(t)).hasSize(1);
    assertThat(rows(t)).isEqualTo(before);
    assertThat(r.expiry().expired()).doesNotContain(tagged).isNotEmpty();
    assertThat(t.snapshot(tagged)).isNotNull();
    List<String> stillAtTag = new java.util.ArrayList<>();
    try (CloseableIterable<Record> rs = IcebergGenerics.read(t).useSnapshot(tagged).build()) {
      rs.forEach(x -> stillAtTag.add(x.toString()));
    }
    stillAtTag.sort(String::compareTo);
    assertThat(stillAtTag).isEqualTo(atTag);
  }

  @Test
  void aPinnedSnapshotAndTheMainBranchAfterItAreKept() throws IOException {
    land("a.csv", feed(0, 10, false));
    LandingResult pinned = land("b.csv", feed(10, 20, false));
    LandingResult third = land("c.csv", feed(20, 30, false));
    land("d.csv", feed(30, 40, false));
    TableReport r = maintenance(AGGRESSIVE, table -> table.equals(ODS) ? Set.of(pinned.snapshotId()) : Set.of())
        .maintain(ODS);
    Table t = lakehouse.load(ODS);
    assertThat(t.snapshot(pinned.snapshotId())).isNotNull();
    assertThat(t.snapshot(third.snapshotId())).isNotNull();
    assertThat(r.expiry().expired()).hasSize(1);
    // an incremental read from the pinned snapshot still works
    try (var tasks = t.newIncrementalAppendScan().fromSnapshotExclusive(pinned.snapshotId()).planFiles()) {
      assertThat(tasks).isNotEmpty();
    }
  }

  /**
   * Found by a probe: an incremental read point kept the main branch after it whatever came later, so a feed replaced
   * after it kept its rows and files for good, although the run it waits for is refused over the replacement. While
   * only appends follow it, it keeps them, and the report names who holds it.
   */
  @Test
  void aReadPointKeepsNothingOnceRowsChangedAfterItAndThePinsThatKeepAreReported() throws IOException {
    land("a.csv", feed(0, 10, false));
    LandingResult readPoint = land("b.csv", feed(10, 20, false));
    LandingResult replaced = land("c.csv", feed(20, 30, false));
    land("d.csv", feed(30, 40, false));
    SnapshotPins pins = new SnapshotPins() {
      @Override
      public Set<Long> pinned(TableIdentifier table) {
        return Set.of(readPoint.snapshotId());
      }

      @Override
      public List<Pin> pins(TableIdentifier table) {
        return table.equals(ODS) ? List.of(new Pin(readPoint.snapshotId(), "product p v2", true)) : List.of();
      }
    };
    TableReport kept = maintenance(AGGRESSIVE, pins).maintain(ODS);
    assertThat(kept.expiry().keptFor()).containsExactly(new TableReport.KeptFor(readPoint.snapshotId(),
        "product p v2"));
    assertThat(lakehouse.load(ODS).snapshot(replaced.snapshotId())).isNotNull();

    Path fix = dir.resolve("c-fixed.csv");
    Files.writeString(fix, feed(20, 25, false), StandardCharsets.UTF_8);
    new Landing(lakehouse, 2, ProgressListener.NONE).land(new LandingRequest("dept", "data",
        io.dataops.lakehouse.landing.FeedFile.local(fix), ContractParser.parse(CONTRACT, "c.yaml"), null,
        new io.dataops.lakehouse.landing.Replaces(replaced.feedId(),
            io.dataops.lakehouse.landing.Replaces.Channel.OPTION)));
    TableReport after = maintenance(AGGRESSIVE, pins).maintain(ODS);
    Table t = lakehouse.load(ODS);
    assertThat(t.snapshot(replaced.snapshotId())).as("the replaced feed's snapshot").isNull();
    assertThat(t.snapshot(readPoint.snapshotId())).isNull();
    assertThat(after.expiry().expired()).contains(replaced.snapshotId(), readPoint.snapshotId());
    assertThat(after.expiry().keptFor()).isEmpty();
    // A pin that is no read point (a product version's own snapshot, a run in flight) still keeps.
    LandingResult held = land("e.csv", feed(40, 50, false));
    land("f.csv", feed(50, 60, false));
    TableReport run = maintenance(AGGRESSIVE, table -> Set.of(held.snapshotId())).maintain(ODS);
    assertThat(lakehouse.load(ODS).snapshot(held.snapshotId())).isNotNull();
    assertThat(run.expiry().keptFor()).extracting(TableReport.KeptFor::snapshotId).containsExactly(held.snapshotId());
  }

  private static List<DataFile> dataFiles(Table t) {
    List<DataFile> out = new java.util.ArrayList<>();
    try (var tasks = t.newScan().planFiles()) {
      tasks.forEach(task -> out.add(task.file()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }
}
