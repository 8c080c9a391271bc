package io.dataops.governance.identity;

import java.time.Instant;

/** What the platform keeps about a token (never its text). Times are null when they have not happened. */
public record TokenInfo(String id, String user, Instant createdAt, Instant expiresAt, Instant revokedAt,
    Instant lastUsedAt) {

  /** {@code active}, {@code expired} or {@code revoked} at the given time. */
  public String state(Instant now) {
    if (revokedAt != null) {
      return "revoked";
    }
    return now.isBefore(expiresAt) ? "active" : "expired";
  }
}
