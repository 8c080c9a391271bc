package io.dataops.products;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.storage.ObjectStore;
import io.dataops.lakehouse.storage.ReadThroughCache;
import io.dataops.lakehouse.testing.S3Server;
import io.dataops.lakehouse.testing.TestStorage;
import io.dataops.lakehouse.testing.Tables;
import io.dataops.lakehouse.storage.Documents;
import io.dataops.products.delivery.DeliveredCopy;
import io.dataops.products.delivery.Delivery;
import io.dataops.products.destroy.Destroyer;
import io.dataops.products.lifecycle.Lifecycle;
import io.dataops.products.registry.VersionFile;
import io.dataops.products.registry.VersionState;
import io.dataops.products.seal.Sealer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Destruction with the product table in a bucket (S3Proxy, Iceberg's S3FileIO): no object of the destroyed version is
 * left in the bucket, nor a local copy of one in DuckDB's read-through cache, and the newer version still reads.
 */
class DestroyOnS3Test extends ProductFixture {
  @Override
  protected LakehouseConfig lakehouseConfig(Path home) {
    return TestStorage.onS3(home);
  }

  @Test
  void aSealedVersionLeavesNoObjectInTheBucketAndNoLocalCopy() throws Exception {
    Lifecycle lifecycle = new Lifecycle(lakehouse, registry, audit);
    publish(false, dataFile(1, 30));
    for (int v = 1; v <= 2; v++) {
      if (v == 2) {
        publish(false, dataFile(100, 140));
      }
      lifecycle.submit(PRODUCT, v, OPERATOR);
      lifecycle.approve(PRODUCT, v, AUTHORITY, null);
      lifecycle.publish(PRODUCT, v, OPERATOR, Lifecycle.PUBLIC_INTEREST, null, "open licence");
    }
    new Sealer(lakehouse, registry, audit, archiveRoot()).seal(PRODUCT, 1, AUTHORITY);
    List<String> v1Files = registry.files(PRODUCT, 1).stream().map(VersionFile::location).toList();
    assertThat(v1Files).isNotEmpty().allMatch(ObjectStore::isObjectLocation);
    // A reader (DuckDB, through the cache) read v1 before: its local copy must go too.
    ReadThroughCache.of(lakehouse.io().properties()).local(lakehouse.io(), v1Files.get(0));
    assertThat(ReadThroughCache.copiesLeft(lakehouse.io(), v1Files)).isEqualTo(1);
    // Another user's cache (its own folder, out of the destroying process's reach) read v1 too.
    ReadThroughCache other = ReadThroughCache.of(java.util.Map.of(ReadThroughCache.DIR,
        dir.resolve("other-user-cache").toString()));
    Path otherCopy = other.local(lakehouse.io(), v1Files.get(0));

    Destroyer.Result r = new Destroyer(lakehouse, registry, audit, archiveRoot(), certificates())
        .destroy(PRODUCT, 1, AUTHORITY);

    assertThat(version(1).state()).isEqualTo(VersionState.DESTROYED);
    assertThat(r.certificate().postCheck().passed()).isTrue();
    assertThat(r.certificate().postCheck().checks()).contains("no local copy of a removed file is left in this "
        + "process's read-through cache (" + ReadThroughCache.of(lakehouse.io().properties()).dir() + "); other users'"
        + " and hosts' caches drop theirs at their next use: passed");
    // Found by a probe: the other cache kept the destroyed version's file. It drops it at its next sweep (at most
    // every ten minutes per folder: its first use above swept, so ten minutes pass first).
    assertThat(otherCopy).exists();
    java.nio.file.Files.setLastModifiedTime(other.dir().resolve(".swept"),
        java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 11 * 60_000));
    assertThat(other.sweep(lakehouse.io())).isEqualTo(1);
    assertThat(otherCopy).doesNotExist();
    assertThat(other.dir().resolve(otherCopy.getFileName() + ".location")).doesNotExist();
    assertThat(other.sweep(lakehouse.io())).as("not again within ten minutes").isZero();
    String bucket = ObjectStore.bucketOf(lakehouse.config().warehouse());
    List<String> keys = S3Server.keys(bucket, "");
    for (String f : v1Files) {
      assertThat(keys).doesNotContain(ObjectStore.keyOf(f));
    }
    assertThat(ReadThroughCache.copiesLeft(lakehouse.io(), v1Files)).isZero();
    assertThat(Tables.rows(table())).as("v2 still reads all its rows").hasSize(41);
  }

  @Test
  void aVersionDeliveredToAFileAndByUrlHasBothCopiesOnItsCertificateAndTheUrlsObjectIsGone() throws Exception {
    TestTrail trail = new TestTrail();
    Lifecycle lifecycle = new Lifecycle(lakehouse, registry, audit);
    publish(false, dataFile(1, 30));
    lifecycle.submit(PRODUCT, 1, OPERATOR);
    lifecycle.approve(PRODUCT, 1, AUTHORITY, null);
    lifecycle.publish(PRODUCT, 1, OPERATOR, Lifecycle.PUBLIC_INTEREST, null, "open licence");
    Delivery delivery = new Delivery(lakehouse, registry, trail.as(PARTNER));
    Delivery.Result file = delivery.deliver(PRODUCT, 1, PARTNER, dir.resolve("received/street-stats.csv"));
    Delivery.Presigned url = delivery.deliverByUrl(PRODUCT, 1, PARTNER, Duration.ofMinutes(5));
    new Sealer(lakehouse, registry, audit, archiveRoot()).seal(PRODUCT, 1, AUTHORITY);

    Destroyer.Result r = new Destroyer(lakehouse, registry, trail.as(AUTHORITY), archiveRoot(), certificates())
        .copiesOutside(trail, Documents.local(dir.resolve("home/outbox"))).destroy(PRODUCT, 1, AUTHORITY);

    assertThat(r.certificate().postCheck().passed()).isTrue();
    assertThat(S3Server.keys(ObjectStore.bucketOf(url.object()), ObjectStore.keyOf(url.object())))
        .as("the object behind the URL").isEmpty();
    assertThat(r.certificate().copiesOutside().deliveries()).extracting(DeliveredCopy::via, DeliveredCopy::rows,
        DeliveredCopy::sha256).containsExactly(org.assertj.core.groups.Tuple.tuple("deliver", 30L, file.sha256()),
        org.assertj.core.groups.Tuple.tuple("presigned-url", 30L, url.sha256()));
    assertThat(r.certificate().copiesOutside().statement()).startsWith("2 deliveries of this version to 1 "
        + "organization left the platform").contains("a copy fetched through a URL before is not");
    assertThat(r.certificate().copiesOutside().organizationsNotified()).containsExactly(PARTNER.organization());
  }
}
