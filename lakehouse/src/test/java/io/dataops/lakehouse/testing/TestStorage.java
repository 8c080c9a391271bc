package io.dataops.lakehouse.testing;

import io.dataops.lakehouse.catalog.LakehouseConfig;
import java.nio.file.Path;

/**
 * The storage profile the fixtures' lakehouses use: a local warehouse under the home by default, or a bucket of the
 * in-process {@link S3Server} when the tests run with {@code -Ddataops.test.storage=s3} (the same tests on both
 * profiles, rather than copies of them).
 */
public final class TestStorage {
  public static final String PROPERTY = "dataops.test.storage";

  private TestStorage() {}

  public static boolean s3() {
    String profile = System.getProperty(PROPERTY, System.getenv().getOrDefault("DATAOPS_TEST_STORAGE", "local"));
    return profile.equalsIgnoreCase("s3");
  }

  /** An embedded catalog under {@code home}, its warehouse local or in a new bucket as the profile says. */
  public static LakehouseConfig embedded(Path home) {
    return s3() ? onS3(home) : LakehouseConfig.embedded(home);
  }

  /**
   * What a child JVM of a test needs to open the same lakehouse ({@link #inChild}): the warehouse and, for a bucket,
   * the server and its keys, in the environment (never on the command line).
   */
  public static java.util.Map<String, String> childEnvironment(LakehouseConfig config) {
    if (!config.onObjectStorage()) {
      return java.util.Map.of();
    }
    var store = config.objectStore();
    return java.util.Map.of("DATAOPS_TEST_WAREHOUSE", config.warehouse(), "AWS_ENDPOINT_URL",
        store.endpoint().toString(), "AWS_ACCESS_KEY_ID", store.accessKeyId(), "AWS_SECRET_ACCESS_KEY",
        store.secretAccessKey(), "DATAOPS_TEST_CACHE_DIR",
        config.extra().get(io.dataops.lakehouse.storage.ReadThroughCache.DIR));
  }

  /** In a child JVM: the lakehouse of {@code home} as its parent test has it ({@link #childEnvironment}). */
  public static LakehouseConfig inChild(Path home) {
    LakehouseConfig embedded = LakehouseConfig.embedded(home);
    String warehouse = System.getenv("DATAOPS_TEST_WAREHOUSE");
    if (warehouse == null) {
      return embedded;
    }
    var store = new io.dataops.lakehouse.storage.ObjectStore(java.net.URI.create(System.getenv("AWS_ENDPOINT_URL")),
        null, true, System.getenv("AWS_ACCESS_KEY_ID"), System.getenv("AWS_SECRET_ACCESS_KEY"));
    return LakehouseConfig.onObjectStore(embedded.catalogUri(), null, null, warehouse, store)
        .with(java.util.Map.of(io.dataops.lakehouse.storage.ReadThroughCache.DIR,
            System.getenv("DATAOPS_TEST_CACHE_DIR")));
  }

  /** An embedded catalog under {@code home} with its warehouse in a new bucket, whatever the profile. */
  public static LakehouseConfig onS3(Path home) {
    return S3Server.lakehouse(home, S3Server.newBucket(home.getFileName() == null ? "home" : home.getFileName()
        .toString()));
  }
}
