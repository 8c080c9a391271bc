package io.dataops.quality.feedback;

/**
 * A quality problem handed to the department that owns the data: one per table and rule, from the first failing
 * feed until a later feed passes the rule (verified). {@code ruleKey} identifies the rule across suite edits
 * that do not change it.
 */
public record Ticket(long id, String department, String dataset, String table, String ruleKey, String expectationType,
                     String columns, String severity, State state, String openedAt, String openedRun,
                     String lastFailedAt, String lastFailedRun, String lastFailedFeed, long lastFailingRows,
                     int reopened, String acknowledgedAt, String resolvedAt, String resolutionNote, String verifiedAt,
                     String verifiedRun) {

  public enum State {
    OPEN, ACKNOWLEDGED, RESOLVED, VERIFIED;

    public String spelling() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean active() {
      return this != VERIFIED;
    }
  }

  /** One change of a ticket: who did what, when. */
  public record Event(long ticketId, String at, String event, String actor, String note) {}
}
