package io.dataops.core.audit;

import java.util.Set;

/**
 * Who acts: a user of an organization with roles (the names of governance's roles: {@code authority},
 * {@code department}, {@code operator}, {@code partner}, {@code auditor}, {@code admin}). Modules below governance
 * check roles and stamp audit events with it without knowing how the user was authenticated.
 */
public record Actor(String user, String organization, Set<String> roles) {
  /** The platform acting on its own (migrations, the scheduler): no role, so no command a person needs. */
  public static final Actor SYSTEM = new Actor("system", "platform", Set.of());

  public Actor {
    roles = Set.copyOf(roles);
  }

  public boolean has(String role) {
    return roles.contains(role);
  }

  /** "alice (operator of futian-data-operator)": for messages; never a secret. */
  public String describe() {
    return user + " (" + (roles.isEmpty() ? "no role" : String.join(", ", new java.util.TreeSet<>(roles))) + " of "
        + organization + ")";
  }
}
