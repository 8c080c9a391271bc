package io.dataops.governance.identity;

import java.util.List;

/** The role check every command makes before it acts. */
public final class Authorization {
  private Authorization() {}

  /**
   * The first of {@code anyOf} the principal holds: the role the command acts in (the audit trail records it).
   *
   * @throws AccessDeniedException naming the roles needed and those held, when it holds none of them
   */
  public static Role require(Principal principal, Role... anyOf) {
    if (anyOf.length == 0) {
      throw new IllegalArgumentException("name at least one role");
    }
    for (Role r : anyOf) {
      if (principal.has(r)) {
        return r;
      }
    }
    throw new AccessDeniedException(principal, List.of(anyOf));
  }
}
