package io.dataops.products.seal;

import io.dataops.products.registry.ProductVersion.Lineage;
import io.dataops.products.registry.VersionFile;
import java.util.List;

/**
 * What a seal fixes: every file of the version with its size and digest, their Merkle root, the schema and the
 * lineage, who sealed it and when. Written as {@code manifest.json} beside the archive copy; its own digest is kept in
 * the registry and the audit trail, so a changed manifest is caught too. {@code objectLock} says what keeps the
 * archive unchanged: the bucket's retention (e.g. {@code governance, 3650 days}), {@code unsupported, enforced by the
 * platform}, or that it is a local folder of read-only files (null in manifests written before it existed).
 */
public record SealManifest(
    String product,
    int version,
    String table,
    long snapshotId,
    String tag,
    String algorithm,
    String merkleRoot,
    List<ManifestFile> files,
    String schemaJson,
    Lineage lineage,
    String sealedBy,
    String sealedByOrganization,
    String sealedAt,
    String objectLock) {

  public static final String FILE_NAME = "manifest.json";

  /** One file: its name inside the table's folder (and the archive), kind, size, rows and digest. */
  public record ManifestFile(String name, String kind, long size, long records, String digest) {
    static ManifestFile of(VersionFile f) {
      return new ManifestFile(f.name(), f.kind(), f.size(), f.records(), f.digest());
    }
  }
}
