package io.dataops.products;

import io.dataops.lakehouse.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server with object lock and versioning for tests: Adobe's S3Mock, whose executable jar the build copies
 * to {@code target/s3mock/s3mock.jar}, run as a child JVM (its Spring Boot would clash with ours on one class path)
 * on 127.0.0.1 and a free port, storing objects in a temporary folder. Start one per test class and close it after.
 * S3Mock keeps retention and lock settings but enforces none of them, and it ignores credentials.
 */
public final class S3MockServer implements AutoCloseable {
  static final Path JAR = Path.of("target/s3mock/s3mock.jar");
  private static final String KEY = "dataops-test";
  private static final String SECRET = "dataops-test-secret";

  private final Process process;
  private final Path root;
  private final URI endpoint;

  private S3MockServer(Process process, Path root, URI endpoint) {
    this.process = process;
    this.root = root;
    this.endpoint = endpoint;
  }

  /**
   * Starts the server and waits until it answers. Skips the calling test only when the build did not copy the jar
   * (the artifact could not be resolved); a server that does not come up fails it.
   */
  public static S3MockServer start() {
    Assumptions.assumeTrue(Files.isRegularFile(JAR), "S3Mock's jar is not at " + JAR.toAbsolutePath()
        + " (the build copies com.adobe.testing:s3mock:exec there at generate-test-resources)");
    try {
      Path root = Files.createTempDirectory("dataops-s3mock-");
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      // Plain HTTP on 127.0.0.1:port as the main connector. S3Mock always adds a second plain-HTTP connector
      // (http.port); 0 lets it take any free port, which nothing here uses. C1 only and a small serial heap: the
      // server handles a few hundred requests, and starts sooner so.
      ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-jar", JAR.toString(),
          "--server.address=127.0.0.1", "--server.port=" + port, "--server.ssl.enabled=false", "--http.port=0",
          "--spring.main.banner-mode=off", "--logging.level.root=WARN")
          .redirectErrorStream(true).redirectOutput(root.resolveSibling(root.getFileName() + ".log").toFile());
      builder.environment().put("COM_ADOBE_TESTING_S3MOCK_STORE_ROOT", root.resolve("store").toString());
      Process p = builder.start();
      URI endpoint = URI.create("http://127.0.0.1:" + port);
      S3MockServer server = new S3MockServer(p, root, endpoint);
      // A test JVM that dies without closing the server does not leave it running.
      Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!server.answers()) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          String log = Files.readString(server.log());
          server.close();
          throw new IllegalStateException("S3Mock did not start on " + endpoint + " (" + (p.isAlive()
              ? "no answer in 120 s" : "exit " + p.exitValue()) + "): "
              + log.substring(Math.max(0, log.length() - 4000)));
        }
        Thread.sleep(100);
      }
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private boolean answers() {
    try {
      HttpURLConnection c = (HttpURLConnection) endpoint.toURL().openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(5000);
      try {
        return c.getResponseCode() == 200; // ListBuckets
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      return false;
    }
  }

  private Path log() {
    return root.resolveSibling(root.getFileName() + ".log");
  }

  public URI endpoint() {
    return endpoint;
  }

  /** The store as the platform reaches it: this server, path-style (the only style S3Mock serves). */
  public ObjectStore store() {
    return new ObjectStore(endpoint, "us-east-1", true, KEY, SECRET);
  }

  /** A plain AWS SDK client of this server, for what a test sets up or checks behind the platform's back. */
  public S3Client client() {
    return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET)))
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
  }

  /** A new bucket named after {@code hint}, with object lock enabled or not. */
  public String newBucket(String hint, boolean objectLock) {
    String bucket = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-") + "-"
        + UUID.randomUUID().toString().substring(0, 8);
    try (S3Client s3 = client()) {
      s3.createBucket(b -> b.bucket(bucket).objectLockEnabledForBucket(objectLock));
    }
    return bucket;
  }

  /** Every key in the bucket under {@code prefix}, sorted. */
  public List<String> keys(String bucket, String prefix) {
    try (S3Client s3 = client()) {
      return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
          .map(o -> o.key()).sorted().toList();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> all = Files.walk(root)) {
      all.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    log().toFile().delete();
  }
}
