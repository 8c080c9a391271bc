package io.dataops.products.registry;

import java.util.Locale;

/**
 * Where a product version is in its life. {@code DESTROYING} is a destruction under way (or interrupted): the version
 * is no longer readable, and the destruction completes when run again; only then is it {@code DESTROYED}.
 */
public enum VersionState {
  DRAFT, SUBMITTED, APPROVED, REJECTED, PUBLISHED, SUPERSEDED, SEALED, DESTROYING, DESTROYED;

  /** The name in JSON, the database and the CLI: lower case. */
  @com.fasterxml.jackson.annotation.JsonValue
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static VersionState of(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }

  /** Whether a version in this state still needs its files (destroy keeps files a live version shares). */
  public boolean live() {
    return this != DESTROYING && this != DESTROYED;
  }
}
