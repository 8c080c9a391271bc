package io.dataops.governance.grant;

import java.util.Locale;

/**
 * Where an application is: {@code pending} until every party decided, {@code active} (a grant) once the authority and
 * every owning department approved, {@code rejected} when any party refused, {@code revoked} by the authority.
 * {@code expired} is never stored: an active grant whose period ended reads as expired.
 */
public enum GrantState {
  PENDING, ACTIVE, REJECTED, REVOKED, EXPIRED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static GrantState of(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }

  @Override
  public String toString() {
    return label();
  }
}
