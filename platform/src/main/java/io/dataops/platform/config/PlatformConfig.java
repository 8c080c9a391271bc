package io.dataops.platform.config;

import io.dataops.core.BadInputException;
import io.dataops.core.files.OwnerOnly;
import io.dataops.core.text.VisibleText;
import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.contract.PersonalData;
import io.dataops.lakehouse.storage.Documents;
import io.dataops.lakehouse.storage.ObjectStore;
import io.dataops.lakehouse.storage.ReadThroughCache;
import io.dataops.pipelines.definition.KeepLimits;
import io.dataops.products.seal.ArchiveStore;
import io.dataops.products.seal.ObjectLock;
import io.dataops.scheduler.airflow.AirflowApi;
import io.dataops.scheduler.airflow.AirflowSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where the platform keeps its state and which services it uses. Embedded by default (everything under the home);
 * production settings come from the environment or {@code <home>/dataops.properties}, the environment winning.
 * Secrets are read from the environment or a file named by the configuration, never written back or logged.
 *
 * <pre>
 * DATAOPS_CATALOG_URI            catalog.uri            jdbc:postgresql://host:5432/dataops
 * DATAOPS_CATALOG_USER           catalog.user
 * DATAOPS_CATALOG_PASSWORD       (environment only)
 * DATAOPS_CATALOG_PASSWORD_FILE  catalog.password-file  a file holding the password
 * DATAOPS_WAREHOUSE              warehouse              file:/data/warehouse or s3://bucket/warehouse
 * AWS_ENDPOINT_URL               s3.endpoint            the S3-compatible server, http://minio:9000 (s3:// warehouses)
 * AWS_REGION                     s3.region              its signing region (default us-east-1)
 * DATAOPS_S3_PATH_STYLE          s3.path-style          true (default: MinIO, S3Proxy) or false (virtual hosts)
 * AWS_ACCESS_KEY_ID              s3.access-key-id       with the secret below; both unset: the AWS SDK's own chain
 * AWS_SECRET_ACCESS_KEY          (environment only)
 * DATAOPS_S3_SECRET_FILE         s3.secret-access-key-file  a file holding the secret access key
 * DATAOPS_LANDING_BUCKET         landing.bucket         where departments put feeds (land --from-bucket):
 *                                                       s3://BUCKET[/prefix]; default the warehouse's bucket
 * DATAOPS_ARCHIVE                archive.location       sealed versions' archive copies: a folder, or
 *                                                       s3://BUCKET[/prefix] (default: s3://WAREHOUSE-BUCKET/archive
 *                                                       with an s3:// warehouse, else the home's archive/)
 * DATAOPS_ARCHIVE_LOCK_MODE      archive.lock-mode      governance (default) or compliance: S3 object lock retention
 * DATAOPS_ARCHIVE_RETENTION_DAYS archive.retention-days how long (default 3650 days)
 * DATAOPS_CACHE_DIR              cache.dir              DuckDB's local copies of s3:// data files (default: a
 *                                                       folder of the system's temp, never under the home)
 * DATAOPS_CACHE_MAX_BYTES        cache.max-bytes        their bound (default 2 GiB; least recently used go first)
 * DATAOPS_KEYS_FILE              keys.file              properties file of secret keys: name = hex
 * DATAOPS_KEY_&lt;NAME&gt;             (environment only)     one secret key in hex (wins over the keys file)
 * DATAOPS_MASK_LIMIT_&lt;KIND&gt;      mask.limit.&lt;kind&gt;      e.g. 4+4: the most of an id_card, mobile, bank_card or
 *                                                       name a policy may leave in clear (stricter than 6+4, 3+4,
 *                                                       6+4, 1+0)
 * DATAOPS_DIGEST                 digest                 sm3 (default) or sha256: product content digests (Merkle
 *                                                       roots, seal manifests, destruction certificates)
 * DATAOPS_FLINK_CLUSTER          flink.cluster          a Flink session cluster's JobManager REST address, host:port
 *                                                       (default: an in-process mini-cluster per job)
 * DATAOPS_AIRFLOW_URL            airflow.url            Airflow's API server, http://airflow:8080 (default: none)
 * DATAOPS_AIRFLOW_API            airflow.api            v2 (Airflow 3, the default) or v1 (Airflow 2)
 * DATAOPS_AIRFLOW_USERNAME       airflow.username
 * DATAOPS_AIRFLOW_PASSWORD       (environment only)
 * DATAOPS_AIRFLOW_PASSWORD_FILE  airflow.password-file  a file holding Airflow's password
 * DATAOPS_AIRFLOW_TIMEOUT        airflow.timeout-seconds  how long one request to Airflow may take in all, 1 to 600
 *                                                       (default 30)
 * </pre>
 *
 * @param keys the secret keys of pseudonymization and format-preserving encryption (see {@link ConfiguredKeys})
 * @param keepLimits the authority's limits on what a policy may leave of an identifier (see {@link KeepLimits})
 * @param digest the digest of product content (SM3, GB/T 32905, unless configured to SHA-256)
 * @param flinkCluster the Flink engine's session cluster (JobManager REST address), or null for a mini-cluster
 * @param airflow where Airflow's API server is and how to sign in, or null when none is configured
 * @param landingBucket the landing zone's bucket and prefix ({@code s3://BUCKET[/prefix]}), or null when none
 * @param archiveRoot where sealed versions' archive copies go: a folder, or {@code s3://BUCKET[/prefix]}
 * @param archiveLock the object-lock retention archived objects get where their bucket has object lock
 */
public record PlatformConfig(Path home, LakehouseConfig lakehouse, ConfiguredKeys keys, KeepLimits keepLimits,
    io.dataops.core.digest.DigestAlgorithm digest, String flinkCluster, AirflowSettings airflow,
    String landingBucket, String archiveRoot, ObjectLock.Policy archiveLock) {

  public static final String PROPERTIES_FILE = "dataops.properties";
  private static final String MASK_LIMIT = "mask.limit.";
  private static final String MASK_LIMIT_ENV = "DATAOPS_MASK_LIMIT_";

  /** The home: the option, else $DATAOPS_HOME, else ./dataops-home. */
  public static Path resolveHome(String option, Map<String, String> env) {
    String h = option != null ? option : env.get("DATAOPS_HOME");
    return Path.of(h != null && !h.isBlank() ? h : "dataops-home").toAbsolutePath().normalize();
  }

  public static PlatformConfig load(Path home, Map<String, String> env) {
    Properties file = new Properties();
    Path props = home.resolve(PROPERTIES_FILE);
    if (Files.isRegularFile(props)) {
      try (Reader r = Files.newBufferedReader(props, StandardCharsets.UTF_8)) {
        file.load(r);
      } catch (IOException e) {
        throw new BadInputException("cannot read " + props + " (" + e.getClass().getSimpleName() + ")");
      }
      if (file.containsKey("catalog.password")) {
        throw new BadInputException(props + ": do not put the password in this file; set DATAOPS_CATALOG_PASSWORD "
            + "or name a file with catalog.password-file");
      }
      if (file.containsKey("s3.secret-access-key")) {
        throw new BadInputException(props + ": do not put the S3 secret access key in this file; set "
            + "AWS_SECRET_ACCESS_KEY or name a file with s3.secret-access-key-file");
      }
      if (file.containsKey("airflow.password")) {
        throw new BadInputException(props + ": do not put Airflow's password in this file; set "
            + "DATAOPS_AIRFLOW_PASSWORD or name a file with airflow.password-file");
      }
    }
    LakehouseConfig embedded = LakehouseConfig.embedded(home);
    String uri = setting(env, file, "DATAOPS_CATALOG_URI", "catalog.uri", embedded.catalogUri());
    String user = setting(env, file, "DATAOPS_CATALOG_USER", "catalog.user", null);
    String password = secret(env, file, "DATAOPS_CATALOG_PASSWORD", "catalog.password-file", "catalog");
    String warehouse = setting(env, file, "DATAOPS_WAREHOUSE", "warehouse", embedded.warehouse());
    if (!uri.startsWith("jdbc:sqlite:") && !uri.startsWith("jdbc:postgresql:")) {
      throw new BadInputException("catalog.uri must be jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DB");
    }
    if (uri.startsWith("jdbc:postgresql:") && carriesPassword(uri)) {
      // A password there is in every message and stack trace that names the URI, and in the properties file.
      throw new BadInputException("catalog.uri must not carry credentials (user:password@ or a password parameter): "
          + "set the user with catalog.user and the password with DATAOPS_CATALOG_PASSWORD or catalog.password-file");
    }
    String keysFile = setting(env, file, "DATAOPS_KEYS_FILE", "keys.file", null);
    String digest = setting(env, file, "DATAOPS_DIGEST", "digest", "sm3");
    io.dataops.core.digest.DigestAlgorithm algorithm;
    try {
      algorithm = io.dataops.core.digest.DigestAlgorithm.of(digest);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("digest (DATAOPS_DIGEST) is sm3 or sha256, not '" + digest + "'");
    }
    LakehouseConfig lakehouse = ObjectStore.isObjectLocation(warehouse)
        ? LakehouseConfig.onObjectStore(uri, user, password, warehouse, objectStore(env, file))
        : new LakehouseConfig(uri, user, password, warehouse, Map.of());
    Map<String, String> cache = new java.util.HashMap<>();
    String cacheDir = setting(env, file, "DATAOPS_CACHE_DIR", "cache.dir", null);
    if (cacheDir != null) {
      Path dir = Path.of(cacheDir).toAbsolutePath().normalize();
      if (dir.startsWith(home)) {
        throw new BadInputException("cache.dir (DATAOPS_CACHE_DIR) must not be under the home: it holds copies of "
            + "data files");
      }
      cache.put(ReadThroughCache.DIR, dir.toString());
    }
    String cacheMax = setting(env, file, "DATAOPS_CACHE_MAX_BYTES", "cache.max-bytes", null);
    if (cacheMax != null) {
      try {
        cache.put(ReadThroughCache.MAX_BYTES, String.valueOf(Long.parseLong(cacheMax)));
      } catch (NumberFormatException e) {
        throw new BadInputException("cache.max-bytes (DATAOPS_CACHE_MAX_BYTES) is a number of bytes, not '"
            + cacheMax + "'");
      }
    }
    lakehouse = cache.isEmpty() ? lakehouse : lakehouse.with(cache);
    String landingBucket = setting(env, file, "DATAOPS_LANDING_BUCKET", "landing.bucket",
        ObjectStore.isObjectLocation(warehouse) ? "s3://" + ObjectStore.bucketOf(warehouse) : null);
    if (landingBucket != null && !ObjectStore.isObjectLocation(landingBucket)) {
      throw new BadInputException("landing.bucket (DATAOPS_LANDING_BUCKET) is s3://BUCKET[/prefix], not '"
          + landingBucket + "'");
    }
    if (landingBucket != null) {
      ObjectStore.bucketOf(landingBucket);
    }
    String archiveRoot = setting(env, file, "DATAOPS_ARCHIVE", "archive.location",
        ObjectStore.isObjectLocation(warehouse) ? "s3://" + ObjectStore.bucketOf(warehouse) + "/archive"
            : home.resolve("archive").toString());
    if (ObjectStore.isObjectLocation(archiveRoot)) {
      ObjectStore.bucketOf(archiveRoot);
      if (!ObjectStore.isObjectLocation(warehouse)) {
        throw new BadInputException("archive.location (DATAOPS_ARCHIVE) is in a bucket but the warehouse is not: "
            + "archives use the warehouse's S3 server (set DATAOPS_WAREHOUSE=s3://BUCKET/prefix too)");
      }
    } else if (archiveRoot.contains("://")) {
      throw new BadInputException("archive.location (DATAOPS_ARCHIVE) is a folder or s3://BUCKET[/prefix], not '"
          + archiveRoot + "'");
    } else {
      archiveRoot = Path.of(archiveRoot).toAbsolutePath().normalize().toString();
    }
    ObjectLock.Policy lock = ObjectLock.Policy.of(
        setting(env, file, "DATAOPS_ARCHIVE_LOCK_MODE", "archive.lock-mode", "governance"),
        setting(env, file, "DATAOPS_ARCHIVE_RETENTION_DAYS", "archive.retention-days", "3650"));
    return new PlatformConfig(home, lakehouse,
        ConfiguredKeys.of(home, env, keysFile), keepLimits(env, file, props), algorithm,
        setting(env, file, "DATAOPS_FLINK_CLUSTER", "flink.cluster", null), airflow(env, file), landingBucket,
        archiveRoot, lock);
  }

  /**
   * The S3-compatible server of an {@code s3://} warehouse: the AWS SDK's own environment variables, else the
   * properties file; the secret from the environment or a file the configuration names, never from the file itself.
   */
  private static ObjectStore objectStore(Map<String, String> env, Properties file) {
    String endpoint = setting(env, file, "AWS_ENDPOINT_URL", "s3.endpoint", null);
    String region = setting(env, file, "AWS_REGION", "s3.region", null);
    String pathStyle = setting(env, file, "DATAOPS_S3_PATH_STYLE", "s3.path-style", "true");
    if (!pathStyle.equals("true") && !pathStyle.equals("false")) {
      throw new BadInputException("s3.path-style (DATAOPS_S3_PATH_STYLE) is true or false, not '" + pathStyle + "'");
    }
    String keyId = setting(env, file, "AWS_ACCESS_KEY_ID", "s3.access-key-id", null);
    String secret = env.get("AWS_SECRET_ACCESS_KEY");
    String secretFile = setting(env, file, "DATAOPS_S3_SECRET_FILE", "s3.secret-access-key-file", null);
    if ((secret == null || secret.isBlank()) && secretFile != null) {
      secret = secretFile(secretFile, "S3 secret", "s3.secret-access-key-file", "AWS_SECRET_ACCESS_KEY");
    }
    java.net.URI uri;
    try {
      uri = endpoint == null ? null : java.net.URI.create(endpoint);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("the S3 endpoint (AWS_ENDPOINT_URL or s3.endpoint) is not a URL"
          + (endpoint.indexOf('@') < 0 ? ": " + endpoint : ""));
    }
    if (uri != null && uri.getRawUserInfo() != null) {
      // Found by a probe: taken in silence, as catalog.uri's is refused; it would be in every message naming the URL.
      throw new BadInputException("the S3 endpoint (AWS_ENDPOINT_URL or s3.endpoint) must not carry credentials "
          + "(user:password@): set AWS_ACCESS_KEY_ID, and AWS_SECRET_ACCESS_KEY or s3.secret-access-key-file");
    }
    return new ObjectStore(uri, region, Boolean.parseBoolean(pathStyle), keyId,
        secret == null || secret.isBlank() ? null : secret);
  }

  /** The longest an operator waits for one answer of Airflow before the command says it did not come. */
  static final long MAX_AIRFLOW_TIMEOUT_SECONDS = 600;

  /** Airflow's API server when airflow.url is set, else null; the password as the catalog's (never in the file). */
  private static AirflowSettings airflow(Map<String, String> env, Properties file) {
    String url = setting(env, file, "DATAOPS_AIRFLOW_URL", "airflow.url", null);
    if (url == null) {
      return null;
    }
    String user = setting(env, file, "DATAOPS_AIRFLOW_USERNAME", "airflow.username", null);
    String password = secret(env, file, "DATAOPS_AIRFLOW_PASSWORD", "airflow.password-file", "Airflow");
    if (user == null || password == null) {
      throw new BadInputException("airflow.url is set but not how to sign in: set airflow.username "
          + "(DATAOPS_AIRFLOW_USERNAME) and DATAOPS_AIRFLOW_PASSWORD or airflow.password-file");
    }
    String timeout = setting(env, file, "DATAOPS_AIRFLOW_TIMEOUT", "airflow.timeout-seconds",
        String.valueOf(AirflowSettings.DEFAULT_TIMEOUT.toSeconds()));
    long seconds;
    try {
      seconds = Long.parseLong(timeout.strip());
    } catch (NumberFormatException e) {
      seconds = -1;
    }
    if (seconds < 1 || seconds > MAX_AIRFLOW_TIMEOUT_SECONDS) {
      throw new BadInputException("airflow.timeout-seconds (DATAOPS_AIRFLOW_TIMEOUT) is how long Airflow may take to "
          + "answer one request, 1 to " + MAX_AIRFLOW_TIMEOUT_SECONDS + " seconds, not '" + VisibleText.value(timeout)
          + "'");
    }
    try {
      return new AirflowSettings(java.net.URI.create(url),
          AirflowApi.of(setting(env, file, "DATAOPS_AIRFLOW_API", "airflow.api", "v2")), user, password,
          java.time.Duration.ofSeconds(seconds));
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage());
    }
  }

  /** A password: from the environment, else from the file the configuration names; never from the file itself. */
  private static String secret(Map<String, String> env, Properties file, String envName, String fileKey,
      String what) {
    String password = env.get(envName);
    String passwordFile = setting(env, file, envName + "_FILE", fileKey, null);
    if (password == null && passwordFile != null) {
      password = secretFile(passwordFile, what + " password", fileKey, envName);
    }
    return password;
  }

  /**
   * A secret's file, refused when others may read or change it, as every secret file is ({@link
   * OwnerOnly#modeOpenToOthers}; a probe's password file of mode 644 was read as it was: every local user could read it
   * too), or given in the environment instead.
   */
  private static String secretFile(String name, String what, String fileKey, String envName) {
    Path file = Path.of(name);
    try {
      OwnerOnly.modeOpenToOthers(file).ifPresent(mode -> {
        throw new BadInputException("the " + what + " file " + file + " named by " + fileKey + " may be read or "
            + "changed by other users (" + mode + "); it is refused: make it owner-only (chmod 600 " + file + ") or set "
            + envName + " instead");
      });
    } catch (IOException e) {
      // unreadable: said below, as reading it fails
    }
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new BadInputException("cannot read the " + what + " file named by " + fileKey);
    }
  }

  /** The platform's limits made stricter by {@code mask.limit.<kind>} settings (the environment winning). */
  private static KeepLimits keepLimits(Map<String, String> env, Properties file, Path props) {
    Map<String, String[]> given = new TreeMap<>(); // kind -> where it is set, its value
    for (String key : file.stringPropertyNames()) {
      if (key.startsWith(MASK_LIMIT) && !file.getProperty(key).isBlank()) {
        given.put(key.substring(MASK_LIMIT.length()), new String[] {props + ": " + key, file.getProperty(key)});
      }
    }
    env.forEach((name, value) -> {
      if (name.startsWith(MASK_LIMIT_ENV) && !value.isBlank()) {
        given.put(name.substring(MASK_LIMIT_ENV.length()).toLowerCase(Locale.ROOT), new String[] {name, value});
      }
    });
    KeepLimits limits = KeepLimits.DEFAULTS;
    for (Map.Entry<String, String[]> e : given.entrySet()) {
      try {
        limits = limits.stricter(PersonalData.parse(e.getKey()), KeepLimits.Limit.parse(e.getValue()[1]));
      } catch (IllegalArgumentException x) {
        throw new BadInputException(e.getValue()[0] + ": " + x.getMessage());
      }
    }
    return limits;
  }

  private static String setting(Map<String, String> env, Properties file, String envName, String key, String fallback) {
    String v = env.get(envName);
    if (v == null || v.isBlank()) {
      v = file.getProperty(key);
    }
    return v == null || v.isBlank() ? fallback : v.strip();
  }

  /**
   * What the engines are told ({@code ExecutorEnvironment.settings}): the keys file their parallel tasks read keys from
   * (never a key), the Flink cluster, and the parallelism asked for (null: the engine's default).
   */
  public Map<String, String> engineSettings(Integer parallelism) {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    m.put("keys.file", keys.file().toAbsolutePath().toString());
    if (flinkCluster != null) {
      m.put("flink.cluster", flinkCluster);
    }
    if (parallelism != null) {
      m.put("flink.parallelism", String.valueOf(parallelism));
    }
    return m;
  }

  public Path contracts() {
    return home.resolve("contracts");
  }

  public Path landingZone() {
    return home.resolve("landing");
  }

  /** Reports and notices delivered to each organization: {@code outbox/<organization>/}. */
  public Path outbox() {
    return home.resolve("outbox");
  }

  public Path suites() {
    return home.resolve("suites");
  }

  /** Scratch space (spilled sort runs); emptied by each run that uses it. */
  public Path work() {
    return home.resolve("tmp");
  }

  /** Pipeline files; the demo leaves its pipelines here for the user to edit and run again. */
  public Path pipelines() {
    return home.resolve("pipelines");
  }

  public Path logs() {
    return home.resolve("logs");
  }

  /** Sealed versions' archive copies: {@code <archive root>/<product>/v<N>/}, in a folder or a bucket. */
  public ArchiveStore archives(io.dataops.lakehouse.catalog.Lakehouse lakehouse) {
    return ArchiveStore.at(archiveRoot, lakehouse, archiveLock);
  }

  /** Destruction certificates (JSON and HTML). */
  public Path certificates() {
    return home.resolve("certificates");
  }

  /**
   * Where documents for people go — {@code outbox} (reports and notices per organization) or {@code certificates}:
   * the home's folder of that name, or with an {@code s3://} warehouse the same name under its bucket (no file of
   * such a platform under the home).
   */
  public Documents documents(String kind) {
    if (lakehouse.onObjectStorage()) {
      return Documents.inBucket("s3://" + ObjectStore.bucketOf(lakehouse.warehouse()) + "/" + kind,
          lakehouse.objectStore());
    }
    return Documents.local(home.resolve(kind));
  }

  /** Whether a PostgreSQL JDBC URI names a password: as user:password@ before the host, or as a parameter. */
  static boolean carriesPassword(String uri) {
    String rest = uri.substring("jdbc:postgresql:".length());
    int query = rest.indexOf('?');
    String authority = query < 0 ? rest : rest.substring(0, query);
    if (authority.startsWith("//") && authority.substring(2).split("/", 2)[0].contains("@")) {
      return true;
    }
    if (query >= 0) {
      for (String parameter : rest.substring(query + 1).split("&")) {
        String name = parameter.split("=", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        if (name.equals("password") || name.equals("sslpassword")) {
          return true;
        }
      }
    }
    return false;
  }
}
