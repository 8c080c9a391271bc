package io.dataops.governance.audit;

import io.dataops.core.BadInputException;
import java.time.Instant;

/**
 * Which events {@code audit list} shows. Null fields do not filter.
 *
 * @param actor the user who acted (exact)
 * @param organization the actor's organization (exact)
 * @param action an action ({@code product.approve}), or all under a prefix ending in {@code .*} ({@code product.*})
 * @param object an object's exact typed name ({@code table:ods.x}); found through an index
 * @param objectContains text any of the objects contains ({@code ods.x}), case-sensitive; reads every event in range
 * @param outcome {@code ok}, {@code refused} or {@code failed}
 * @param from events at or after this time
 * @param until events before this time
 * @param limit at most this many events, 1 to {@value #MAX_LIMIT}
 * @param newestFirst newest first (the default), else oldest first
 */
public record AuditFilter(String actor, String organization, String action, String object, String objectContains,
    String outcome, Instant from, Instant until, int limit, boolean newestFirst) {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 10_000;

  public AuditFilter {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new BadInputException("the limit of audit events to list is 1 to " + MAX_LIMIT + ", not " + limit);
    }
    if (from != null && until != null && !from.isBefore(until)) {
      throw new BadInputException("the time range of audit events is empty: " + from + " is not before " + until);
    }
  }

  /** The newest {@value #DEFAULT_LIMIT} events. */
  public static AuditFilter newest() {
    return new AuditFilter(null, null, null, null, null, null, null, null, DEFAULT_LIMIT, true);
  }

  public AuditFilter actor(String value) {
    return new AuditFilter(value, organization, action, object, objectContains, outcome, from, until, limit, newestFirst);
  }

  public AuditFilter organization(String value) {
    return new AuditFilter(actor, value, action, object, objectContains, outcome, from, until, limit, newestFirst);
  }

  public AuditFilter action(String value) {
    return new AuditFilter(actor, organization, value, object, objectContains, outcome, from, until, limit, newestFirst);
  }

  public AuditFilter object(String value) {
    return new AuditFilter(actor, organization, action, value, objectContains, outcome, from, until, limit, newestFirst);
  }

  public AuditFilter objectContains(String value) {
    return new AuditFilter(actor, organization, action, object, value, outcome, from, until, limit, newestFirst);
  }

  public AuditFilter outcome(String value) {
    return new AuditFilter(actor, organization, action, object, objectContains, value, from, until, limit, newestFirst);
  }

  public AuditFilter between(Instant fromInclusive, Instant untilExclusive) {
    return new AuditFilter(actor, organization, action, object, objectContains, outcome, fromInclusive, untilExclusive,
        limit, newestFirst);
  }

  public AuditFilter limit(int value) {
    return new AuditFilter(actor, organization, action, object, objectContains, outcome, from, until, value, newestFirst);
  }

  public AuditFilter oldestFirst() {
    return new AuditFilter(actor, organization, action, object, objectContains, outcome, from, until, limit, false);
  }
}
