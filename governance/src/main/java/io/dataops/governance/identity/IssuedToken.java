package io.dataops.governance.identity;

import java.time.Instant;

/**
 * A token as issued: the only time its text exists outside the user's hands. {@link #toString()} leaves the text
 * out, so that logging the record does not leak it.
 */
public record IssuedToken(String id, String user, String token, Instant expiresAt) {
  @Override
  public String toString() {
    return "IssuedToken[id=" + id + ", user=" + user + ", expiresAt=" + expiresAt + "]";
  }
}
