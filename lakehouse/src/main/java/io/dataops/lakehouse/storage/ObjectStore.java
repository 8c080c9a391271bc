package io.dataops.lakehouse.storage;

import io.dataops.core.BadInputException;
import java.io.Serializable;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * An S3-compatible server (MinIO, S3Proxy, AWS) as Iceberg's S3FileIO reaches it: endpoint, region, path-style
 * access and credentials. Null credentials leave them to the AWS SDK's own chain (its environment variables, its
 * profile). The secret is held only to sign requests: {@link #toString()} hides it and nothing writes it.
 *
 * @param endpoint the server, e.g. {@code http://127.0.0.1:9000} (null: AWS's own endpoint for the region)
 * @param region the signing region (S3-compatible servers take any; {@code us-east-1} by default)
 * @param pathStyle {@code http://host/bucket/key} rather than {@code http://bucket.host/key} (MinIO and S3Proxy)
 */
public record ObjectStore(URI endpoint, String region, boolean pathStyle, String accessKeyId, String secretAccessKey)
    implements Serializable {

  public static final String S3FILEIO = "org.apache.iceberg.aws.s3.S3FileIO";
  public static final String DEFAULT_REGION = "us-east-1";

  public ObjectStore {
    region = region == null || region.isBlank() ? DEFAULT_REGION : region;
    if (endpoint != null && (endpoint.getScheme() == null || endpoint.getHost() == null
        || !(endpoint.getScheme().equals("http") || endpoint.getScheme().equals("https")))) {
      throw new BadInputException("the S3 endpoint must be http://HOST:PORT or https://HOST, not '" + endpoint + "'");
    }
    if ((accessKeyId == null) != (secretAccessKey == null)) {
      throw new BadInputException("S3 credentials need both the access key id and the secret access key "
          + "(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or neither (the AWS SDK's own chain)");
    }
  }

  /** True for locations this store serves ({@code s3://bucket/...}; {@code s3a:} and {@code s3n:} as Hadoop spells them). */
  public static boolean isObjectLocation(String location) {
    return location != null && (location.startsWith("s3://") || location.startsWith("s3a://")
        || location.startsWith("s3n://"));
  }

  /** The bucket of {@code s3://bucket/prefix}, refusing a location that has none. */
  public static String bucketOf(String location) {
    if (!isObjectLocation(location)) {
      throw new BadInputException("not an object-storage location (s3://BUCKET/prefix): " + location);
    }
    String rest = location.substring(location.indexOf("://") + 3);
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    if (bucket.isEmpty()) {
      throw new BadInputException("the warehouse names no bucket: " + location + " (s3://BUCKET/prefix)");
    }
    if (bucket.indexOf('@') >= 0) {
      // found by a probe: s3://KEY:SECRET@bucket/... was taken as a bucket's name, the secret in every message naming
      // the location; not echoed here
      throw new BadInputException("an s3:// location must not carry credentials (KEY:SECRET@): set AWS_ACCESS_KEY_ID, "
          + "and AWS_SECRET_ACCESS_KEY or s3.secret-access-key-file");
    }
    return bucket;
  }

  /** The key of a location inside its bucket ({@code s3://b/a/c} gives {@code a/c}). */
  public static String keyOf(String location) {
    String rest = location.substring(location.indexOf("://") + 3);
    int slash = rest.indexOf('/');
    return slash < 0 ? "" : rest.substring(slash + 1);
  }

  /** The catalog properties that put Iceberg's FileIO on this store. */
  public Map<String, String> fileIoProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("io-impl", S3FILEIO);
    // The URLConnection client: no Netty, no Apache HTTP client on the class path (STACK.md).
    p.put("http-client.type", "urlconnection");
    p.put("client.region", region);
    p.put("s3.path-style-access", String.valueOf(pathStyle));
    if (endpoint != null) {
      p.put("s3.endpoint", endpoint.toString());
    }
    if (accessKeyId != null) {
      p.put("s3.access-key-id", accessKeyId);
      p.put("s3.secret-access-key", secretAccessKey);
    }
    return p;
  }

  /** The store that catalog properties describe, or null when they put the warehouse elsewhere. */
  public static ObjectStore fromProperties(Map<String, String> p) {
    if (!S3FILEIO.equals(p.get("io-impl"))) {
      return null;
    }
    String endpoint = p.get("s3.endpoint");
    return new ObjectStore(endpoint == null ? null : URI.create(endpoint), p.get("client.region"),
        Boolean.parseBoolean(p.getOrDefault("s3.path-style-access", "false")), p.get("s3.access-key-id"),
        p.get("s3.secret-access-key"));
  }

  /**
   * A client of this store for what FileIO cannot say (object-lock headers, versions, presigned URLs): the same
   * endpoint, region, path style and credentials as the warehouse's S3FileIO, on the URLConnection HTTP client. The
   * caller closes it.
   */
  public S3Client client() {
    var b = S3Client.builder().region(Region.of(region)).forcePathStyle(pathStyle)
        .credentialsProvider(credentials()).httpClientBuilder(UrlConnectionHttpClient.builder());
    if (endpoint != null) {
      b.endpointOverride(endpoint);
    }
    return b.build();
  }

  /** A presigner of GET URLs on this store (signing is local: no request is made). The caller closes it. */
  public S3Presigner presigner() {
    var b = S3Presigner.builder().region(Region.of(region)).credentialsProvider(credentials())
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(pathStyle).build());
    if (endpoint != null) {
      b.endpointOverride(endpoint);
    }
    return b.build();
  }

  private AwsCredentialsProvider credentials() {
    return accessKeyId == null ? DefaultCredentialsProvider.builder().build()
        : StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey));
  }

  @Override
  public String toString() {
    return "ObjectStore[endpoint=" + endpoint + ", region=" + region + ", pathStyle=" + pathStyle
        + ", accessKeyId=" + (accessKeyId == null ? "(AWS SDK chain)" : accessKeyId)
        + ", secretAccessKey=" + (secretAccessKey == null ? "none" : "(hidden)") + "]";
  }
}
