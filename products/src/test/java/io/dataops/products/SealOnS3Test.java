package io.dataops.products;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.digest.DigestAlgorithm;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.storage.Documents;
import io.dataops.lakehouse.storage.ObjectStore;
import io.dataops.lakehouse.testing.S3Server;
import io.dataops.lakehouse.testing.TestStorage;
import io.dataops.products.destroy.Destroyer;
import io.dataops.products.lifecycle.Lifecycle;
import io.dataops.products.registry.VersionFile;
import io.dataops.products.registry.VersionState;
import io.dataops.products.seal.ArchiveStore;
import io.dataops.products.seal.BucketArchive;
import io.dataops.products.seal.ObjectLock;
import io.dataops.products.seal.SealManifest;
import io.dataops.products.seal.Sealer;
import io.dataops.products.seal.Verifier;
import io.dataops.products.seal.VerifyReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Seal archives in a bucket (S3Proxy over HTTP, which has no object lock): the archive's objects and manifest under
 * {@code s3://BUCKET/archive/<product>/v<N>/}, the manifest saying that immutability is the platform's, digests
 * verified, overwrites refused, an interrupted seal completed, and a destruction that leaves no archived object.
 */
class SealOnS3Test extends ProductFixture {
  private String bucket;
  private ArchiveStore archives;
  private Sealer.SealResult sealed;

  @Override
  protected LakehouseConfig lakehouseConfig(Path home) {
    return TestStorage.onS3(home);
  }

  @BeforeEach
  void sealInTheBucket() {
    bucket = ObjectStore.bucketOf(lakehouse.config().warehouse());
    archives = new BucketArchive(lakehouse.config().objectStore(), "s3://" + bucket + "/archive",
        ObjectLock.Policy.DEFAULT);
    Lifecycle lifecycle = new Lifecycle(lakehouse, registry, audit);
    publish(false, dataFile(1, 40), dataFile(41, 90));
    lifecycle.submit(PRODUCT, 1, OPERATOR);
    lifecycle.approve(PRODUCT, 1, AUTHORITY, "fit");
    lifecycle.publish(PRODUCT, 1, OPERATOR, Lifecycle.PUBLIC_INTEREST, null, "open");
    sealed = new Sealer(lakehouse, registry, audit, archives).seal(PRODUCT, 1, AUTHORITY);
  }

  private VerifyReport verify() {
    return new Verifier(lakehouse, registry).verify(PRODUCT, 1);
  }

  private static void put(String bucket, String key, byte[] bytes) {
    try (S3Client s3 = S3Server.client()) {
      s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
    }
  }

  @Test
  void theArchiveIsInTheBucketAndItsManifestSaysThePlatformEnforcesIt() throws Exception {
    assertThat(sealed.archive()).isEqualTo("s3://" + bucket + "/archive/street-stats/v1");
    assertThat(sealed.objectLock()).isEqualTo("unsupported, enforced by the platform");
    List<VersionFile> files = registry.files(PRODUCT, 1);
    List<String> expected = new java.util.ArrayList<>(files.stream()
        .map(f -> "archive/street-stats/v1/" + f.name()).toList());
    expected.add("archive/street-stats/v1/manifest.json");
    assertThat(S3Server.keys(bucket, "archive/")).containsExactlyInAnyOrderElementsOf(expected);
    SealManifest manifest;
    try (var in = archives.open(sealed.archive(), SealManifest.FILE_NAME)) {
      manifest = new com.fasterxml.jackson.databind.ObjectMapper()
          .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .readValue(in, SealManifest.class);
    }
    assertThat(manifest.objectLock()).isEqualTo(ObjectLock.UNSUPPORTED);
    assertThat(manifest.files()).hasSize(2);
    assertThat(registry.seal(PRODUCT, 1).orElseThrow().archive()).isEqualTo(sealed.archive());
    assertThat(events).anySatisfy(e -> {
      assertThat(e.action()).isEqualTo("product.seal");
      assertThat(e.details()).containsEntry("objectLock", ObjectLock.UNSUPPORTED);
    });
    VerifyReport r = verify();
    assertThat(r.ok()).as(r.toString()).isTrue();
    assertThat(r.checked()).isEqualTo(2 + 2 + 1); // warehouse files, archive copies, manifest
    // Nothing of the archive is under the home.
    assertThat(Files.exists(dir.resolve("home/archive"))).isFalse();
  }

  @Test
  void tamperingWithArchivedObjectsIsCaughtByVerify() {
    VersionFile f = registry.files(PRODUCT, 1).get(0);
    String prefix = "archive/street-stats/v1/";
    put(bucket, prefix + f.name(), new byte[] {1, 2, 3});
    put(bucket, prefix + "planted.parquet", "not part of the version".getBytes());
    VerifyReport r = verify();
    assertThat(r.ok()).isFalse();
    assertThat(r.changed()).containsExactly("archive/" + f.name());
    assertThat(r.added()).containsExactly("archive/planted.parquet");
    try (S3Client s3 = S3Server.client()) {
      s3.deleteObject(b -> b.bucket(bucket).key(prefix + f.name()));
    }
    assertThat(verify().missing()).containsExactly("archive/" + f.name());
  }

  @Test
  void theArchiveIsNeverOverwritten() {
    assertThatThrownBy(() -> archives.write(sealed.archive(), List.of(), "{}".getBytes(), DigestAlgorithm.SM3))
        .hasMessageContaining("not overwritten");
    put(bucket, "archive/street-stats/v1/manifest.json", "{}".getBytes());
    assertThatThrownBy(() -> archives.discardIncomplete(sealed.archive()))
        .hasMessageContaining("never overwritten");
    assertThat(S3Server.keys(bucket, "archive/street-stats/v1/")).hasSize(3);
    assertThat(verify().changed()).contains("archive/manifest.json");
  }

  @Test
  void aSealInterruptedBeforeItsManifestCompletesWhenRunAgain() {
    Lifecycle lifecycle = new Lifecycle(lakehouse, registry, audit);
    publish(false, dataFile(1, 10));
    lifecycle.submit(PRODUCT, 2, OPERATOR);
    lifecycle.approve(PRODUCT, 2, AUTHORITY, null);
    // A process died after one copy and before the manifest: an incomplete archive, never recorded.
    put(bucket, "archive/street-stats/v2/data/half.parquet", "half a copy".getBytes());
    Sealer.SealResult r = new Sealer(lakehouse, registry, audit, archives).seal(PRODUCT, 2, AUTHORITY);
    assertThat(r.version().state()).isEqualTo(VersionState.SEALED);
    assertThat(S3Server.keys(bucket, "archive/street-stats/v2/")).doesNotContain(
        "archive/street-stats/v2/data/half.parquet").contains("archive/street-stats/v2/manifest.json");
    assertThat(new Verifier(lakehouse, registry).verify(PRODUCT, 2).ok()).isTrue();
  }

  @Test
  void destroyingTheSealedVersionRemovesItsArchivedObjectsAndCertifiesItInTheBucket() throws Exception {
    Documents certificates = Documents.inBucket("s3://" + bucket + "/certificates", lakehouse.io());
    Destroyer.Result r = new Destroyer(lakehouse, registry, audit, archives, certificates)
        .destroy(PRODUCT, 1, AUTHORITY);
    assertThat(r.json()).isEqualTo("s3://" + bucket + "/certificates/street-stats-v1-destruction.json");
    assertThat(S3Server.keys(bucket, "certificates/")).containsExactly(
        "certificates/street-stats-v1-destruction.html", "certificates/street-stats-v1-destruction.json");
    try (var in = lakehouse.io().newInputFile(r.json()).newStream()) {
      assertThat(io.dataops.core.digest.Digests.hex(DigestAlgorithm.SM3, in)).isEqualTo(r.certificateDigest());
    }
    assertThat(registry.destruction(PRODUCT, 1).orElseThrow().certificate()).isEqualTo(r.json());
    assertThat(Files.exists(dir.resolve("home/certificates"))).isFalse();
    assertThat(r.certificate().postCheck().passed()).isTrue();
    assertThat(r.certificate().postCheck().checks())
        .contains("the archive copy " + sealed.archive() + " is gone: passed");
    assertThat(S3Server.keys(bucket, "archive/")).isEmpty();
    List<String> v1 = registry.files(PRODUCT, 1).stream().map(f -> ObjectStore.keyOf(f.location())).toList();
    assertThat(S3Server.keys(bucket, "")).doesNotContainAnyElementsOf(v1);
  }
}
