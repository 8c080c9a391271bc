package io.dataops.products.seal;

import io.dataops.core.BadInputException;
import io.dataops.core.digest.DigestAlgorithm;
import io.dataops.core.digest.Digests;
import io.dataops.lakehouse.storage.ObjectStore;
import io.dataops.products.registry.ProductVersion;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Archives under a bucket prefix: {@code s3://BUCKET/prefix/<product>/v<N>/}. Files are put first and the manifest
 * last, so an archive whose manifest exists is complete; each object is put with a retention when the bucket has
 * object lock ({@link ObjectLock}), and in every case the platform refuses to put over an archived object or to remove
 * a complete archive other than by a destruction. The AWS SDK's client of the warehouse's store does the calls
 * (FileIO cannot send object-lock headers); one client per store and process.
 */
public final class BucketArchive implements ArchiveStore {
  private static final Map<ObjectStore, S3Client> CLIENTS = new ConcurrentHashMap<>();

  private final ObjectStore store;
  private final String root;
  private final String bucket;
  private final ObjectLock.Policy policy;

  public BucketArchive(ObjectStore store, String root, ObjectLock.Policy policy) {
    this.store = store;
    this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    this.bucket = ObjectStore.bucketOf(root);
    this.policy = policy;
  }

  private S3Client s3() {
    return CLIENTS.computeIfAbsent(store, ObjectStore::client);
  }

  /** The bucket's object lock and versioning, as the server said within the last minute ({@link ObjectLock#detect}). */
  public ObjectLock lock() {
    return ObjectLock.detect(s3(), String.valueOf(store.endpoint()), bucket, policy);
  }

  @Override
  public String locationOf(String product, int version) {
    return root + "/" + product + "/" + ProductVersion.tagOf(version);
  }

  @Override
  public String anchorsLocation() {
    return root + "/_audit-checkpoints";
  }

  @Override
  public String immutability() {
    return lock().describe();
  }

  private String prefixOf(String archive) {
    if (!ObjectStore.bucketOf(archive).equals(bucket)) {
      throw new IllegalStateException("the archive " + archive + " is not in the bucket " + bucket);
    }
    String key = ObjectStore.keyOf(archive);
    return key.endsWith("/") ? key : key + "/";
  }

  private String keyOf(String archive, String name) {
    if (name.startsWith("/") || name.contains("../") || name.equals("..")) {
      throw new IllegalStateException("a file name leaves the archive: " + name);
    }
    return prefixOf(archive) + name;
  }

  @Override
  public List<String> list(String archive) {
    String prefix = prefixOf(archive);
    return s3().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
        .map(o -> o.key().substring(prefix.length())).sorted().toList();
  }

  @Override
  public InputStream open(String archive, String name) throws IOException {
    String key = keyOf(archive, name);
    try {
      return s3().getObject(b -> b.bucket(bucket).key(key));
    } catch (NoSuchKeyException e) {
      throw new FileNotFoundException("s3://" + bucket + "/" + key);
    }
  }

  @Override
  public boolean exists(String archive, String name) {
    String key = keyOf(archive, name);
    try {
      s3().headObject(b -> b.bucket(bucket).key(key));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public void write(String archive, List<Entry> files, byte[] manifest, DigestAlgorithm algorithm)
      throws IOException {
    if (!list(archive).isEmpty()) {
      throw new IllegalStateException("the archive " + archive + " holds objects: they are not overwritten");
    }
    ObjectLock lock = lock();
    for (Entry f : files) {
      String key = keyOf(archive, f.name());
      // The SDK retries a failed put by asking for the content again: each attempt reads the file anew, and the
      // digest of the last one is what was stored.
      MessageDigest[] md = new MessageDigest[1];
      ContentStreamProvider content = () -> {
        md[0] = algorithm.newDigest();
        try {
          return new DigestInputStream(f.content().open(), md[0]);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + f.name() + " to archive it", e);
        }
      };
      lock.put(key, RequestBody.fromContentProvider(content, f.size(), "application/octet-stream"),
          "application/octet-stream");
      if (!Digests.toHex(md[0].digest()).equals(f.digest())) {
        throw new IllegalStateException("the archive copy of " + f.name() + " differs from the file it copies");
      }
    }
    lock.put(keyOf(archive, SealManifest.FILE_NAME), RequestBody.fromBytes(manifest), "application/json");
  }

  @Override
  public void discardIncomplete(String archive) {
    if (exists(archive, SealManifest.FILE_NAME)) {
      throw new BadInputException("the archive " + archive + " is complete but does not verify: archived objects "
          + "are never overwritten (see: dataops product verify)");
    }
    lock().deleteAll(prefixOf(archive));
  }

  @Override
  public void remove(String archive) {
    lock().deleteAll(prefixOf(archive));
  }

  @Override
  public List<String> left(String archive) {
    return lock().left(prefixOf(archive));
  }
}
