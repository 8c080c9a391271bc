package io.dataops.products.seal;

import io.dataops.core.BadInputException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The one place that speaks S3 object lock (WORM retention) for sealed archives. Whether a bucket has it is asked
 * once per process and bucket ({@code GetObjectLockConfiguration}); with it, every archived object is put with a
 * governance or compliance retention, and removed (by a destruction only) version by version, bypassing governance
 * retention. Without it (S3Proxy answers 501; a bucket made without lock answers 404) the objects are put plainly and
 * the platform enforces immutability itself: {@link BucketArchive} refuses to overwrite or delete them outside a
 * destruction, and verify recomputes their digests. A bucket with versioning but no lock is removed and listed
 * version by version too: deleting its keys would only hide the data behind delete markers.
 */
public final class ObjectLock {
  /** What a bucket without object lock leaves to the platform, as the seal manifest says it. */
  public static final String UNSUPPORTED = "unsupported, enforced by the platform";
  /**
   * How long an answer is reused. A bucket's versioning can be turned on at any time (lock only when the bucket is
   * made): a long-running process (the scheduler) that kept an old "no versioning" answer would destroy by plain
   * deletes and leave every byte in the old versions.
   */
  static final long DETECTION_TTL_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
  private static final Map<String, Detected> DETECTED = new ConcurrentHashMap<>();

  /** What a bucket has: object lock (which implies versioning), or versioning alone, or neither; and when asked. */
  private record Detected(boolean locked, boolean versioned, long askedAtNanos) {
    boolean freshAt(long nowNanos) {
      return nowNanos - askedAtNanos < DETECTION_TTL_NANOS;
    }
  }

  /** The retention asked for: its mode and how long archived objects are kept from deletion. */
  public record Policy(ObjectLockMode mode, Duration retention) {
    public static final Policy DEFAULT = new Policy(ObjectLockMode.GOVERNANCE, Duration.ofDays(3650));

    public Policy {
      if (mode != ObjectLockMode.GOVERNANCE && mode != ObjectLockMode.COMPLIANCE) {
        throw new BadInputException("archive.lock-mode is governance or compliance, not '" + mode + "'");
      }
      if (retention.isNegative() || retention.isZero()) {
        throw new BadInputException("archive.retention-days must be a positive number of days");
      }
    }

    /** {@code governance} or {@code compliance}, any case, and a number of days. */
    public static Policy of(String mode, String days) {
      ObjectLockMode m = ObjectLockMode.fromValue(mode.strip().toUpperCase(Locale.ROOT));
      if (m == ObjectLockMode.UNKNOWN_TO_SDK_VERSION) {
        throw new BadInputException("archive.lock-mode is governance or compliance, not '" + mode + "'");
      }
      try {
        return new Policy(m, Duration.ofDays(Long.parseLong(days.strip())));
      } catch (NumberFormatException e) {
        throw new BadInputException("archive.retention-days is a number of days, not '" + days + "'");
      }
    }
  }

  private final S3Client s3;
  private final String bucket;
  private final Policy policy;
  private final boolean supported;
  private final boolean versioned;

  private ObjectLock(S3Client s3, String bucket, Policy policy, Detected detected) {
    this.s3 = s3;
    this.bucket = bucket;
    this.policy = policy;
    this.supported = detected.locked();
    this.versioned = detected.versioned();
  }

  /**
   * Asks the server whether {@code bucket} has object lock enabled, else versioning; the answer is reused for a minute
   * ({@link #DETECTION_TTL_NANOS}), so that a seal's or destruction's many objects cost no extra requests.
   */
  public static ObjectLock detect(S3Client s3, String endpoint, String bucket, Policy policy) {
    return detect(s3, endpoint, bucket, policy, System.nanoTime());
  }

  /** As {@link #detect(S3Client, String, String, Policy)} at the {@link System#nanoTime} {@code nowNanos}. */
  static ObjectLock detect(S3Client s3, String endpoint, String bucket, Policy policy, long nowNanos) {
    Detected detected = DETECTED.compute(endpoint + "|" + bucket, (k, known) -> {
      if (known != null && known.freshAt(nowNanos)) {
        return known;
      }
      boolean locked = askLock(s3, bucket);
      return new Detected(locked, locked || askVersioning(s3, bucket), nowNanos);
    });
    return new ObjectLock(s3, bucket, policy, detected);
  }

  /** Whether a destruction removes version by version (object lock, or versioning alone). */
  boolean versioned() {
    return versioned;
  }

  private static boolean askLock(S3Client s3, String bucket) {
    try {
      var config = s3.getObjectLockConfiguration(b -> b.bucket(bucket)).objectLockConfiguration();
      return config != null && config.objectLockEnabled() == ObjectLockEnabled.ENABLED;
    } catch (S3Exception e) {
      // 501 Not Implemented (S3Proxy), 404 ObjectLockConfigurationNotFoundError (a bucket made without lock; S3Mock
      // answers 400), 400 or 405 from servers that know no such request: no lock.
      return noAnswer(e);
    }
  }

  /** Enabled or suspended: either way the bucket keeps earlier versions that a plain delete leaves behind. */
  private static boolean askVersioning(S3Client s3, String bucket) {
    try {
      var status = s3.getBucketVersioning(b -> b.bucket(bucket)).status();
      return status == BucketVersioningStatus.ENABLED || status == BucketVersioningStatus.SUSPENDED;
    } catch (S3Exception e) {
      if (e.statusCode() == 403) {
        throw new BadInputException("the server refuses to say whether s3://" + bucket + " keeps object versions "
            + "(GetBucketVersioning: grant s3:GetBucketVersioning): a destruction must know it to remove every "
            + "version", e);
      }
      return noAnswer(e);
    }
  }

  /** False for a server that has no such feature; anything else (403, 5xx) is not an answer and is thrown. */
  private static boolean noAnswer(S3Exception e) {
    int status = e.statusCode();
    if (status == 501 || status == 404 || status == 400 || status == 405) {
      return false;
    }
    throw e;
  }

  public boolean supported() {
    return supported;
  }

  /** What the seal manifest records: e.g. {@code governance, 3650 days}, or {@link #UNSUPPORTED}. */
  public String describe() {
    return supported ? policy.mode().toString().toLowerCase(Locale.ROOT) + ", " + policy.retention().toDays()
        + " days" : UNSUPPORTED;
  }

  /**
   * Puts an archived object, with the retention when the bucket has object lock, and makes sure the server keeps it:
   * the manifest names the retention, so it must be there.
   */
  public void put(String key, RequestBody body, String contentType) {
    PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(bucket).key(key).contentType(contentType);
    Instant until = Instant.now().plus(policy.retention());
    if (supported) {
      put.objectLockMode(policy.mode()).objectLockRetainUntilDate(until);
    }
    String versionId = s3.putObject(put.build(), body).versionId();
    if (supported) {
      keepRetention(key, versionId, until);
    }
  }

  /**
   * Reads the retention back and, when the put's lock headers were not kept (S3Mock keeps retention only from
   * PutObjectRetention), sets it with PutObjectRetention. A server that keeps neither fails the seal, which then
   * discards its half-written archive: a manifest claiming a protection that is not there would be worse.
   */
  private void keepRetention(String key, String versionId, Instant until) {
    if (retained(key, versionId, until)) {
      return;
    }
    s3.putObjectRetention(b -> b.bucket(bucket).key(key).versionId(versionId).retention(r -> r
        .mode(ObjectLockRetentionMode.fromValue(policy.mode().toString())).retainUntilDate(until)));
    if (!retained(key, versionId, until)) {
      throw new IllegalStateException("s3://" + bucket + "/" + key + ": the bucket has object lock, but the server "
          + "keeps no " + describe() + " retention on the archived object");
    }
  }

  private boolean retained(String key, String versionId, Instant until) {
    try {
      var kept = s3.getObjectRetention(b -> b.bucket(bucket).key(key).versionId(versionId)).retention();
      // S3 keeps the date to the second.
      return kept != null && kept.mode() != null && kept.mode().toString().equals(policy.mode().toString())
          && kept.retainUntilDate() != null && !kept.retainUntilDate().isBefore(until.minusSeconds(1));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false; // NoSuchObjectLockConfiguration: the object has no retention
      }
      throw e;
    }
  }

  /**
   * Removes every object under {@code prefix}: in a versioned bucket every version and delete marker (with object
   * lock bypassing governance retention; a compliance retention still running refuses).
   */
  public void deleteAll(String prefix) {
    if (!versioned) {
      for (String key : keys(prefix)) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
      }
      return;
    }
    for (String[] kv : versions(prefix)) {
      try {
        s3.deleteObject(b -> b.bucket(bucket).key(kv[0]).versionId(kv[1])
            .bypassGovernanceRetention(supported ? true : null));
      } catch (S3Exception e) {
        if (supported && e.statusCode() == 403) {
          throw new BadInputException("s3://" + bucket + "/" + kv[0] + " is under a retention that the server "
              + "does not let this account lift (compliance mode, or no s3:BypassGovernanceRetention): it cannot be"
              + " destroyed before its retention ends", e);
        }
        throw e;
      }
    }
  }

  /** What is left under {@code prefix}: keys, and in a versioned bucket every version and delete marker. */
  public List<String> left(String prefix) {
    if (!versioned) {
      return keys(prefix);
    }
    return versions(prefix).stream().map(kv -> kv[0] + "?versionId=" + kv[1]).toList();
  }

  private List<String> keys(String prefix) {
    List<String> out = new ArrayList<>();
    s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().forEach(o -> out.add(o.key()));
    return out;
  }

  private List<String[]> versions(String prefix) {
    List<String[]> out = new ArrayList<>();
    for (var page : s3.listObjectVersionsPaginator(b -> b.bucket(bucket).prefix(prefix))) {
      for (ObjectVersion v : page.versions()) {
        out.add(new String[] {v.key(), v.versionId()});
      }
      for (DeleteMarkerEntry d : page.deleteMarkers()) {
        out.add(new String[] {d.key(), d.versionId()});
      }
    }
    return out;
  }
}
