package io.dataops.pipelines.desensitize;

/**
 * A value that a policy cannot treat (too short to encrypt, not the shape of its kind). The job suppresses it (null)
 * and counts it per column; the message says why and never carries the value.
 */
public class UnfitValueException extends RuntimeException {
  public UnfitValueException(String reason) {
    super(reason, null, false, false);
  }
}
