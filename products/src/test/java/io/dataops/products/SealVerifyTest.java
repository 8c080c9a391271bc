package io.dataops.products;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataops.core.digest.DigestAlgorithm;
import io.dataops.core.digest.Digests;
import io.dataops.products.lifecycle.Lifecycle;
import io.dataops.products.lifecycle.ProductAccess;
import io.dataops.products.registry.ProductVersion;
import io.dataops.products.registry.VersionContent;
import io.dataops.products.registry.VersionFile;
import io.dataops.products.seal.SealManifest;
import io.dataops.products.seal.Sealer;
import io.dataops.products.seal.Verifier;
import io.dataops.products.seal.VerifyReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SealVerifyTest extends ProductFixture {
  private Lifecycle lifecycle;
  private ProductVersion v;
  private Sealer.SealResult sealed;

  @BeforeEach
  void sealAVersion() {
    lifecycle = new Lifecycle(lakehouse, registry, audit);
    v = publish(false, dataFile(1, 40), dataFile(41, 90));
    lifecycle.submit(PRODUCT, 1, OPERATOR);
    lifecycle.approve(PRODUCT, 1, AUTHORITY, "fit");
    lifecycle.publish(PRODUCT, 1, OPERATOR, Lifecycle.PUBLIC_INTEREST, null, "open");
    sealed = new Sealer(lakehouse, registry, audit, archiveRoot()).seal(PRODUCT, 1, AUTHORITY);
  }

  private VerifyReport verify() {
    return new Verifier(lakehouse, registry).verify(PRODUCT, 1);
  }

  private Path warehouseFile(VersionFile f) {
    return Path.of(java.net.URI.create(f.location().replace("file:/", "file:///").replace("file:////", "file:///")));
  }

  @Test
  void aVersionIsTaggedWithAMerkleRootOverItsFiles() {
    assertThat(table().refs().get("v1").snapshotId()).isEqualTo(v.snapshotId());
    List<VersionFile> files = registry.files(PRODUCT, 1);
    assertThat(files).hasSize(2).allSatisfy(f -> {
      assertThat(f.name()).startsWith("data/");
      assertThat(f.digest()).isEqualTo(Digests.hex(DigestAlgorithm.SM3, warehouseFile(f)));
    });
    assertThat(v.content().algorithm()).isEqualTo("sm3");
    assertThat(v.content().records()).isEqualTo(90);
    assertThat(v.content().merkleRoot()).isEqualTo(VersionContent.merkleRoot(files, DigestAlgorithm.SM3))
        .hasSize(64);
    // Changing any one leaf changes the root.
    List<VersionFile> altered = List.of(files.get(0), new VersionFile(files.get(1).name(), files.get(1).location(),
        "data", 1, 1, "00".repeat(32)));
    assertThat(VersionContent.merkleRoot(altered, DigestAlgorithm.SM3)).isNotEqualTo(v.content().merkleRoot());
  }

  @Test
  void sealingWritesAReadOnlyArchiveWithAManifestAndRevokesAccess() throws Exception {
    Path archive = Path.of(sealed.archive());
    assertThat(archive).isEqualTo(archiveRoot().resolve("street-stats/v1"));
    assertThat(Files.getPosixFilePermissions(archive)).isEqualTo(PosixFilePermissions.fromString("r-x------"));
    SealManifest manifest = new com.fasterxml.jackson.databind.ObjectMapper()
        .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
        .readValue(archive.resolve("manifest.json").toFile(), SealManifest.class);
    assertThat(manifest.merkleRoot()).isEqualTo(v.content().merkleRoot());
    assertThat(manifest.files()).hasSize(2);
    for (SealManifest.ManifestFile f : manifest.files()) {
      Path copy = archive.resolve(f.name());
      assertThat(Files.getPosixFilePermissions(copy)).isEqualTo(PosixFilePermissions.fromString("r--------"));
      assertThat(Digests.hex(DigestAlgorithm.SM3, copy)).isEqualTo(f.digest());
    }
    assertThat(sealed.manifestDigest()).isEqualTo(Digests.hex(DigestAlgorithm.SM3, archive.resolve("manifest.json")));
    ProductVersion now = version(1);
    assertThatThrownBy(() -> ProductAccess.checkRead(now, PARTNER)).hasMessageContaining("requires role authority or auditor");
    assertThatThrownBy(() -> ProductAccess.checkRead(now, OPERATOR)).hasMessageContaining("sealed");
    ProductAccess.checkRead(now, AUTHORITY);
    ProductAccess.checkRead(now, AUDITOR);
    assertThat(events).extracting(e -> e.action()).contains("product.seal");
    assertThat(verify().ok()).isTrue();
  }

  @Test
  void aChangedWarehouseFileIsCaught() throws Exception {
    VersionFile f = registry.files(PRODUCT, 1).get(0);
    Path p = warehouseFile(f);
    byte[] bytes = Files.readAllBytes(p);
    bytes[bytes.length / 2] ^= 1;
    Files.write(p, bytes);
    VerifyReport r = verify();
    assertThat(r.ok()).isFalse();
    assertThat(r.changed()).containsExactly(f.name());
    assertThat(r.missing()).isEmpty();
  }

  @Test
  void aMissingWarehouseFileIsCaught() throws Exception {
    VersionFile f = registry.files(PRODUCT, 1).get(1);
    Files.delete(warehouseFile(f));
    VerifyReport r = verify();
    assertThat(r.ok()).isFalse();
    assertThat(r.missing()).containsExactly(f.name());
  }

  @Test
  void aFileTheRecordNoLongerListsIsReportedAddedAndTheRootChanged() throws Exception {
    VersionFile f = registry.files(PRODUCT, 1).get(1);
    try (var c = DriverManager.getConnection(lakehouse.config().catalogUri());
         var st = c.prepareStatement("DELETE FROM product_version_files WHERE name = ?")) {
      st.setString(1, f.name());
      st.executeUpdate();
    }
    VerifyReport r = verify();
    assertThat(r.ok()).isFalse();
    assertThat(r.added()).contains(f.name());
    assertThat(r.changed()).contains("merkle-root");
  }

  /** Found by a probe: a seal that found the files changed refused as plain bad input, which left no audit event. */
  @Test
  void tamperingFoundAtASealIsAStateRefusalTheTrailRecords() throws Exception {
    publish(false, dataFile(91, 120));
    lifecycle.submit(PRODUCT, 2, OPERATOR);
    lifecycle.approve(PRODUCT, 2, AUTHORITY, "fit");
    lifecycle.publish(PRODUCT, 2, OPERATOR, Lifecycle.PUBLIC_INTEREST, null, "open");
    Path p = warehouseFile(registry.files(PRODUCT, 2).get(0));
    Files.write(p, new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
    assertThatThrownBy(() -> new Sealer(lakehouse, registry, audit, archiveRoot()).seal(PRODUCT, 2, AUTHORITY))
        .isInstanceOf(io.dataops.core.StateRefusedException.class)
        .hasMessageContaining("its files are not what was recorded (1 changed")
        .satisfies(e -> assertThat(((io.dataops.core.StateRefusedException) e).objects())
            .containsExactly("product:" + PRODUCT + "@2"));
  }

  /**
   * Found by a probe: a destruction killed mid-way was reported destroyed with a certificate to read, though none was
   * written yet; and the refusal (like one of a destroyed version) left no audit event.
   */
  @Test
  void aVersionWhoseDestructionIsUnfinishedIsNotCalledDestroyed() throws Exception {
    try (var c = DriverManager.getConnection(lakehouse.config().catalogUri());
         var st = c.prepareStatement("UPDATE product_versions SET state = 'destroying' WHERE version = 1")) {
      st.executeUpdate();
    }
    ProductVersion now = registry.find(PRODUCT, 1).orElseThrow();
    assertThatThrownBy(this::verify).isInstanceOf(io.dataops.core.StateRefusedException.class)
        .hasMessageContaining("its destruction is unfinished").hasMessageContaining("run dataops product destroy "
            + PRODUCT + " 1 again").hasMessageNotContaining("was destroyed");
    assertThatThrownBy(() -> ProductAccess.checkRead(now, AUTHORITY)).hasMessageContaining("is being destroyed")
        .hasMessageContaining("run dataops product destroy " + PRODUCT + " 1 again")
        .hasMessageNotContaining("was destroyed");
  }

  @Test
  void tamperingWithTheArchiveIsCaught() throws Exception {
    Path archive = Path.of(sealed.archive());
    Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rwx------"));
    Files.writeString(archive.resolve("planted.parquet"), "not part of the version");
    VersionFile f = registry.files(PRODUCT, 1).get(0);
    Path copy = archive.resolve(f.name());
    Files.setPosixFilePermissions(copy.getParent(), PosixFilePermissions.fromString("rwx------"));
    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-------"));
    Files.write(copy, new byte[] {1, 2, 3});
    VerifyReport r = verify();
    assertThat(r.ok()).isFalse();
    assertThat(r.added()).containsExactly("archive/planted.parquet");
    assertThat(r.changed()).containsExactly("archive/" + f.name());

    Files.delete(copy);
    assertThat(verify().missing()).containsExactly("archive/" + f.name());
  }

  @Test
  void aRewrittenManifestIsCaught() throws Exception {
    Path manifest = Path.of(sealed.archive()).resolve("manifest.json");
    Files.setPosixFilePermissions(Path.of(sealed.archive()), PosixFilePermissions.fromString("rwx------"));
    Files.setPosixFilePermissions(manifest, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(manifest, Files.readString(manifest).replace("\"sealedBy\" : \"alice\"",
        "\"sealedBy\" : \"mallory\""));
    VerifyReport r = verify();
    assertThat(r.ok()).isFalse();
    assertThat(r.changed()).containsExactly("archive/manifest.json");
  }

  @Test
  void aSealInterruptedAfterItsCopyCompletesWhenRunAgain() throws Exception {
    // The archive exists (renamed into place) but the version is still published: as if the process died there.
    ProductVersion v2 = publish(false, dataFile(1, 10));
    lifecycle.submit(PRODUCT, 2, OPERATOR);
    lifecycle.approve(PRODUCT, 2, AUTHORITY, null);
    Path scratch = archiveRoot().resolve("street-stats/.v2.partial-123");
    Files.createDirectories(scratch);
    Files.writeString(scratch.resolve("half.parquet"), "half a copy");
    Sealer.SealResult r = new Sealer(lakehouse, registry, audit, archiveRoot()).seal(PRODUCT, v2.version(), AUTHORITY);
    assertThat(r.version().state().label()).isEqualTo("sealed");
    assertThat(new Verifier(lakehouse, registry).verify(PRODUCT, 2).ok()).isTrue();
    assertThatThrownBy(() -> new Sealer(lakehouse, registry, audit, archiveRoot()).seal(PRODUCT, 2, AUTHORITY))
        .hasMessageContaining("is sealed");
  }
}
