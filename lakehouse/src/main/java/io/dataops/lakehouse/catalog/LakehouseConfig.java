package io.dataops.lakehouse.catalog;

import io.dataops.lakehouse.storage.ObjectStore;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the catalog and the warehouse live. The embedded default is an SQLite file and a local folder under the
 * home; production points {@code catalogUri} at PostgreSQL and {@code warehouse} at S3/MinIO. The password is
 * held only to open connections and is never printed ({@link #toString()} hides it). An {@code s3://BUCKET/prefix}
 * warehouse is reached through the {@link ObjectStore} whose settings {@code extra} carries (see {@link #onObjectStore}).
 */
public record LakehouseConfig(
    String catalogUri, String catalogUser, String catalogPassword, String warehouse, Map<String, String> extra) {

  public LakehouseConfig {
    extra = Map.copyOf(extra);
  }

  public static LakehouseConfig embedded(Path home) {
    Path abs = home.toAbsolutePath().normalize();
    return new LakehouseConfig("jdbc:sqlite:" + abs.resolve("catalog.db"), null, null,
        abs.resolve("warehouse").toUri().toString(), Map.of());
  }

  /** A warehouse on an S3-compatible server: its settings become the catalog's FileIO properties. */
  public static LakehouseConfig onObjectStore(String catalogUri, String catalogUser, String catalogPassword,
      String warehouse, ObjectStore store) {
    ObjectStore.bucketOf(warehouse);
    Map<String, String> extra = new HashMap<>(store.fileIoProperties());
    return new LakehouseConfig(catalogUri, catalogUser, catalogPassword, warehouse, extra);
  }

  /** The same configuration with more catalog properties (e.g. {@code dataops.cache.dir}). */
  public LakehouseConfig with(Map<String, String> more) {
    Map<String, String> all = new HashMap<>(extra);
    all.putAll(more);
    return new LakehouseConfig(catalogUri, catalogUser, catalogPassword, warehouse, all);
  }

  /** True when the warehouse is in a bucket ({@code s3://}). */
  public boolean onObjectStorage() {
    return ObjectStore.isObjectLocation(warehouse);
  }

  /** The object store the warehouse is on (the AWS SDK's defaults when none was configured), or null when local. */
  public ObjectStore objectStore() {
    if (!onObjectStorage()) {
      return null;
    }
    ObjectStore configured = ObjectStore.fromProperties(extra);
    return configured != null ? configured : new ObjectStore(null, null, false, null, null);
  }

  public boolean isEmbedded() {
    return catalogUri.startsWith("jdbc:sqlite:");
  }

  @Override
  public String toString() {
    return "LakehouseConfig[catalogUri=" + catalogUri + ", catalogUser=" + catalogUser
        + ", catalogPassword=" + (catalogPassword == null ? "none" : "(hidden)") + ", warehouse=" + warehouse + (onObjectStorage() ? ", " + objectStore() : "") + "]";
  }
}
