package io.dataops.jobs.flink;

import io.dataops.lakehouse.catalog.Lakehouse;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.flink.CatalogLoader;

/**
 * Opens our lakehouse's catalog wherever Flink needs it (the client and the JobManager, which plans the splits of a
 * source), through {@link Lakehouse#open} itself: the same JDBC settings, retries and FileIO as every other caller,
 * rather than a second copy of them. Serializable (Flink ships it with the job); the password is never printed.
 */
public final class LakehouseCatalogLoader implements CatalogLoader {
  private static final long serialVersionUID = 1L;

  private final String catalogUri;
  private final String catalogUser;
  private final String catalogPassword;
  private final String warehouse;
  private final HashMap<String, String> extra;

  public LakehouseCatalogLoader(LakehouseConfig config) {
    this.catalogUri = config.catalogUri();
    this.catalogUser = config.catalogUser();
    this.catalogPassword = config.catalogPassword();
    this.warehouse = config.warehouse();
    this.extra = new HashMap<>(config.extra());
  }

  public LakehouseConfig config() {
    return new LakehouseConfig(catalogUri, catalogUser, catalogPassword, warehouse, Map.copyOf(extra));
  }

  /** The catalog of a newly opened lakehouse; whoever loads it closes it (Iceberg's table loaders do). */
  @Override
  public Catalog loadCatalog() {
    return Lakehouse.open(config()).catalog();
  }

  @Override
  @SuppressWarnings({"checkstyle:NoClone", "checkstyle:SuperClone"})
  public CatalogLoader clone() {
    return new LakehouseCatalogLoader(config());
  }

  @Override
  public String toString() {
    return "LakehouseCatalogLoader[" + config() + "]";
  }
}
