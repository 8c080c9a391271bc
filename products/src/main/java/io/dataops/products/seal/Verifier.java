package io.dataops.products.seal;

import io.dataops.core.BadInputException;
import io.dataops.core.StateRefusedException;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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
    // A state refusal (recorded as command.refused, as any other): a verify asked of a destroyed version left no trace.
    // A destruction killed mid-way has no certificate yet (found by a probe: it was pointed to one all the same).
    if (v.state() == VersionState.DESTROYING) {
      throw new StateRefusedException(v.label() + " is being destroyed: its destruction is unfinished (no certificate "
          + "yet); run dataops product destroy " + product + " " + version + " again to complete it",
          List.of("product:" + product + "@" + version));
    }
    if (v.state() == VersionState.DESTROYED) {
      throw new StateRefusedException(v.label() + " was destroyed: there is nothing to verify (its destruction "
          + "certificate lists what was removed)", List.of("product:" + product + "@" + version));
    }
    io.dataops.core.CommitPoint.reached("verify-state-read");
    VerifyReport report;
    try {
      report = verifyFiles(product, version, v);
    } catch (org.apache.iceberg.exceptions.NotFoundException gone) {
      registry.refuseIfDestroyedMeanwhile(v, "verified");
      throw gone; // a file gone from a version no destruction touched
    }
    registry.refuseIfDestroyedMeanwhile(v, "verified"); // nor a verdict on files a destruction removed meanwhile
    return report;
  }

  private VerifyReport verifyFiles(String product, int version, ProductVersion v) {
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
      report = report.and(verifyArchive(ArchiveStore.holding(seal.archive(), lakehouse), seal.archive(), seal, recorded,
          algorithm));
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
  static VerifyReport verifyArchive(ArchiveStore store, String archive, SealRecord seal, List<VersionFile> recorded,
      DigestAlgorithm algorithm) {
    String manifestName = "archive/" + SealManifest.FILE_NAME;
    if (!store.exists(archive, SealManifest.FILE_NAME)) {
      return new VerifyReport(false, List.of(), List.of(manifestName), List.of(), 0, null);
    }
    byte[] bytes;
    try (InputStream in = store.open(archive, SealManifest.FILE_NAME)) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      return new VerifyReport(false, List.of(), List.of(manifestName), List.of(), 0, null);
    }
    List<String> changed = new ArrayList<>();
    if (!Digests.hex(algorithm, bytes).equals(seal.manifestDigest())) {
      changed.add(manifestName);
    }
    SealManifest manifest;
    try {
      manifest = Sealer.JSON.readValue(bytes, SealManifest.class);
    } catch (IOException e) {
      manifest = null;
    }
    if (manifest == null || manifest.files() == null) { // not a manifest any more
      return new VerifyReport(false, List.of(manifestName), List.of(), List.of(), 0, null);
    }
    VerifyReport files = compareArchive(store, archive, manifest, algorithm);
    // The manifest must list exactly the recorded files with their digests (a rewritten manifest is changed).
    Set<String> fromManifest = new HashSet<>();
    manifest.files().forEach(f -> fromManifest.add(f.name() + "|" + f.digest()));
    Set<String> fromRegistry = new HashSet<>();
    recorded.forEach(f -> fromRegistry.add(f.name() + "|" + f.digest()));
    if (!fromManifest.equals(fromRegistry) && !changed.contains(manifestName)) {
      changed.add(manifestName);
    }
    changed.addAll(files.changed());
    return new VerifyReport(changed.isEmpty() && files.missing().isEmpty() && files.added().isEmpty(), changed,
        files.missing(), files.added(), files.checked() + 1, null);
  }

  /** Each file the manifest lists against the archive; files in the archive it does not list are added. */
  static VerifyReport compareArchive(ArchiveStore store, String archive, SealManifest manifest,
      DigestAlgorithm algorithm) {
    List<String> changed = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    Set<String> listed = new HashSet<>();
    listed.add(SealManifest.FILE_NAME);
    Set<String> present = new HashSet<>(store.list(archive));
    for (SealManifest.ManifestFile f : manifest.files()) {
      listed.add(f.name());
      if (!present.contains(f.name())) {
        missing.add("archive/" + f.name());
        continue;
      }
      try (InputStream in = store.open(archive, f.name())) {
        if (!Digests.hex(algorithm, in).equals(f.digest())) {
          changed.add("archive/" + f.name());
        }
      } catch (IOException e) {
        missing.add("archive/" + f.name());
      }
    }
    List<String> added = new ArrayList<>();
    for (String name : present) {
      if (!listed.contains(name)) {
        added.add("archive/" + name);
      }
    }
    added.sort(String::compareTo);
    return new VerifyReport(changed.isEmpty() && missing.isEmpty() && added.isEmpty(), changed, missing, added,
        manifest.files().size(), null);
  }
}
