package io.dataops.products.seal;

import io.dataops.core.BadInputException;
import io.dataops.core.digest.DigestAlgorithm;
import io.dataops.core.digest.Digests;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.products.registry.ProductRegistry;
import io.dataops.products.registry.ProductRegistry.SealRecord;
import io.dataops.products.registry.ProductVersion;
import io.dataops.products.registry.VersionContent;
import io.dataops.products.registry.VersionFile;
import io.dataops.products.registry.VersionState;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileIO;

/**
 * Recomputes every digest of a version and compares it with the record: the files in the warehouse against the
 * registry (and the files the version's snapshot reads against the recorded list), the Merkle root, and for a sealed
 * version the archive copy and its manifest against the seal.
 */
public final class Verifier {
  private final Lakehouse lakehouse;
  private final ProductRegistry registry;

  public Verifier(Lakehouse lakehouse, ProductRegistry registry) {
    this.lakehouse = lakehouse;
    this.registry = registry;
  }

  public VerifyReport verify(String product, int version) {
    ProductVersion v = registry.find(product, version).orElseThrow(() -> new BadInputException("no version "
        + version + " of product " + product + " (see: dataops product list)"));
    if (v.state() == VersionState.DESTROYED || v.state() == VersionState.DESTROYING) {
      throw new BadInputException(v.label() + " was destroyed: there is nothing to verify (its destruction "
          + "certificate lists what was removed)");
    }
    if (v.content() == null) {
      throw new BadInputException(v.label() + " was made before content digests existed: submit it to record them");
    }
    DigestAlgorithm algorithm = DigestAlgorithm.of(v.content().algorithm());
    List<VersionFile> recorded = registry.files(product, version);
    Table table = lakehouse.load(TableIdentifier.parse(v.table()));
    List<String> present = snapshotFiles(table, v.snapshotId());
    VerifyReport report = compare(table.io(), recorded, present, algorithm);
    String root = VersionContent.merkleRoot(recorded, algorithm);
    List<String> changed = new ArrayList<>(report.changed());
    if (!root.equals(v.content().merkleRoot())) {
      changed.add("merkle-root");
    }
    report = new VerifyReport(report.ok() && changed.size() == report.changed().size(), changed, report.missing(),
        report.added(), report.checked(), root);
    SealRecord seal = registry.seal(product, version).orElse(null);
    if (seal != null && v.state() == VersionState.SEALED) {
      report = report.and(verifyArchive(Path.of(seal.archive()), seal, recorded, algorithm));
    }
    return report;
  }

  /** The names of the files a snapshot reads (data and delete files); every recorded file missing when it is gone. */
  private static List<String> snapshotFiles(Table table, long snapshotId) {
    if (table.snapshot(snapshotId) == null) {
      return List.of();
    }
    Set<String> names = new TreeSet<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(snapshotId).planFiles()) {
      for (FileScanTask t : tasks) {
        names.add(VersionContent.nameOf(table.location(), t.file().location()));
        for (DeleteFile d : t.deletes()) {
          names.add(VersionContent.nameOf(table.location(), d.location()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ArrayList<>(names);
  }

  /**
   * Recorded files against storage (each digest recomputed through the FileIO) and, when {@code present} is not
   * empty, against the names the snapshot reads: unrecorded ones are {@code added}, recorded ones the snapshot no
   * longer reads are {@code missing}.
   */
  static VerifyReport compare(FileIO io, List<VersionFile> recorded, List<String> present, DigestAlgorithm algorithm) {
    List<String> changed = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    Set<String> recordedNames = new HashSet<>();
    for (VersionFile f : recorded) {
      recordedNames.add(f.name());
      var in = io.newInputFile(f.location());
      if (!in.exists()) {
        missing.add(f.name());
        continue;
      }
      String digest;
      try (InputStream s = in.newStream()) {
        digest = Digests.hex(algorithm, s);
      } catch (IOException e) {
        missing.add(f.name());
        continue;
      }
      if (!digest.equals(f.digest()) || in.getLength() != f.size()) {
        changed.add(f.name());
      }
    }
    List<String> added = new ArrayList<>();
    if (!present.isEmpty()) {
      Set<String> presentNames = new HashSet<>(present);
      for (String name : present) {
        if (!recordedNames.contains(name)) {
          added.add(name);
        }
      }
      for (VersionFile f : recorded) {
        if (!presentNames.contains(f.name()) && !missing.contains(f.name())) {
          missing.add(f.name());
        }
      }
    }
    return new VerifyReport(changed.isEmpty() && missing.isEmpty() && added.isEmpty(), changed, missing, added,
        recorded.size(), null);
  }

  /** The archive copy against its manifest, the manifest against the seal record and the registry. */
  static VerifyReport verifyArchive(Path archive, SealRecord seal, List<VersionFile> recorded,
      DigestAlgorithm algorithm) {
    Path manifestFile = archive.resolve(SealManifest.FILE_NAME);
    if (!Files.isRegularFile(manifestFile)) {
      return new VerifyReport(false, List.of(), List.of("archive/" + SealManifest.FILE_NAME), List.of(), 0, null);
    }
    List<String> changed = new ArrayList<>();
    if (!Digests.hex(algorithm, manifestFile).equals(seal.manifestDigest())) {
      changed.add("archive/" + SealManifest.FILE_NAME);
    }
    SealManifest manifest;
    try {
      manifest = Sealer.JSON.readValue(manifestFile.toFile(), SealManifest.class);
    } catch (IOException e) {
      return new VerifyReport(false, List.of("archive/" + SealManifest.FILE_NAME), List.of(), List.of(), 0, null);
    }
    VerifyReport files = compareArchive(archive, manifest, algorithm);
    // The manifest must list exactly the recorded files with their digests (a rewritten manifest is changed).
    Set<String> fromManifest = new HashSet<>();
    manifest.files().forEach(f -> fromManifest.add(f.name() + "|" + f.digest()));
    Set<String> fromRegistry = new HashSet<>();
    recorded.forEach(f -> fromRegistry.add(f.name() + "|" + f.digest()));
    if (!fromManifest.equals(fromRegistry) && !changed.contains("archive/" + SealManifest.FILE_NAME)) {
      changed.add("archive/" + SealManifest.FILE_NAME);
    }
    changed.addAll(files.changed());
    return new VerifyReport(changed.isEmpty() && files.missing().isEmpty() && files.added().isEmpty(), changed,
        files.missing(), files.added(), files.checked() + 1, null);
  }

  /** Each file the manifest lists against the archive folder; files in the folder it does not list are added. */
  static VerifyReport compareArchive(Path archive, SealManifest manifest, DigestAlgorithm algorithm) {
    List<String> changed = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    Set<String> listed = new HashSet<>();
    listed.add(SealManifest.FILE_NAME);
    for (SealManifest.ManifestFile f : manifest.files()) {
      listed.add(f.name());
      Path p = archive.resolve(f.name()).normalize();
      if (!p.startsWith(archive) || !Files.isRegularFile(p)) {
        missing.add("archive/" + f.name());
      } else if (!Digests.hex(algorithm, p).equals(f.digest())) {
        changed.add("archive/" + f.name());
      }
    }
    List<String> added = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(archive)) {
      walk.filter(Files::isRegularFile).forEach(p -> {
        String name = archive.relativize(p).toString().replace('\\', '/');
        if (!listed.contains(name)) {
          added.add("archive/" + name);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the archive " + archive, e);
    }
    added.sort(String::compareTo);
    return new VerifyReport(changed.isEmpty() && missing.isEmpty() && added.isEmpty(), changed, missing, added,
        manifest.files().size(), null);
  }
}
