package io.dataops.quality.expect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * dateutil's parser.parse against the verdicts python-dateutil 2.9.0 gave on the same texts
 * ({@code dateutil/parse-cases.tsv}): ISO and slashed dates, month and weekday names, am/pm, compact forms, labels,
 * offsets and zone names, two-digit years, out-of-range fields, empty and junk text, NaN and infinities.
 */
class DateutilParserTest {
  @Test
  void acceptsAndRefusesAsDateutil() throws IOException {
    List<String> wrong = new ArrayList<>();
    int cases = 0;
    try (InputStream in = getClass().getResourceAsStream("/dateutil/parse-cases.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.startsWith("#")) {
          continue;
        }
        String text = line.substring(2);
        boolean expected = line.charAt(0) == 'Y';
        cases++;
        if (DateutilParser.parseable(text, LocalDate.of(2026, 11, 30)) != expected) {
          wrong.add((expected ? "refused " : "accepted ") + "'" + text + "'");
        }
      }
    }
    assertThat(cases).isGreaterThan(100);
    assertThat(wrong).isEmpty();
  }

  @Test
  void missingFieldsComeFromToday() {
    // Without a year, Feb 29 is a date only in a leap year (dateutil fills the year from today).
    assertThat(DateutilParser.parseable("Feb 29", LocalDate.of(2024, 3, 1))).isTrue();
    assertThat(DateutilParser.parseable("Feb 29", LocalDate.of(2026, 3, 1))).isFalse();
    // A month without a day takes today's day, cut to the month's length.
    assertThat(DateutilParser.parseable("Feb 2019", LocalDate.of(2026, 1, 31))).isTrue();
  }
}
