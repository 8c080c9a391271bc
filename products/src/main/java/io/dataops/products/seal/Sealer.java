package io.dataops.products.seal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dataops.core.BadInputException;
import io.dataops.core.StateRefusedException;
import io.dataops.core.audit.Actor;
import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.core.digest.DigestAlgorithm;
import io.dataops.core.digest.Digests;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.products.delivery.Delivery;
import io.dataops.products.lifecycle.Lifecycle;
import io.dataops.products.lifecycle.Move;
import io.dataops.products.registry.ProductRegistry;
import io.dataops.products.registry.ProductRegistry.SealRecord;
import io.dataops.products.registry.ProductVersion;
import io.dataops.products.registry.VersionFile;
import io.dataops.products.registry.VersionState;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Seals a version (封存): checks that its files are still exactly what was recorded, copies them with a
 * {@link SealManifest} into its archive ({@link ArchiveStore}: a read-only folder {@code archive/<product>/v<N>/} of
 * the home, or a bucket prefix with object lock where the server has it), records the manifest's digest and moves the
 * version to sealed, after which only the authority and auditors may read it. Interrupted at any point and run again,
 * it completes: an archive is complete only once its manifest is written, and a complete one that verifies is reused.
 */
public final class Sealer {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private final Lakehouse lakehouse;
  private final ProductRegistry registry;
  private final AuditSink audit;
  private final ArchiveStore archives;

  public Sealer(Lakehouse lakehouse, ProductRegistry registry, AuditSink audit, ArchiveStore archives) {
    this.lakehouse = lakehouse;
    this.registry = registry;
    this.audit = audit;
    this.archives = archives;
  }

  /** Archives in a local folder. */
  public Sealer(Lakehouse lakehouse, ProductRegistry registry, AuditSink audit, Path archiveRoot) {
    this(lakehouse, registry, audit, new LocalArchive(archiveRoot));
  }

  /** @param archive where the copy is: a folder, or {@code s3://BUCKET/prefix/<product>/v<N>} */
  public record SealResult(ProductVersion version, String archive, String manifestDigest, int files, long bytes,
      String objectLock) {}

  /**
   * Seals the version, holding the product's lock ({@link ProductRegistry#exclusive}) as a destruction does: a seal
   * that read the version published, then copied it while it was sealed by another and destroyed, renamed its copy
   * into place after the destruction (found by a probe: a whole archive of a destroyed version came back).
   */
  public SealResult seal(String product, int version, Actor actor) {
    try (var held = registry.exclusive(product, "sealing version " + version + " of product " + product)) {
      return sealHolding(product, version, actor);
    }
  }

  private SealResult sealHolding(String product, int version, Actor actor) {
    Lifecycle lifecycle = new Lifecycle(lakehouse, registry, audit);
    ProductVersion v = lifecycle.version(product, version);
    Lifecycle.check(Move.SEAL, v, actor);
    if (v.content() == null) {
      throw new BadInputException(v.label() + " has no content digest (made before digests existed): submit it "
          + "through review first");
    }
    Table table = lakehouse.load(TableIdentifier.parse(v.table()));
    List<VersionFile> files = registry.files(product, version);
    VerifyReport check = Verifier.compare(table.io(), files, List.of(), DigestAlgorithm.of(v.content().algorithm()));
    if (!check.ok()) {
      // A state refusal, so the command line records it (command.refused): tampering found at a seal left no trace.
      throw new StateRefusedException("cannot seal " + v.label() + ": its files are not what was recorded ("
          + check.changed().size() + " changed, " + check.missing().size() + " missing; see: dataops product verify "
          + product + " " + version + ")", List.of("product:" + product + "@" + version));
    }
    String archive = archives.locationOf(product, version);
    SealManifest manifest = new SealManifest(product, version, v.table(), v.snapshotId(), v.tag(),
        v.content().algorithm(), v.content().merkleRoot(), files.stream().map(SealManifest.ManifestFile::of).toList(),
        v.content().schemaJson(), v.lineage(), actor.user(), actor.organization(),
        OffsetDateTime.now(ZoneOffset.UTC).toString(), archives.immutability());
    String manifestDigest;
    try {
      manifestDigest = writeArchive(table, files, manifest, archive, DigestAlgorithm.of(v.content().algorithm()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the archive copy of " + v.label() + " to " + archive, e);
    }
    if (registry.seal(product, version).isEmpty()) {
      registry.recordSeal(new SealRecord(product, version, archive, manifestDigest,
          v.content().algorithm(), manifest.sealedAt(), actor.user()));
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("from", v.state().label());
    details.put("archive", archive);
    details.put("objectLock", manifest.objectLock());
    details.put("manifestDigest", manifestDigest);
    details.put("merkleRoot", v.content().merkleRoot());
    details.put("files", files.size());
    // Only the authority and auditors read a sealed version: a URL handed out before stops working now, not when it
    // expires (up to 7 days; found by a probe). Removed before the move, under the version's hand-out lock: no URL is
    // handed out between the removal and the move, and a hand-out checking after the move is refused and removes its
    // object, so a seal killed right after its move leaves no URL working (before, every one, then those of a moment).
    try (var handouts = registry.handouts(product, version, "sealing " + v.label())) {
      Delivery.removeObjects(lakehouse, product, version);
      if (!registry.move(product, version, v.state(), VersionState.SEALED, actor, Move.SEAL.role(), null, null, audit,
          AuditEvent.ok("product.seal", List.of("product:" + product + "@" + version, "snapshot:" + v.snapshotId()),
              details))) {
        throw new BadInputException(v.label() + " changed state while it was being sealed; run the command again");
      }
    }
    long bytes = files.stream().mapToLong(VersionFile::size).sum();
    return new SealResult(lifecycle.version(product, version), archive, manifestDigest, files.size(), bytes,
        manifest.objectLock());
  }

  /**
   * Copies the files and writes the manifest (the last, so that an archive with a manifest is complete). A complete
   * archive already there (an interrupted seal after the manifest was written) is reused when it verifies; what an
   * interrupted seal left before that is discarded first. Returns the manifest's digest.
   */
  private String writeArchive(Table table, List<VersionFile> files, SealManifest manifest, String archive,
      DigestAlgorithm algorithm) throws IOException {
    if (archives.exists(archive, SealManifest.FILE_NAME)) {
      byte[] bytes;
      try (InputStream in = archives.open(archive, SealManifest.FILE_NAME)) {
        bytes = in.readAllBytes();
      }
      SealManifest existing = JSON.readValue(bytes, SealManifest.class);
      VerifyReport again = Verifier.compareArchive(archives, archive, existing, algorithm);
      if (again.ok() && existing.merkleRoot().equals(manifest.merkleRoot())) {
        return Digests.hex(algorithm, bytes);
      }
      archives.discardIncomplete(archive);
    } else if (!archives.list(archive).isEmpty()) {
      archives.discardIncomplete(archive);
    }
    List<ArchiveStore.Entry> entries = files.stream().map(f -> new ArchiveStore.Entry(f.name(), f.size(), f.digest(),
        () -> table.io().newInputFile(f.location()).newStream())).toList();
    byte[] bytes = JSON.writeValueAsBytes(manifest);
    archives.write(archive, entries, bytes, algorithm);
    return Digests.hex(algorithm, bytes);
  }
}
