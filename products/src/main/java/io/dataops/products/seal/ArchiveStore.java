package io.dataops.products.seal;

import io.dataops.core.digest.DigestAlgorithm;
import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Where sealed versions' archive copies live: a folder of the home ({@link LocalArchive}, read-only files) or a
 * prefix of a bucket ({@link BucketArchive}, object lock when the server has it, else the platform's own refusal). An
 * archive is named by its location ({@code <root>/<product>/v<N>}), which the seal records; names inside it are the
 * files' names inside the table's folder, plus {@link SealManifest#FILE_NAME}.
 */
public sealed interface ArchiveStore permits LocalArchive, BucketArchive {

  /** One file to archive: its name in the archive, size and digest as recorded, and its bytes. */
  record Entry(String name, long size, String digest, Source content) {}

  /** Opens a file's bytes (from the warehouse, through the table's FileIO). */
  interface Source {
    InputStream open() throws IOException;
  }

  /** The store under a root: {@code s3://BUCKET/prefix} on the warehouse's object store, else a local folder. */
  static ArchiveStore at(String root, Lakehouse lakehouse, ObjectLock.Policy policy) {
    if (ObjectStore.isObjectLocation(root)) {
      ObjectStore store = lakehouse.config().objectStore();
      if (store == null) {
        store = new ObjectStore(null, null, true, null, null);
      }
      return new BucketArchive(store, root, policy);
    }
    return new LocalArchive(Path.of(root));
  }

  /** The store that holds a recorded archive location (for verify and destroy, which only read and remove). */
  static ArchiveStore holding(String archive, Lakehouse lakehouse) {
    return at(archive, lakehouse, ObjectLock.Policy.DEFAULT);
  }

  /** Where the archive copy of a version goes. */
  String locationOf(String product, int version);

  /**
   * The folder of the audit chain's anchors: one archive per checkpoint, whose manifest is the checkpoint. Its name
   * begins with '_', which no product name does.
   */
  String anchorsLocation();

  /** What keeps the archive unchanged, as the seal manifest's {@code objectLock} records it. */
  String immutability();

  /** The names of the files in the archive, sorted (empty when there is none). */
  List<String> list(String archive);

  /** One file of the archive; {@link java.io.FileNotFoundException} or similar when it is not there. */
  InputStream open(String archive, String name) throws IOException;

  /** True when the archive holds this file. */
  boolean exists(String archive, String name);

  /**
   * Writes a complete archive: every file, each checked against its recorded digest while it is copied, then the
   * manifest, the last so that an archive with a manifest is complete. Refuses to replace a complete archive.
   */
  void write(String archive, List<Entry> files, byte[] manifest, DigestAlgorithm algorithm) throws IOException;

  /** Removes what an interrupted seal left (an archive without a manifest, or one that no longer verifies). */
  void discardIncomplete(String archive) throws IOException;

  /** Removes the archive (a destruction: the only caller). */
  void remove(String archive) throws IOException;

  /** What is left of the archive after {@link #remove}: files, and object versions where a bucket keeps them. */
  List<String> left(String archive);
}
