package io.dataops.governance.supervision;

import java.time.Instant;
import java.util.Map;

/**
 * A security alert (安全监管告警): which rule fired, on what subject, from which audit events, and what it means. It
 * goes to the authority's outbox and is itself an audit event ({@code alert.raise}).
 *
 * @param subject what it is about: {@code user:alice}, {@code grant:3 table:ods.x}, {@code pipeline:p}
 * @param firstSeq the first audit event of what fired it; {@code lastSeq} the one that completed it, at {@code lastAt}
 */
public record Alert(long id, String rule, String severity, String subject, Instant raisedAt, long firstSeq,
    long lastSeq, Instant lastAt, String message, Map<String, Object> details) {
  public Alert {
    details = Map.copyOf(details);
  }

  /** An alert a rule proposes, before it is numbered and stored. */
  public record Draft(String rule, String severity, String subject, long firstSeq, long lastSeq, Instant lastAt,
      String message, Map<String, Object> details) {}
}
