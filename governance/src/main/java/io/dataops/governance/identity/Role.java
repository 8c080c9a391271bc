package io.dataops.governance.identity;

import io.dataops.core.BadInputException;
import java.util.Locale;

/**
 * What a user may do. No role implies another: an admin manages identities but does not approve products, an
 * auditor reads the trail; a command names every role it accepts.
 */
public enum Role {
  AUTHORITY, DEPARTMENT, OPERATOR, PARTNER, AUDITOR, ADMIN;

  /** The spelling in commands, messages and the database: lower case. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role of(String label) {
    for (Role r : values()) {
      if (r.label().equals(label.strip().toLowerCase(Locale.ROOT))) {
        return r;
      }
    }
    throw new BadInputException("unknown role '" + Names.shown(label)
        + "' (authority, department, operator, partner, auditor or admin)");
  }

  @Override
  public String toString() {
    return label();
  }
}
