package io.dataops.pipelines.desensitize;

import io.dataops.core.BadInputException;

/** A policy that cannot be built or does not fit its column; the message names the column, never a value. */
public class PolicyException extends BadInputException {
  public PolicyException(String message) {
    super(message);
  }
}
