package io.dataops.governance.identity;

import java.util.Set;

/** A person or service account of an organization, with its roles; a disabled user cannot authenticate. */
public record User(String name, String organization, Set<Role> roles, boolean disabled) {
  public User {
    roles = Principal.copyOf(roles);
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }
}
