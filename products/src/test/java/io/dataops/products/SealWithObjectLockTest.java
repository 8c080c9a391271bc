package io.dataops.products;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataops.core.digest.DigestAlgorithm;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.storage.ReadThroughCache;
import io.dataops.products.destroy.Destroyer;
import io.dataops.products.lifecycle.Lifecycle;
import io.dataops.products.registry.VersionFile;
import io.dataops.products.seal.ArchiveStore;
import io.dataops.products.seal.BucketArchive;
import io.dataops.products.seal.ObjectLock;
import io.dataops.products.seal.SealManifest;
import io.dataops.products.seal.Sealer;
import io.dataops.products.seal.VerifyReport;
import io.dataops.products.seal.Verifier;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetention;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Seal archives in a bucket with S3 object lock, on a real server that has it (S3Mock in a child JVM, the warehouse
 * in another bucket of the same server): the manifest names the retention, every archived object is put with it,
 * the platform still refuses to overwrite, verify passes, and a destruction removes every version and delete marker.
 * Buckets made without lock, or with versioning alone, on the same server take their own branches. S3Mock keeps no
 * retention from a put's lock headers (the platform reads it back and sets it with PutObjectRetention) and enforces
 * none, so what a locked version refuses is not tested here (that needs MinIO or AWS).
 */
class SealWithObjectLockTest extends ProductFixture {
  private static S3MockServer server;

  @BeforeAll
  static void startServer() {
    server = S3MockServer.start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected LakehouseConfig lakehouseConfig(Path home) {
    Path abs = home.toAbsolutePath().normalize();
    return LakehouseConfig.onObjectStore(LakehouseConfig.embedded(home).catalogUri(), null, null,
        "s3://" + server.newBucket("warehouse", false) + "/warehouse", server.store())
        .with(Map.of(ReadThroughCache.DIR, abs.resolveSibling(abs.getFileName() + "-cache").toString()));
  }

  /** A bucket with object lock, as an operator makes one for archives. */
  private static String lockedBucket() {
    String bucket = server.newBucket("archive", true);
    // AWS turns versioning on with object lock; S3Mock does not, so the test does what AWS does by itself.
    try (S3Client s3 = server.client()) {
      s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status("Enabled")));
    }
    return bucket;
  }

  private record Sealed(String bucket, BucketArchive archives, Sealer.SealResult result) {
    String prefix() {
      return "archive/" + PRODUCT + "/v1/";
    }
  }

  private Sealed sealVersion1(String bucket, ObjectLock.Policy policy) {
    BucketArchive archives = new BucketArchive(lakehouse.config().objectStore(), "s3://" + bucket + "/archive",
        policy);
    Lifecycle lifecycle = new Lifecycle(lakehouse, registry, audit);
    publish(false, dataFile(1, 40), dataFile(41, 90));
    lifecycle.submit(PRODUCT, 1, OPERATOR);
    lifecycle.approve(PRODUCT, 1, AUTHORITY, "fit");
    lifecycle.publish(PRODUCT, 1, OPERATOR, Lifecycle.PUBLIC_INTEREST, null, "open");
    return new Sealed(bucket, archives, new Sealer(lakehouse, registry, audit, archives).seal(PRODUCT, 1, AUTHORITY));
  }

  private SealManifest manifest(ArchiveStore archives, String archive) throws Exception {
    try (var in = archives.open(archive, SealManifest.FILE_NAME)) {
      return new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .readValue(in, SealManifest.class);
    }
  }

  /** Every version and delete marker under the prefix, as {@code key?versionId=ID}. */
  private static List<String> versions(String bucket, String prefix) {
    List<String> out = new ArrayList<>();
    try (S3Client s3 = server.client()) {
      for (var page : s3.listObjectVersionsPaginator(b -> b.bucket(bucket).prefix(prefix))) {
        page.versions().forEach(v -> out.add(v.key() + "?versionId=" + v.versionId()));
        page.deleteMarkers().forEach(d -> out.add(d.key() + "?versionId=" + d.versionId()));
      }
    }
    return out;
  }

  /**
   * Every archived object was put with the policy's retention and the server keeps it: S3Mock keeps none from
   * PutObject's lock headers (AWS and MinIO apply them), so the platform, reading it back, set it again with
   * PutObjectRetention.
   */
  private void assertEveryObjectRetained(Sealed s, ObjectLockMode mode, Duration retention, Instant before,
      Instant after) {
    List<String> keys = server.keys(s.bucket(), s.prefix());
    assertThat(keys).hasSize(registry.files(PRODUCT, 1).size() + 1);
    try (S3Client s3 = server.client()) {
      for (String key : keys) {
        LockRequests.Asked asked = LockRequests.of(s.bucket(), key);
        assertThat(asked).as(key).isNotNull();
        assertThat(asked.mode()).as(key).isEqualTo(mode.toString());
        assertThat(asked.retainUntil()).as(key).isBetween(before.plus(retention), after.plus(retention));
        ObjectLockRetention kept = s3.getObjectRetention(b -> b.bucket(s.bucket()).key(key)).retention();
        assertThat(kept.mode().toString()).as(key).isEqualTo(mode.toString());
        assertThat(kept.retainUntilDate()).as(key).isBetween(asked.retainUntil().minusSeconds(1),
            asked.retainUntil().plusSeconds(1));
      }
    }
  }

  @Test
  void aGovernanceRetentionIsPutOnEveryArchivedObjectAndADestructionRemovesEveryVersion() throws Exception {
    String bucket = lockedBucket();
    Instant before = Instant.now();
    Sealed s = sealVersion1(bucket, ObjectLock.Policy.DEFAULT);
    Instant after = Instant.now();

    assertThat(s.archives().lock().supported()).isTrue();
    assertThat(s.result().objectLock()).isEqualTo("governance, 3650 days");
    assertThat(manifest(s.archives(), s.result().archive()).objectLock()).isEqualTo("governance, 3650 days");
    assertThat(events).anySatisfy(e -> assertThat(e.details()).containsEntry("objectLock", "governance, 3650 days"));
    assertEveryObjectRetained(s, ObjectLockMode.GOVERNANCE, Duration.ofDays(3650), before, after);

    // The platform refuses to write over the archive whatever the server would allow.
    assertThatThrownBy(() -> s.archives().write(s.result().archive(), List.of(), "{}".getBytes(),
        DigestAlgorithm.SM3)).hasMessageContaining("not overwritten");
    VerifyReport r = new Verifier(lakehouse, registry).verify(PRODUCT, 1);
    assertThat(r.ok()).as(r.toString()).isTrue();
    assertThat(r.checked()).isEqualTo(2 + 2 + 1); // warehouse files, archive copies, manifest

    // Someone removed an archived object without naming a version: the bucket keeps it under a delete marker.
    VersionFile first = registry.files(PRODUCT, 1).get(0);
    try (S3Client s3 = server.client()) {
      s3.deleteObject(b -> b.bucket(bucket).key(s.prefix() + first.name()));
    }
    List<String> kept = versions(bucket, s.prefix());
    assertThat(kept).hasSize(3 + 1); // three versions and the marker
    assertThat(s.archives().left(s.result().archive())).containsExactlyInAnyOrderElementsOf(kept);

    Destroyer.Result d = new Destroyer(lakehouse, registry, audit, s.archives(), archiveCertificates(bucket))
        .destroy(PRODUCT, 1, AUTHORITY);
    assertThat(d.certificate().postCheck().passed()).as(d.certificate().postCheck().checks().toString()).isTrue();
    assertThat(d.certificate().postCheck().checks())
        .contains("the archive copy " + s.result().archive() + " is gone: passed");
    assertThat(s.archives().left(s.result().archive())).isEmpty();
    assertThat(versions(bucket, "archive/")).isEmpty();
    try (S3Client s3 = server.client()) {
      for (String v : kept) {
        String key = v.substring(0, v.indexOf('?'));
        String id = v.substring(v.indexOf('=') + 1);
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(bucket).key(key).versionId(id)))
            .isInstanceOf(S3Exception.class).satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(404));
      }
    }
  }

  private io.dataops.lakehouse.storage.Documents archiveCertificates(String bucket) {
    return io.dataops.lakehouse.storage.Documents.inBucket("s3://" + bucket + "/certificates", lakehouse.io());
  }

  @Test
  void aComplianceRetentionIsRecordedAndPutOnEveryArchivedObject() throws Exception {
    ObjectLock.Policy compliance = ObjectLock.Policy.of("compliance", "1");
    Instant before = Instant.now();
    Sealed s = sealVersion1(lockedBucket(), compliance);
    Instant after = Instant.now();

    assertThat(s.result().objectLock()).isEqualTo("compliance, 1 days");
    assertThat(manifest(s.archives(), s.result().archive()).objectLock()).isEqualTo("compliance, 1 days");
    assertEveryObjectRetained(s, ObjectLockMode.COMPLIANCE, Duration.ofDays(1), before, after);
    assertThat(new Verifier(lakehouse, registry).verify(PRODUCT, 1).ok()).isTrue();
  }

  @Test
  void aBucketWithoutLockOnTheSameServerLeavesImmutabilityToThePlatform() throws Exception {
    String plain = server.newBucket("plain", false);
    try (S3Client s3 = server.client()) {
      assertThatThrownBy(() -> s3.getObjectLockConfiguration(b -> b.bucket(plain)))
          .isInstanceOf(S3Exception.class)
          .satisfies(e -> {
            // AWS answers 404 ObjectLockConfigurationNotFoundError; S3Mock 400 InvalidRequest. Both mean no lock.
            assertThat(((S3Exception) e).statusCode()).isIn(400, 404);
          });
    }
    Sealed s = sealVersion1(plain, ObjectLock.Policy.DEFAULT);
    assertThat(s.archives().lock().supported()).isFalse();
    assertThat(s.result().objectLock()).isEqualTo(ObjectLock.UNSUPPORTED);
    assertThat(manifest(s.archives(), s.result().archive()).objectLock()).isEqualTo(ObjectLock.UNSUPPORTED);
    assertThat(new Verifier(lakehouse, registry).verify(PRODUCT, 1).ok()).isTrue();
    new Destroyer(lakehouse, registry, audit, s.archives(), archiveCertificates(plain)).destroy(PRODUCT, 1,
        AUTHORITY);
    assertThat(server.keys(plain, "archive/")).isEmpty();
  }

  /** Versioning without lock: deleting the keys would only hide the archive behind delete markers. */
  @Test
  void aDestructionInAVersionedBucketWithoutLockLeavesNoVersionBehind() {
    String bucket = server.newBucket("versioned", false);
    try (S3Client s3 = server.client()) {
      s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status("Enabled")));
    }
    Sealed s = sealVersion1(bucket, ObjectLock.Policy.DEFAULT);
    assertThat(s.result().objectLock()).isEqualTo(ObjectLock.UNSUPPORTED);
    List<String> kept = versions(bucket, s.prefix());
    assertThat(kept).hasSize(3);
    assertThat(s.archives().left(s.result().archive())).containsExactlyInAnyOrderElementsOf(kept);
    Destroyer.Result d = new Destroyer(lakehouse, registry, audit, s.archives(), archiveCertificates(bucket))
        .destroy(PRODUCT, 1, AUTHORITY);
    assertThat(d.certificate().postCheck().passed()).isTrue();
    assertThat(versions(bucket, "archive/")).isEmpty();
  }

  @Test
  void aSealInterruptedBeforeItsManifestRemovesEveryVersionOfWhatItLeft() {
    String bucket = lockedBucket();
    Sealed s = sealVersion1(bucket, ObjectLock.Policy.DEFAULT);
    Lifecycle lifecycle = new Lifecycle(lakehouse, registry, audit);
    publish(false, dataFile(1, 10));
    lifecycle.submit(PRODUCT, 2, OPERATOR);
    lifecycle.approve(PRODUCT, 2, AUTHORITY, null);
    // A process died after one copy, which it had put twice (a retried put), and before the manifest.
    String half = "archive/" + PRODUCT + "/v2/data/half.parquet";
    try (S3Client s3 = server.client()) {
      s3.putObject(b -> b.bucket(bucket).key(half), software.amazon.awssdk.core.sync.RequestBody.fromString("half"));
      s3.putObject(b -> b.bucket(bucket).key(half), software.amazon.awssdk.core.sync.RequestBody.fromString("again"));
    }
    assertThat(versions(bucket, half)).hasSize(2);
    Sealer.SealResult r = new Sealer(lakehouse, registry, audit, s.archives()).seal(PRODUCT, 2, AUTHORITY);
    assertThat(r.objectLock()).isEqualTo("governance, 3650 days");
    assertThat(versions(bucket, half)).isEmpty();
    assertThat(versions(bucket, "archive/" + PRODUCT + "/v2/")).hasSize(registry.files(PRODUCT, 2).size() + 1);
    assertThat(new Verifier(lakehouse, registry).verify(PRODUCT, 2).ok()).isTrue();
  }
}
