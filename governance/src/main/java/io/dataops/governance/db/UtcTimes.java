package io.dataops.governance.db;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Times in the governance tables: UTC with microseconds, always the same width ({@code 2026-03-01T08:00:00.000000Z}),
 * so that text order is time order on both databases and the text hashed into the audit chain is stable.
 */
public final class UtcTimes {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private UtcTimes() {}

  public static String format(Instant t) {
    return FORMAT.format(t.truncatedTo(ChronoUnit.MICROS));
  }

  public static Instant parse(String text) {
    return text == null ? null : Instant.parse(text);
  }
}
