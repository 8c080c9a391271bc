package io.dataops.governance.identity;

import io.dataops.core.BadInputException;

/** A token or password that does not let anyone in; the message says why without repeating the secret. */
public class AuthenticationException extends BadInputException {
  public AuthenticationException(String message) {
    super(message);
  }
}
