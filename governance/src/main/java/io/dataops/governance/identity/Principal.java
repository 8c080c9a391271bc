package io.dataops.governance.identity;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** The authenticated user a command acts as. */
public record Principal(String name, String organization, Set<Role> roles) {
  public Principal {
    roles = copyOf(roles);
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }

  /** The roles as people read them: {@code operator, partner}, or {@code no role}. */
  public String rolesText() {
    return roles.isEmpty() ? "no role" : roles.stream().map(Role::label).collect(Collectors.joining(", "));
  }

  static Set<Role> copyOf(Collection<Role> roles) {
    EnumSet<Role> set = EnumSet.noneOf(Role.class);
    set.addAll(roles);
    return Collections.unmodifiableSet(set);
  }
}
