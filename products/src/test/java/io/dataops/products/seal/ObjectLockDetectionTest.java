package io.dataops.products.seal;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataops.products.S3MockServer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A long-running process (the scheduler) asks again: versioning turned on after a first answer is seen within
 * {@link ObjectLock#DETECTION_TTL_NANOS}, and a destruction then removes every version instead of hiding them.
 */
class ObjectLockDetectionTest {
  private static S3MockServer server;

  @BeforeAll
  static void start() {
    server = S3MockServer.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void versioningTurnedOnLaterIsSeenOnceTheAnswerIsAMinuteOld() {
    String bucket = server.newBucket("later", false);
    String endpoint = server.endpoint().toString();
    long t0 = System.nanoTime();
    try (S3Client s3 = server.client()) {
      ObjectLock first = ObjectLock.detect(s3, endpoint, bucket, ObjectLock.Policy.DEFAULT, t0);
      assertThat(first.supported()).isFalse();
      assertThat(first.versioned()).isFalse();

      s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status("Enabled")));
      long halfAMinute = TimeUnit.SECONDS.toNanos(30);
      assertThat(ObjectLock.detect(s3, endpoint, bucket, ObjectLock.Policy.DEFAULT, t0 + halfAMinute).versioned())
          .as("the answer is reused within the minute").isFalse();
      ObjectLock later = ObjectLock.detect(s3, endpoint, bucket, ObjectLock.Policy.DEFAULT,
          t0 + ObjectLock.DETECTION_TTL_NANOS + 1);
      assertThat(later.versioned()).isTrue();
      assertThat(later.supported()).isFalse();

      // What the stale answer would have done: a plain delete, which leaves the bytes in an old version.
      String key = "archive/p/v1/data/a.parquet";
      s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("archived"));
      s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("archived again"));
      later.deleteAll("archive/p/v1/");
      assertThat(later.left("archive/p/v1/")).isEmpty();
      assertThat(s3.listObjectVersions(b -> b.bucket(bucket).prefix("archive/")).versions()).isEmpty();
    }
  }
}
