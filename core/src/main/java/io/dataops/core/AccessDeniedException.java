package io.dataops.core;

import io.dataops.core.audit.Actor;
import java.util.List;

/**
 * A user asked for something their roles or organization do not allow. Bad input (exit 2): the message names what
 * was needed and what the user has, so they know whom to ask.
 */
public class AccessDeniedException extends BadInputException {
  private final List<String> rolesNeeded;

  public AccessDeniedException(String message, List<String> rolesNeeded) {
    super(message);
    this.rolesNeeded = List.copyOf(rolesNeeded);
  }

  /** "product approve requires role authority; alice has operator". */
  public static AccessDeniedException roles(String what, Actor actor, String... anyOf) {
    String has = actor.roles().isEmpty() ? "no role" : String.join(", ", new java.util.TreeSet<>(actor.roles()));
    return new AccessDeniedException(what + " requires role " + String.join(" or ", anyOf) + "; " + actor.user()
        + " has " + has, List.of(anyOf));
  }

  public List<String> rolesNeeded() {
    return rolesNeeded;
  }
}
