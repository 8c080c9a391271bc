package io.dataops.lakehouse.catalog;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the catalog and the warehouse live. The embedded default is an SQLite file and a local folder under the
 * home; production points {@code catalogUri} at PostgreSQL and {@code warehouse} at S3/MinIO. The password is
 * held only to open connections and is never printed ({@link #toString()} hides it).
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

  public boolean isEmbedded() {
    return catalogUri.startsWith("jdbc:sqlite:");
  }

  @Override
  public String toString() {
    return "LakehouseConfig[catalogUri=" + catalogUri + ", catalogUser=" + catalogUser
        + ", catalogPassword=" + (catalogPassword == null ? "none" : "(hidden)") + ", warehouse=" + warehouse + "]";
  }
}
