package io.dataops.governance.identity;

import io.dataops.core.BadInputException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What an organization is, which decides the roles its users may hold: each kind its own role; the platform's own
 * organization holds the administrators (and may hold auditors), as may the authority for its supervisors.
 */
public enum OrganizationKind {
  AUTHORITY(EnumSet.of(Role.AUTHORITY, Role.AUDITOR)),
  DEPARTMENT(EnumSet.of(Role.DEPARTMENT)),
  OPERATOR(EnumSet.of(Role.OPERATOR)),
  PARTNER(EnumSet.of(Role.PARTNER)),
  AUDITOR(EnumSet.of(Role.AUDITOR)),
  PLATFORM(EnumSet.of(Role.ADMIN, Role.AUDITOR));

  private final Set<Role> roles;

  OrganizationKind(Set<Role> roles) {
    this.roles = roles;
  }

  public boolean allows(Role role) {
    return roles.contains(role);
  }

  public Set<Role> roles() {
    return EnumSet.copyOf(roles);
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static OrganizationKind of(String label) {
    for (OrganizationKind k : values()) {
      if (k.label().equals(label.strip().toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    throw new BadInputException("unknown organization kind '" + Names.shown(label)
        + "' (authority, department, operator, partner, auditor or platform)");
  }

  @Override
  public String toString() {
    return label();
  }
}
