package io.dataops.quality.suite;

import java.util.Locale;

/** How much a failing expectation matters: an error stops a product version; a warning is reported. */
public enum Severity {
  ERROR, WARNING;

  public String spelling() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Our spelling, and Great Expectations' (critical counts as error; info as warning). */
  public static Severity parse(String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "error", "critical" -> ERROR;
      case "warning", "warn", "info" -> WARNING;
      default -> throw new IllegalArgumentException("unknown severity '" + text + "' (expected error or warning)");
    };
  }
}
