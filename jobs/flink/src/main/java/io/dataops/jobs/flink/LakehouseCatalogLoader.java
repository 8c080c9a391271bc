package io.dataops.jobs.flink;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.secrets.ShippedSecrets;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.flink.CatalogLoader;

/**
 * Opens our lakehouse's catalog wherever Flink needs it (the client and the JobManager, which plans the splits of a
 * source), through {@link Lakehouse#open} itself: the same JDBC settings, retries and FileIO as every other caller,
 * rather than a second copy of them. Serializable (Flink ships it with the job) without its secrets: the catalog
 * password and the S3 secret key are found again where it is opened ({@link ShippedSecrets}).
 */
public final class LakehouseCatalogLoader implements CatalogLoader {
  private static final long serialVersionUID = 2L;
  private static final String S3_SECRET = "s3.secret-access-key";

  private final String catalogUri;
  private final String catalogUser;
  private final boolean needsPassword;
  private final String warehouse;
  /** The configuration's other settings, less the S3 secret. */
  private final HashMap<String, String> extra;
  private final boolean needsS3Secret;

  public LakehouseCatalogLoader(LakehouseConfig config) {
    this.catalogUri = config.catalogUri();
    this.catalogUser = config.catalogUser();
    this.needsPassword = config.catalogPassword() != null;
    this.warehouse = config.warehouse();
    this.extra = new HashMap<>(config.extra());
    this.needsS3Secret = extra.remove(S3_SECRET) != null;
    // The secrets stay in this process for a job that runs in it (Lakehouse.open holds them too).
    ShippedSecrets.holdCatalogPassword(catalogUri, catalogUser, config.catalogPassword());
    ShippedSecrets.holdS3Secret(extra.get("s3.access-key-id"), config.extra().get(S3_SECRET));
  }

  /** The configuration with its secrets, as this process or host has them. */
  public LakehouseConfig config() {
    String password = needsPassword ? ShippedSecrets.catalogPassword(catalogUri, catalogUser) : null;
    Map<String, String> all = new HashMap<>(extra);
    if (needsS3Secret) {
      all.put(S3_SECRET, ShippedSecrets.s3Secret(extra.get("s3.access-key-id")));
    }
    return new LakehouseConfig(catalogUri, catalogUser, password, warehouse, all);
  }

  /** The catalog of a newly opened lakehouse; whoever loads it closes it (Iceberg's table loaders do). */
  @Override
  public Catalog loadCatalog() {
    return Lakehouse.open(config()).catalog();
  }

  @Override
  @SuppressWarnings({"checkstyle:NoClone", "checkstyle:SuperClone"})
  public CatalogLoader clone() {
    return this; // immutable
  }

  @Override
  public String toString() {
    return "LakehouseCatalogLoader[catalogUri=" + catalogUri + ", catalogUser=" + catalogUser + ", warehouse="
        + warehouse + "]";
  }
}
