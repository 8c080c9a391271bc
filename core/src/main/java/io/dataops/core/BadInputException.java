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

  /**
   * What a message may repeat of a name someone typed: the name if it is at most {@code max} printable ASCII
   * characters, else only its length (an escape sequence would act on a terminal; kilobytes would flood a log).
   */
  public static String shown(String typed, int max) {
    if (typed == null) {
      return "";
    }
    boolean printable = !typed.isEmpty() && typed.length() <= max;
    for (int i = 0; printable && i < typed.length(); i++) {
      char c = typed.charAt(i);
      printable = c >= 0x21 && c <= 0x7e;
    }
    return printable ? typed : "(" + typed.length() + " characters)";
  }
}
