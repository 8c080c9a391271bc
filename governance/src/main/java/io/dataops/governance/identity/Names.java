package io.dataops.governance.identity;

import io.dataops.core.BadInputException;
import java.util.regex.Pattern;

/** Names of users and organizations: plain identifiers that are safe in file names, SQL, logs and terminals. */
public final class Names {
  public static final int USER_MAX = 32;
  public static final int ORGANIZATION_MAX = 64;
  /** The actor of events the platform records on its own; no user may take the name. */
  public static final String SYSTEM = "system";

  private static final Pattern USER = Pattern.compile("[a-z][a-z0-9_-]{0," + (USER_MAX - 1) + "}");
  private static final Pattern ORGANIZATION = Pattern.compile("[a-z][a-z0-9_-]{0," + (ORGANIZATION_MAX - 1) + "}");

  private Names() {}

  public static String user(String name) {
    if (name == null || !USER.matcher(name).matches()) {
      throw new BadInputException("user name '" + shown(name) + "' is not valid: use 1 to " + USER_MAX
          + " lower-case letters, digits, '-' or '_', starting with a letter");
    }
    return name;
  }

  /** A user name a person may be given (not the platform's own actor). */
  public static String newUser(String name) {
    user(name);
    if (SYSTEM.equals(name)) {
      throw new BadInputException("the user name 'system' is reserved for events the platform records itself");
    }
    return name;
  }

  public static String organization(String id) {
    if (id == null || !ORGANIZATION.matcher(id).matches()) {
      throw new BadInputException("organization id '" + shown(id) + "' is not valid: use 1 to " + ORGANIZATION_MAX
          + " lower-case letters, digits, '-' or '_', starting with a letter (e.g. futian-data-bureau)");
    }
    return id;
  }

  /**
   * Whether two names (of users, or of organizations) read as one: they differ only in their separators, which ('-'
   * or '_'), how many in a row, or at the end. A department's tables write its id with '_' for '-', and people read
   * wang_fang and wang-fang in lists and the audit trail as one user; a probe added qianhai--credit beside
   * qianhai-credit, and a name ending in '-' reads as the name without it. Names start with a letter, so nothing
   * leads. Case and other scripts need no rule here: names are lower-case ASCII only.
   */
  public static boolean alike(String a, String b) {
    return canonical(a).equals(canonical(b));
  }

  /** A name with every run of separators written as one '_', and none at the end. */
  private static String canonical(String name) {
    return SEPARATORS.matcher(name).replaceAll("_").replaceFirst("_$", "");
  }

  private static final Pattern SEPARATORS = Pattern.compile("[-_]+");

  /** What a message may repeat of a name someone typed: short printable text, else only its length. */
  static String shown(String typed) {
    return BadInputException.shown(typed, 64);
  }
}
