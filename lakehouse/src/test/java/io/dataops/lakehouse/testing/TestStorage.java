package io.dataops.lakehouse.testing;

import io.dataops.core.testing.PostgresServer;
import io.dataops.core.testing.TestDatabase;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.storage.ObjectStore;
import io.dataops.lakehouse.storage.ReadThroughCache;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The profile the fixtures' lakehouses use, the same tests on each rather than copies of them. Storage: a local
 * warehouse under the home by default, or a bucket of the in-process {@link S3Server} with
 * {@code -Ddataops.test.storage=s3} (env {@code DATAOPS_TEST_STORAGE}). Database: the catalog's SQLite file under the
 * home by default, or with {@code -Ddataops.test.db=postgres} (env {@code DATAOPS_TEST_DB}) a fresh database per home
 * on {@link PostgresServer}'s cluster ({@link TestDatabase}); every platform table and Spring Batch's job repository follow the catalog.
 */
public final class TestStorage {
  public static final String PROPERTY = "dataops.test.storage";
  public static final String DB_PROPERTY = TestDatabase.PROPERTY;
  private static final Map<Path, LakehouseConfig> HOMES = new ConcurrentHashMap<>();

  private TestStorage() {}

  public static boolean s3() {
    String profile = System.getProperty(PROPERTY, System.getenv().getOrDefault("DATAOPS_TEST_STORAGE", "local"));
    return profile.equalsIgnoreCase("s3");
  }

  public static boolean postgres() {
    return TestDatabase.postgres();
  }

  /**
   * An embedded catalog for {@code home}: its warehouse and its database where the profile says. A bucket and a
   * database are made on the first call for a home; later calls give the same ones, so a test can reopen its
   * lakehouse.
   */
  public static LakehouseConfig embedded(Path home) {
    if (!s3() && !postgres()) {
      return LakehouseConfig.embedded(home);
    }
    return HOMES.computeIfAbsent(home.toAbsolutePath().normalize(),
        h -> s3() ? onS3(h) : onPostgres(LakehouseConfig.embedded(h)));
  }

  /** The catalog of {@code config} in a new, empty database on the test cluster when the profile says so. */
  private static LakehouseConfig onPostgres(LakehouseConfig config) {
    if (!postgres()) {
      return config;
    }
    return new LakehouseConfig(TestDatabase.fresh("home"), TestDatabase.USER, null, config.warehouse(),
        config.extra());
  }

  /**
   * What a child JVM of a test needs to open the same lakehouse ({@link #inChild}), in the environment (never on
   * the command line): the warehouse and, for a bucket, the server and its keys; the catalog when it is not the
   * home's SQLite file.
   */
  public static Map<String, String> childEnvironment(LakehouseConfig config) {
    Map<String, String> env = new HashMap<>();
    if (config.onObjectStorage()) {
      var store = config.objectStore();
      env.putAll(Map.of("DATAOPS_TEST_WAREHOUSE", config.warehouse(), "AWS_ENDPOINT_URL",
          store.endpoint().toString(), "AWS_ACCESS_KEY_ID", store.accessKeyId(), "AWS_SECRET_ACCESS_KEY",
          store.secretAccessKey(), "DATAOPS_TEST_CACHE_DIR", config.extra().get(ReadThroughCache.DIR)));
    }
    if (!config.isEmbedded()) {
      env.put("DATAOPS_TEST_CATALOG_URI", config.catalogUri());
      env.put("DATAOPS_TEST_CATALOG_USER", config.catalogUser());
    }
    return Map.copyOf(env);
  }

  /** In a child JVM: the lakehouse of {@code home} as its parent test has it ({@link #childEnvironment}). */
  public static LakehouseConfig inChild(Path home) {
    LakehouseConfig config = LakehouseConfig.embedded(home);
    String warehouse = System.getenv("DATAOPS_TEST_WAREHOUSE");
    if (warehouse != null) {
      var store = new ObjectStore(URI.create(System.getenv("AWS_ENDPOINT_URL")), null, true,
          System.getenv("AWS_ACCESS_KEY_ID"), System.getenv("AWS_SECRET_ACCESS_KEY"));
      config = LakehouseConfig.onObjectStore(config.catalogUri(), null, null, warehouse, store)
          .with(Map.of(ReadThroughCache.DIR, System.getenv("DATAOPS_TEST_CACHE_DIR")));
    }
    String catalog = System.getenv("DATAOPS_TEST_CATALOG_URI");
    if (catalog != null) {
      config = new LakehouseConfig(catalog, System.getenv("DATAOPS_TEST_CATALOG_USER"), null, config.warehouse(),
          config.extra());
    }
    return config;
  }

  /**
   * The settings of the platform's command line ({@code PlatformConfig}) that put a home's catalog where the
   * database profile says: a new PostgreSQL database, or none (the home's SQLite file).
   */
  public static Map<String, String> catalogEnvironment() {
    if (!postgres()) {
      return Map.of();
    }
    return Map.of("DATAOPS_CATALOG_URI", TestDatabase.fresh("cli"), "DATAOPS_CATALOG_USER", TestDatabase.USER);
  }

  /**
   * A catalog for {@code home} with its warehouse in a new bucket whatever the storage profile, and its database as
   * the profile says (for the tests of object storage itself).
   */
  public static LakehouseConfig onS3(Path home) {
    return onPostgres(S3Server.lakehouse(home, S3Server.newBucket(home.getFileName() == null ? "home"
        : home.getFileName().toString())));
  }
}
