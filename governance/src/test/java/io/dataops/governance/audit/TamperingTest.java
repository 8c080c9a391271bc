package io.dataops.governance.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.BadInputException;
import io.dataops.lakehouse.testing.Tables;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Someone with write access to the platform database changes the trail; {@code verify} must say where. Seven events:
 * the first, a middle (4) and the last (7) are each modified, deleted, preceded by an inserted event and swapped with
 * their neighbour.
 */
class TamperingTest extends TrailFixture {
  private static final int EVENTS = 7;

  @ParameterizedTest(name = "{0} at event {1}: first bad {2}")
  @CsvSource({
      "modify, 1, 1", "modify, 4, 4", "modify, 7, 7",
      "delete, 1, 1", "delete, 4, 4", "delete, 7, 7",
      // A made-up event that hashes correctly after the one before it: the event it pushed up no longer follows.
      "insert, 1, 2", "insert, 4, 5", "insert, 7, 8",
      // Appended after the last, hashed correctly: beyond the chain head.
      "append, 8, 8",
      "swap, 1, 1", "swap, 4, 4", "swap, 6, 6"})
  void everySingleEventTamperingIsFound(String how, long at, long firstBad) {
    land(EVENTS);
    assertThat(trail.verify(lakehouse)).isEqualTo(Verification.good(EVENTS, 0));
    switch (how) {
      case "modify" -> assertThat(sql.update("UPDATE audit_events SET details = ? WHERE seq = ?",
          "{\"rowsLanded\":1}", at)).isEqualTo(1);
      case "delete" -> assertThat(sql.update("DELETE FROM audit_events WHERE seq = ?", at)).isEqualTo(1);
      case "insert" -> {
        String prev = at == 1 ? ChainEntry.GENESIS : row(at - 1).hash();
        shiftUpFrom(at);
        insertRow(forged(at, prev));
      }
      case "append" -> insertRow(forged(at, row(at - 1).hash()));
      case "swap" -> swap(at, at + 1);
      default -> throw new IllegalArgumentException(how);
    }
    Verification v = trail.verify(lakehouse);
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBad()).as(v.reason()).isEqualTo(firstBad);
    assertThat(v.reason()).startsWith("event ");
  }

  @Test
  void anEventModifiedAndRehashedAloneBreaksTheLinkToTheNextOrTheHead() {
    land(EVENTS);
    sql.update("UPDATE audit_events SET details = '{\"rowsLanded\":1}' WHERE seq = 4");
    ChainEntry four = row(4);
    sql.update("UPDATE audit_events SET hash = ? WHERE seq = 4", four.hashAfter(four.prevHash()));
    Verification v = trail.verify(lakehouse);
    assertThat(v.firstBad()).isEqualTo(5);
    assertThat(v.reason()).isEqualTo("event 5 does not follow event 4: an event was inserted, deleted, replaced or"
        + " moved there");

    sql.update("UPDATE audit_events SET details = '{\"rowsLanded\":1}' WHERE seq = 4");
    rechainFrom(4); // back to a consistent chain; now the last one alone
    assertThat(trail.verify(lakehouse).ok()).isTrue();
    sql.update("UPDATE audit_events SET outcome = 'failed' WHERE seq = 7");
    ChainEntry seven = row(7);
    sql.update("UPDATE audit_events SET hash = ? WHERE seq = 7", seven.hashAfter(seven.prevHash()));
    assertThat(trail.verify(lakehouse)).isEqualTo(Verification.bad(EVENTS, 7,
        "event 7 is not the chain head the trail recorded: it was replaced", 0));
  }

  @Test
  void aConsistentRewriteOfTheDatabaseIsFoundThroughTheCheckpoints() {
    land(2);
    Checkpoint two = trail.checkpoint(lakehouse, "on demand");
    land(3);
    Checkpoint five = trail.checkpoint(lakehouse, "after destroy of product:p@1");
    land(2);
    assertThat(two.seq()).isEqualTo(2);
    assertThat(five.seq()).isEqualTo(5);
    assertThat(five.hash()).isEqualTo(row(5).hash());
    assertThat(five.digest()).isEqualTo("sm3");
    assertThat(trail.verify(lakehouse)).isEqualTo(Verification.good(EVENTS, 2));

    // Event 3 changed and every hash after it recomputed, the head too: the chain alone is consistent.
    sql.update("UPDATE audit_events SET details = '{\"rowsLanded\":1}' WHERE seq = 3");
    rechainFrom(3);
    Verification v = trail.verify(lakehouse);
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBad()).isEqualTo(3);
    assertThat(v.reason()).isEqualTo("the chain up to event 5 differs from its checkpoint taken at " + five.at()
        + ": events after 2 were changed and the chain recomputed");
  }

  /**
   * Found by a probe: whoever holds the home rewrote the whole chain consistently and removed the lakehouse's
   * checkpoints with it, and verify passed. A checkpoint kept where they cannot remove it (the platform anchors each
   * one in the archive store, a bucket with object lock in production) still finds it.
   */
  @Test
  void aConsistentRewriteWithTheCheckpointsRemovedIsFoundThroughAnAnchor() {
    land(5);
    Checkpoint five = trail.checkpoint(lakehouse, "after destroy of product:p@1");
    land(2);
    sql.update("UPDATE audit_events SET details = '{\"rowsLanded\":1}' WHERE seq = 3");
    rechainFrom(3);
    org.apache.iceberg.catalog.TableIdentifier checkpoints = org.apache.iceberg.catalog.TableIdentifier.of("audit",
        "checkpoints");
    Table table = lakehouse.load(checkpoints);
    String location = table.location();
    var io = table.io();
    lakehouse.catalog().dropTable(checkpoints, true);
    if (io instanceof org.apache.iceberg.io.SupportsPrefixOperations prefixed) {
      prefixed.deletePrefix(location);
    }
    assertThat(trail.verify(lakehouse).ok()).as("the chain and the lakehouse alone: the rewrite passes").isTrue();

    Verification v = trail.verify(lakehouse, java.util.List.of(five));
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBad()).as("no checkpoint before it is left").isEqualTo(1);
    assertThat(v.reason()).isEqualTo("the chain up to event 5 differs from its checkpoint taken at " + five.at()
        + ": events after 0 were changed and the chain recomputed");
    assertThat(trail.verify(lakehouse, java.util.List.of(five, five)).ok()).as("an anchor twice").isFalse();
  }

  @Test
  void deletingTheNewestEventsAndMovingTheHeadBackIsFoundThroughACheckpoint() {
    land(EVENTS);
    trail.checkpoint(lakehouse, "on demand");
    sql.update("DELETE FROM audit_events WHERE seq > 5");
    sql.update("UPDATE audit_head SET seq = 5, hash = ? WHERE id = 1", row(5).hash());
    Verification v = trail.verify(lakehouse);
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBad()).isEqualTo(1);
    assertThat(v.reason()).startsWith("event 7 was checkpointed at ").endsWith(" but the trail ends at event 5:"
        + " events were deleted");
  }

  /**
   * Found by a probe: with the checkpoint's data file deleted, the checkpoint was passed over as an interrupted commit,
   * so the newest events could be deleted and the head moved back without a word. Its snapshot's summary still says
   * which event had which hash.
   */
  @Test
  void deletingTheNewestEventsAndTheCheckpointsFileIsFoundThroughTheSnapshotsSummary() throws Exception {
    land(EVENTS);
    trail.checkpoint(lakehouse, "on demand");
    org.apache.iceberg.Table checkpoints = lakehouse.load(org.apache.iceberg.catalog.TableIdentifier.of("audit",
        "checkpoints"));
    try (var tasks = checkpoints.newScan().planFiles()) {
      for (var task : tasks) {
        checkpoints.io().deleteFile(task.file().location());
      }
    }
    sql.update("DELETE FROM audit_events WHERE seq > 5");
    sql.update("UPDATE audit_head SET seq = 5, hash = ? WHERE id = 1", row(5).hash());
    Verification v = trail.verify(lakehouse);
    assertThat(v.ok()).isFalse();
    assertThat(v.reason()).startsWith("event 7 was checkpointed at ").endsWith(" but the trail ends at event 5:"
        + " events were deleted");
  }

  /**
   * Found by a probe: the checkpoints were found only through their metadata files, and an unreadable one was passed
   * over, so `echo '{}' >` (or `rm`) the metadata file of the only checkpoint made a consistent rewrite of the whole
   * trail verify ok with "0 checkpoints match". The checkpoints' data files are read too, and what only tampering
   * explains is reported.
   */
  @Test
  void overwritingOrDeletingTheCheckpointsMetadataHidesNoCheckpoint() throws Exception {
    land(3);
    trail.checkpoint(lakehouse, "on demand");
    java.util.List<Path> metadata = metadataFiles();
    assertThat(metadata).as("the table's creation and its first append").hasSize(2);
    // The creation's file, which the append's names: no commit killed while writing explains it.
    Files.writeString(metadata.get(0), "{}");
    Verification v = trail.verify(lakehouse);
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBad()).isNull();
    assertThat(v.reason()).isEqualTo("the checkpoints were tampered with: metadata file "
        + metadata.get(0).getFileName() + " of audit.checkpoints cannot be read, and a later commit names it");
    assertThatThrownBy(() -> trail.checkpoint(lakehouse, "on demand")).isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("the audit checkpoints were tampered with (metadata file ");
    // The newest file too (the catalog's pointer), and then every one deleted: the checkpoint's row still counts.
    Files.writeString(metadata.get(1), "{}");
    assertThat(trail.verify(lakehouse).reason()).contains("the catalog registers audit.checkpoints, but its metadata"
        + " file is gone or cannot be read");
    for (Path f : metadataFiles()) {
      Files.delete(f);
    }
    land(2);
    sql.update("UPDATE audit_events SET details = '{\"rowsLanded\":1}' WHERE seq = 2");
    rechainFrom(2);
    v = trail.verify(lakehouse);
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBad()).as("no checkpoint before the one at event 3").isEqualTo(1);
    assertThat(v.reason()).startsWith("the chain up to event 3 differs from its checkpoint taken at ");
  }

  private java.util.List<Path> metadataFiles() throws java.io.IOException {
    String location = new AuditCheckpoints(lakehouse).location() + "/metadata";
    Path folder = location.startsWith("file:")
        ? Path.of(java.net.URI.create(location.replaceFirst("^file:/+", "file:///"))) : Path.of(location);
    try (var files = Files.list(folder)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".metadata.json")).sorted().toList();
    }
  }

  /** Found by a probe: a row of the object index deleted hid its event from `audit list --object`, verify said ok. */
  @Test
  void theObjectIndexMustHoldExactlyEachEventsObjects() {
    land(3);
    sql.update("DELETE FROM audit_event_objects WHERE seq = 2");
    assertThat(trail.verify(lakehouse)).isEqualTo(Verification.bad(3, 2, "the object index of event 2 differs from"
        + " the event's objects: it was changed outside the trail (a search by object would miss or add the event)",
        0));
    sql.update("INSERT INTO audit_event_objects (object, seq) SELECT object, 2 FROM audit_event_objects WHERE seq = 1");
    sql.update("INSERT INTO audit_event_objects (object, seq) VALUES ('product:x@1', 9)");
    assertThat(trail.verify(lakehouse).ok()).isFalse();
  }

  /** Found by a probe: a row numbered 0 or below was passed over by the walk while `audit list` showed it. */
  @Test
  void anEventInsertedBeforeTheFirstIsFound() {
    land(3);
    sql.update("INSERT INTO audit_events SELECT -1, at, actor, organization, role, action, objects, outcome, details,"
        + " digest, prev_hash, hash FROM audit_events WHERE seq = 2");
    assertThat(trail.verify(lakehouse)).isEqualTo(Verification.bad(0, -1, "event -1 lies before the chain's first"
        + " event: it was added outside the trail", 0));
  }

  @Test
  void checkpointsAreReadFromTheWarehouseWhateverTheCatalogInTheDatabaseSays() {
    land(3);
    trail.checkpoint(lakehouse, "on demand");
    Table table = lakehouse.load(AuditCheckpoints.TABLE);
    String afterFirst = ((HasTableOperations) table).operations().current().metadataFileLocation();
    land(4);
    trail.checkpoint(lakehouse, "on demand");
    sql.update("UPDATE audit_events SET details = '{\"rowsLanded\":1}' WHERE seq = 5");
    rechainFrom(5);

    // The catalog's pointer (in the same database) moved back to before the second checkpoint.
    assertThat(sql.update("UPDATE iceberg_tables SET metadata_location = ? WHERE table_namespace = 'audit'"
        + " AND table_name = 'checkpoints'", afterFirst)).isEqualTo(1);
    assertThat(Tables.rows(lakehouse.load(AuditCheckpoints.TABLE))).as("what the catalog now shows").hasSize(1);
    Verification v = trail.verify(lakehouse);
    assertThat(v.ok()).isFalse();
    assertThat(v.firstBad()).isEqualTo(4);

    // The table dropped from the catalog altogether.
    sql.update("DELETE FROM iceberg_tables WHERE table_namespace = 'audit'");
    assertThat(lakehouse.exists(AuditCheckpoints.TABLE)).isFalse();
    assertThat(trail.verify(lakehouse).firstBad()).isEqualTo(4);
  }

  @Test
  void aBrokenChainIsNotCheckpointedAndAnUnchangedHeadIsNotCheckpointedTwice() {
    assertThatThrownBy(() -> trail.checkpoint(lakehouse, "on demand")).isInstanceOf(BadInputException.class)
        .hasMessage("the audit trail has no events yet: nothing to checkpoint");
    land(3);
    Checkpoint first = trail.checkpoint(lakehouse, "on demand");
    assertThat(trail.checkpoint(lakehouse, "on demand")).isEqualTo(first);
    assertThat(Tables.rows(lakehouse.load(AuditCheckpoints.TABLE))).hasSize(1);

    land(2);
    sql.update("UPDATE audit_events SET actor = 'mallory' WHERE seq = 5");
    assertThatThrownBy(() -> trail.checkpoint(lakehouse, "on demand")).isInstanceOf(BadInputException.class)
        .hasMessage("the audit trail does not verify at event 5 (event 5 does not match its hash: it was modified);"
            + " a broken chain is not checkpointed (see: dataops audit verify)");
    assertThat(Tables.rows(lakehouse.load(AuditCheckpoints.TABLE))).hasSize(1);
  }

  @Test
  void aMissingHeadRecordIsReported() {
    land(2);
    sql.update("DELETE FROM audit_head");
    assertThat(trail.verify(lakehouse)).isEqualTo(Verification.bad(2, 3, "the chain head record is missing", 0));
  }
}
