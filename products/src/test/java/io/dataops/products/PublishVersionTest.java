package io.dataops.products;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.core.db.DatabaseLock;
import io.dataops.core.testing.LockWaits;
import io.dataops.products.publish.ProductTables;
import io.dataops.products.publish.PublishVersion;
import io.dataops.products.publish.QualityGate;
import io.dataops.products.registry.ProductVersion;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class PublishVersionTest extends ProductFixture {
  @Test
  void applyShowsTheVersionItWouldMakeAndWritesNothing() {
    publish(false, dataFile(1, 10));
    String a = dataFile(11, 30);
    String b = dataFile(31, 35);
    PublishVersion update = publisher(QualityGate.NONE).newVersion(PRODUCT, "preview-run").replaceWith(List.of(a, b))
        .evolveSchema((u, current) -> current.findField("note") == null ? u.addColumn("note", Types.StringType.get()) : u)
        .lineage(lineage("preview-run", 25)).actor(OPERATOR);
    long snapshots = table().snapshots().spliterator().getExactSizeIfKnown();
    PublishVersion.Preview preview = update.apply();
    assertThat(preview.version()).isEqualTo(2);
    assertThat(preview.alreadyRecorded()).isFalse();
    assertThat(preview.files()).isEqualTo(2);
    assertThat(preview.records()).isEqualTo(25);
    assertThat(preview.schemaJson()).contains("\"note\"");
    assertThat(table().snapshots()).as("nothing committed").hasSize((int) snapshots);
    assertThat(table().schema().findField("note")).as("the schema is unchanged").isNull();
    assertThat(registry.list(PRODUCT)).hasSize(1);

    ProductVersion v2 = update.commit();
    assertThat(v2.version()).isEqualTo(2);
    assertThat(v2.content().records()).isEqualTo(25);
    assertThat(table().schema().findField("note")).isNotNull();
    assertThat(update.apply().alreadyRecorded()).as("the same run again: recorded").isTrue();
    assertThat(update.commit().snapshotId()).as("idempotent").isEqualTo(v2.snapshotId());
  }

  /**
   * A version's rows are those a reader gets: an appended version holds the rows before it too, and rows its delete
   * files delete (one by position, one named by an equality delete of a street that two rows have) are not counted,
   * while {@code records} stays the data files' total.
   */
  @Test
  void aVersionsRowsAreThoseAReaderGetsDeletesApplied() throws Exception {
    String a = dataFile(1, 10);
    publish(false, a);
    ProductVersion appended = publish(true, dataFile(11, 20), dataFile(20, 20));
    assertThat(appended.rows()).isEqualTo(21).isEqualTo(appended.content().records());

    org.apache.iceberg.Table table = table();
    var positions = new org.apache.iceberg.data.GenericAppenderFactory(table.schema(), table.spec());
    var posOut = org.apache.iceberg.encryption.EncryptedFiles.plainAsEncryptedOutput(
        table.io().newOutputFile(table.location() + "/data/position-deletes.parquet"));
    org.apache.iceberg.deletes.PositionDeleteWriter<org.apache.iceberg.data.Record> pw = positions.newPosDeleteWriter(
        posOut, org.apache.iceberg.FileFormat.PARQUET, null);
    try (pw) {
      pw.write(org.apache.iceberg.deletes.PositionDelete.<org.apache.iceberg.data.Record>create().set(a, 0L, null));
    }
    org.apache.iceberg.Schema streetOnly = table.schema().select("street");
    var equality = new org.apache.iceberg.data.GenericAppenderFactory(table.schema(), table.spec(),
        new int[] {table.schema().findField("street").fieldId()}, streetOnly, null);
    var eqOut = org.apache.iceberg.encryption.EncryptedFiles.plainAsEncryptedOutput(
        table.io().newOutputFile(table.location() + "/data/equality-deletes.parquet"));
    org.apache.iceberg.deletes.EqualityDeleteWriter<org.apache.iceberg.data.Record> ew = equality.newEqDeleteWriter(
        eqOut, org.apache.iceberg.FileFormat.PARQUET, null);
    try (ew) {
      ew.write(org.apache.iceberg.data.GenericRecord.create(streetOnly).copy(Map.of("street", "street-20")));
    }
    table.newRowDelta().addDeletes(pw.toDeleteFile()).addDeletes(ew.toDeleteFile()).commit();
    ProductVersion deleted = publish(true);

    assertThat(deleted.content().records()).isEqualTo(21);
    assertThat(deleted.rows()).as("21 less street-1 and both rows of street-20").isEqualTo(18);
  }

  @Test
  void runsOfOneProductFinishingTogetherPublishOneAfterTheOther() throws Exception {
    runsPublishingAtOnceFollowOneAnother(4); // the first adds the column, the others find it
    runsPublishingAtOnceFollowOneAnother(4);
  }

  @Test
  void aPublishWaitsForTheProcessPublishingTheSameProductAndNotForAnother() throws Exception {
    String other = "bus-stops";
    lakehouse.createOrLoad(ProductTables.id(other), SCHEMA, Map.of(ProductTables.PROP_PRODUCT, other));
    String file = dataFile(1, 10);
    String otherFile = dataFile(other, 1, 5);
    CompletableFuture<ProductVersion> waiting = new CompletableFuture<>();
    Thread waiter = new Thread(() -> {
      try {
        waiting.complete(publisher(QualityGate.NONE).newVersion(PRODUCT, "waiting").replaceWith(List.of(file))
            .lineage(lineage("waiting", 10)).actor(OPERATOR).commit());
      } catch (RuntimeException e) {
        waiting.completeExceptionally(e);
      }
    });
    try (DatabaseLock held = registry.exclusive(PRODUCT, "destroying version 1 of product " + PRODUCT)) {
      waiter.start();
      LockWaits.untilWaiting(waiter, waiting);
      assertThat(waiting.isDone()).as("the publish waits while the product's lock is held").isFalse();
      assertThat(LockWaits.waitsForALock(waiter)).isTrue();
      assertThat(table().currentSnapshot()).as("nothing staged or published meanwhile").isNull();
      assertThat(registry.byRunKey("waiting")).isEmpty();

      ProductVersion otherVersion = publish(other, false, otherFile);
      assertThat(otherVersion.version()).as("another product publishes meanwhile").isEqualTo(1);
    }
    assertThat(waiting.get(2, TimeUnit.MINUTES).version()).isEqualTo(1);
    assertThat(table().currentSnapshot().summary()).containsEntry(PublishVersion.SUMMARY_RUN_KEY, "waiting");
  }
}
