package io.dataops.governance.supervision;

import java.time.Duration;

/**
 * The thresholds of the alert rules.
 *
 * @param refusals refused requests by one user within {@code refusalWindow} that make a burst
 * @param authFailures refused logins or tokens of one user (or of unknown tokens) within {@code authWindow}
 * @param surgeFactor a read under a grant this many times the median of the grant's earlier reads of the table
 * @param surgeHistory the earlier reads needed before a surge can be judged
 * @param provisionWindow how long one alert stands for a version asked for again by the same organization after its
 *     maker's grant ended (a partner's script retrying is one case, not one per try)
 */
public record SupervisionRules(int refusals, Duration refusalWindow, int authFailures, Duration authWindow,
    double surgeFactor, int surgeHistory, Duration provisionWindow) {
  public static final SupervisionRules DEFAULTS = new SupervisionRules(5, Duration.ofMinutes(10), 5,
      Duration.ofMinutes(15), 10.0, 3, Duration.ofDays(1));
}
