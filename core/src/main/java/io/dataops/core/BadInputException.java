package io.dataops.core;

/**
 * Input the user can fix: a bad contract, a missing file, a feed whose header breaks its contract. The message is
 * one line a person can act on, and never carries a data value (it may reach logs and terminals).
 */
public class BadInputException extends RuntimeException {
  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
