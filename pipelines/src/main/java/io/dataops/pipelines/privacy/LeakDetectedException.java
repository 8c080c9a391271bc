package io.dataops.pipelines.privacy;

import io.dataops.core.BadInputException;

/**
 * A run stopped by its leak check (nothing published): every engine raises this one, so that the platform records
 * the failed leak check as such and supervision can alert on it. The message names columns and counts, never a value.
 */
public class LeakDetectedException extends BadInputException {
  public LeakDetectedException(String message) {
    super(message);
  }
}
