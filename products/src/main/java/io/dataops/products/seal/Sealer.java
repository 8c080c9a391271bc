package io.dataops.products.seal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dataops.core.BadInputException;
import io.dataops.core.audit.Actor;
import io.dataops.core.audit.AuditEvent;
import io.dataops.core.audit.AuditSink;
import io.dataops.core.digest.DigestAlgorithm;
import io.dataops.core.digest.Digests;
import io.dataops.core.files.OwnerOnly;
import io.dataops.lakehouse.catalog.Lakehouse;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Seals a version (封存): checks that its files are still exactly what was recorded, copies them with a
 * {@link SealManifest} into a read-only archive folder {@code archive/<product>/v<N>/}, records the manifest's digest
 * and moves the version to sealed, after which only the authority and auditors may read it. Interrupted at any point
 * and run again, it completes: the copy is made in a scratch folder and renamed into place whole.
 */
public final class Sealer {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private final Lakehouse lakehouse;
  private final ProductRegistry registry;
  private final AuditSink audit;
  private final Path archiveRoot;

  public Sealer(Lakehouse lakehouse, ProductRegistry registry, AuditSink audit, Path archiveRoot) {
    this.lakehouse = lakehouse;
    this.registry = registry;
    this.audit = audit;
    this.archiveRoot = archiveRoot;
  }

  /** The archive folder of a version. */
  public static Path archiveOf(Path archiveRoot, String product, int version) {
    return archiveRoot.resolve(product).resolve(ProductVersion.tagOf(version));
  }

  public record SealResult(ProductVersion version, Path archive, String manifestDigest, int files, long bytes) {}

  public SealResult seal(String product, int version, Actor actor) {
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
      throw new BadInputException("cannot seal " + v.label() + ": its files are not what was recorded ("
          + check.changed().size() + " changed, " + check.missing().size() + " missing; see: dataops product verify "
          + product + " " + version + ")");
    }
    Path archive = archiveOf(archiveRoot, product, version);
    SealManifest manifest = new SealManifest(product, version, v.table(), v.snapshotId(), v.tag(),
        v.content().algorithm(), v.content().merkleRoot(), files.stream().map(SealManifest.ManifestFile::of).toList(),
        v.content().schemaJson(), v.lineage(), actor.user(), actor.organization(),
        OffsetDateTime.now(ZoneOffset.UTC).toString());
    String manifestDigest;
    try {
      manifestDigest = writeArchive(table, files, manifest, archive, DigestAlgorithm.of(v.content().algorithm()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the archive copy of " + v.label() + " under " + archiveRoot, e);
    }
    if (registry.seal(product, version).isEmpty()) {
      registry.recordSeal(new SealRecord(product, version, archive.toString(), manifestDigest,
          v.content().algorithm(), manifest.sealedAt(), actor.user()));
    }
    if (!registry.move(product, version, v.state(), VersionState.SEALED, actor, Move.SEAL.role(), null, null)) {
      throw new BadInputException(v.label() + " changed state while it was being sealed; run the command again");
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("from", v.state().label());
    details.put("archive", archive.toString());
    details.put("manifestDigest", manifestDigest);
    details.put("merkleRoot", v.content().merkleRoot());
    details.put("files", files.size());
    audit.record(AuditEvent.ok("product.seal", List.of("product:" + product + "@" + version,
        "snapshot:" + v.snapshotId()), details));
    long bytes = files.stream().mapToLong(VersionFile::size).sum();
    return new SealResult(lifecycle.version(product, version), archive, manifestDigest, files.size(), bytes);
  }

  /**
   * Copies the files and writes the manifest in a scratch folder, makes everything read-only and renames the folder
   * into place. A complete archive already there (an interrupted seal after the rename) is reused when it verifies.
   * Returns the manifest's digest.
   */
  private static String writeArchive(Table table, List<VersionFile> files, SealManifest manifest, Path archive,
      DigestAlgorithm algorithm) throws IOException {
    Path manifestFile = archive.resolve(SealManifest.FILE_NAME);
    if (Files.isRegularFile(manifestFile)) {
      SealManifest existing = JSON.readValue(manifestFile.toFile(), SealManifest.class);
      VerifyReport again = Verifier.compareArchive(archive, existing, algorithm);
      if (again.ok() && existing.merkleRoot().equals(manifest.merkleRoot())) {
        return Digests.hex(algorithm, manifestFile);
      }
      deleteTree(archive);
    } else if (Files.exists(archive)) {
      deleteTree(archive);
    }
    OwnerOnly.directories(archive.getParent());
    Path scratch = Files.createTempDirectory(archive.getParent(), "." + archive.getFileName() + ".partial-",
        PosixFilePermissions.asFileAttribute(OwnerOnly.FOLDER));
    try {
      for (VersionFile f : files) {
        Path target = scratch.resolve(f.name()).normalize();
        if (!target.startsWith(scratch)) {
          throw new IllegalStateException("a file name leaves the archive folder: " + f.name());
        }
        OwnerOnly.directories(target.getParent());
        try (InputStream in = table.io().newInputFile(f.location()).newStream()) {
          OwnerOnly.copy(in, target);
        }
        if (!Digests.hex(algorithm, target).equals(f.digest())) {
          throw new IllegalStateException("the archive copy of " + f.name() + " differs from the file it copies");
        }
      }
      OwnerOnly.write(scratch.resolve(SealManifest.FILE_NAME), JSON.writeValueAsBytes(manifest));
      readOnly(scratch);
      Files.move(scratch, archive, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      deleteTree(scratch);
      throw e;
    }
    return Digests.hex(algorithm, manifestFile);
  }

  /** Files 0400 and folders 0500: an archive is not changed in place (S3 object lock comes with object storage). */
  static void readOnly(Path root) throws IOException {
    List<Path> all;
    try (Stream<Path> walk = Files.walk(root)) {
      all = walk.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : all) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "r-x------"
          : "r--------"));
    }
  }

  /** Removes a folder tree, read-only parts included. */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    List<Path> all = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.forEach(all::add);
    }
    for (Path p : all) {
      if (Files.isDirectory(p)) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
      }
    }
    all.sort(Comparator.reverseOrder());
    for (Path p : all) {
      Files.deleteIfExists(p);
    }
  }
}
