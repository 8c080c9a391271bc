package io.dataops.lakehouse.storage;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A command that failed because the object store could not be reached, refused the keys, or has no such bucket: a
 * setting or the server is wrong, not the platform, and the command says so in one line instead of an internal
 * error. Recognized wherever it was raised (Iceberg's S3FileIO, the landing zone, deliveries, archives).
 */
public final class ObjectStoreFailure {
  private ObjectStoreFailure() {}

  /** The line a command prints for {@code failure}, when one of its causes is such a failure. */
  public static Optional<String> recognize(Throwable failure) {
    for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof S3Exception s3) {
        String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
        if ("NoSuchBucket".equals(code)) {
          return Optional.of("the object store has no such bucket (NoSuchBucket, HTTP 404): are the warehouse "
              + "(DATAOPS_WAREHOUSE) and the other s3:// locations right, and their buckets created?");
        }
        if (s3.statusCode() == 403) {
          return Optional.of("the object store refused the request (" + (code == null ? "" : code + ", ")
              + "HTTP 403): are AWS_ACCESS_KEY_ID and the secret access key (AWS_SECRET_ACCESS_KEY or "
              + "s3.secret-access-key-file) right, and may they use the bucket?");
        }
        continue;
      }
      if (c instanceof SdkClientException sdk && sdk.getMessage() != null
          && sdk.getMessage().startsWith("Unable to load credentials")) {
        // found by a probe: the SDK's account of every provider it tried, as an internal error
        return Optional.of("no credentials for the object store: set AWS_ACCESS_KEY_ID and the secret access key "
            + "(AWS_SECRET_ACCESS_KEY or s3.secret-access-key-file)");
      }
      if (c instanceof SdkClientException sdk && networkCause(sdk)) {
        return Optional.of("cannot reach the object store: " + sdk.getMessage().lines().findFirst().orElse("")
            + "; is s3.endpoint (AWS_ENDPOINT_URL) right and the server up? Then run the same command again");
      }
    }
    return Optional.empty();
  }

  private static boolean networkCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof ConnectException || c instanceof UnknownHostException || c instanceof SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }
}
