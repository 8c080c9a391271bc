package io.dataops.lakehouse.testing;

import io.dataops.lakehouse.catalog.LakehouseConfig;
import io.dataops.lakehouse.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for tests: S3Proxy in this JVM on 127.0.0.1 and a free port, storing objects in a temporary folder
 * (bounded memory, unlike its transient store), signed requests required (AWS V2 or V4). One server per test JVM,
 * stopped and its folder removed when the JVM exits; each test takes its own bucket ({@link #newBucket}). S3Proxy
 * has no object lock (it answers 501), as some production servers do not.
 */
public final class S3Server {
  public static final String ACCESS_KEY = "dataops-test";
  public static final String SECRET_KEY = "dataops-test-secret-" + UUID.randomUUID();
  private static URI endpoint;

  private S3Server() {}

  /** The server's address, {@code http://127.0.0.1:PORT}, started on first use. */
  public static synchronized URI endpoint() {
    if (endpoint != null) {
      return endpoint;
    }
    try {
      Path base = Files.createTempDirectory("dataops-s3-");
      S3Proxy proxy = S3Proxy.builder()
          .blobStore(new FilesystemNio2BlobStore(base.toString()))
          .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
          .endpoint(URI.create("http://127.0.0.1:0"))
          .build();
      proxy.start();
      for (int i = 0; i < 1000 && !"STARTED".equals(proxy.getState()); i++) {
        Thread.sleep(10);
      }
      if (!"STARTED".equals(proxy.getState())) {
        throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
      }
      endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          proxy.stop();
        } catch (Exception ignored) {
          // the JVM is exiting
        }
        removeTree(base);
      }));
      return endpoint;
    } catch (Exception e) {
      throw new IllegalStateException("cannot start S3Proxy for the tests: " + e, e);
    }
  }

  /** The store as the platform reaches it: this server, path-style, the test's credentials. */
  public static ObjectStore store() {
    return new ObjectStore(endpoint(), "us-east-1", true, ACCESS_KEY, SECRET_KEY);
  }

  /** A new, empty bucket with a name no other test uses (lower case, as S3 wants). */
  public static String newBucket(String hint) {
    String name = hint.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    name = (name.isEmpty() ? "t" : name.substring(0, Math.min(40, name.length()))) + "-"
        + UUID.randomUUID().toString().substring(0, 8);
    String bucket = name;
    try (S3Client s3 = client()) {
      s3.createBucket(b -> b.bucket(bucket));
    }
    return bucket;
  }

  /**
   * An embedded catalog under {@code home} with its warehouse at {@code s3://BUCKET/warehouse} on this server, and
   * DuckDB's local copies in {@code <home>-cache} beside the home (never under it).
   */
  public static LakehouseConfig lakehouse(Path home, String bucket) {
    LakehouseConfig embedded = LakehouseConfig.embedded(home);
    Path abs = home.toAbsolutePath().normalize();
    return LakehouseConfig.onObjectStore(embedded.catalogUri(), null, null, "s3://" + bucket + "/warehouse", store())
        .with(java.util.Map.of(io.dataops.lakehouse.storage.ReadThroughCache.DIR,
            abs.resolveSibling(abs.getFileName() + "-cache").toString()));
  }

  /** A plain AWS SDK client of this server, for what a test checks behind the platform's back. */
  public static S3Client client() {
    return S3Client.builder()
        .endpointOverride(endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  /** The keys under {@code prefix} in the bucket, sorted. */
  public static java.util.List<String> keys(String bucket, String prefix) {
    try (S3Client s3 = client()) {
      return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
          .map(o -> o.key()).sorted().toList();
    }
  }

  private static void removeTree(Path base) {
    try (Stream<Path> all = Files.walk(base)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
