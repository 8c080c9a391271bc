package io.dataops.platform.cli;

import io.dataops.core.BadInputException;
import io.dataops.governance.grant.Grants;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;

/** The month a {@code --period} names, for statements and evaluations. */
final class Periods {
  /** Before it nothing the platform records can lie (its events carry Unix times). */
  private static final YearMonth FIRST = YearMonth.of(1970, 1);

  private Periods() {}

  /**
   * A month such as 2026-03, from 1970-01 to the current month in the platform's zone (a month under way is taken
   * as far as it has come). A month that has not begun is refused: its statement or evaluation would be issued as
   * empty, and a typo such as 0000-01 or +999999999-01 would reach the date arithmetic.
   */
  static YearMonth month(String period) {
    YearMonth month;
    try {
      month = YearMonth.parse(period.strip());
    } catch (DateTimeParseException e) {
      throw new BadInputException("--period is a month such as 2026-03, not '"
          + (period.length() > 20 ? period.substring(0, 20) + "…" : period) + "'");
    }
    YearMonth now = YearMonth.now(Grants.ZONE);
    if (month.isAfter(now)) {
      throw new BadInputException("--period " + month + " has not begun (it is " + now + " in " + Grants.ZONE
          + "): a month is taken once it has begun");
    }
    if (month.isBefore(FIRST)) {
      throw new BadInputException("--period " + month + " is before " + FIRST + ": the platform records nothing "
          + "that old");
    }
    return month;
  }
}
