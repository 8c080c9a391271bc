package io.dataops.products;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * The object-lock headers of every PutObject that the products tests' S3 clients send, as they went over HTTP (the
 * AWS SDK loads this interceptor for every S3 client through {@code execution.interceptors} among the test
 * resources). SealWithObjectLockTest reads them because its server, S3Mock, accepts these headers but keeps no
 * retention from them (it keeps one only from PutObjectRetention).
 */
public final class LockRequests implements ExecutionInterceptor {
  /** What a put asked for: the lock mode and the retain-until date, as sent. */
  public record Asked(String mode, Instant retainUntil) {}

  private static final Map<String, Asked> PUTS = new ConcurrentHashMap<>();

  /** The lock headers of the last PutObject of {@code bucket/key}, or null when none was sent with them. */
  public static Asked of(String bucket, String key) {
    return PUTS.get(bucket + "/" + key);
  }

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
    SdkHttpRequest http = context.httpRequest();
    var mode = http.firstMatchingHeader("x-amz-object-lock-mode");
    var until = http.firstMatchingHeader("x-amz-object-lock-retain-until-date");
    if (http.method().name().equals("PUT") && mode.isPresent() && until.isPresent()) {
      // Path-style: /bucket/key, percent-encoded as sent.
      String path = java.net.URLDecoder.decode(http.encodedPath().substring(1).replace("+", "%2B"),
          java.nio.charset.StandardCharsets.UTF_8);
      PUTS.put(path, new Asked(mode.get(), Instant.parse(until.get())));
    }
  }
}
