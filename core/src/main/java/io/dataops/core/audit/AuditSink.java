package io.dataops.core.audit;

/**
 * Where modules send their audit events. The governance module's trail implements it (a hash chain in the platform
 * database); {@link #NONE} serves code run outside the platform (benchmarks, unit tests of a single module).
 *
 * <p>{@link #record} returns only when the event is durable: an action whose event cannot be recorded must not be
 * reported as done.
 */
@FunctionalInterface
public interface AuditSink {
  AuditSink NONE = event -> { };

  void record(AuditEvent event);

  /**
   * Throws, as {@link #record} would, if {@code event} is one the trail refuses (an object too long, details too
   * large), without recording it: for an action whose event is recorded after a commit, which checks it first so that
   * it never commits what it cannot then record. Sinks that keep no trail take any event.
   */
  default void check(AuditEvent event) {
  }

  /**
   * Records {@code event} inside the caller's open transaction {@code c} on the platform database, where the change
   * it reports is made: the change and its event commit together or not at all, so no kill, full disk or lost
   * connection between the two leaves a decision without its event (as {@link #record} after a commit can). A failure
   * to append throws, and the caller's transaction rolls back. Sinks that keep no trail in the platform database
   * record it as {@link #record} does.
   */
  default void record(java.sql.Connection c, AuditEvent event) {
    record(event);
  }

  /**
   * Records {@code event} unless the trail holds an event of its action, outcome {@link AuditEvent#OK}, naming {@code
   * object}: for an action done earlier whose event was lost (a kill or a full platform database between an action
   * that changes files or tables and its event, which follows it). The command that finds such an action done records
   * its event late this way; the look and the append are one transaction, so two commands finding the same gap at
   * once record it once. Sinks that keep no trail record nothing: there is nothing to record late.
   *
   * @return whether the event was recorded
   */
  default boolean recordUnlessHeld(AuditEvent event, String object) {
    return recordUnlessHeld(event, object, null, null);
  }

  /**
   * As {@link #recordUnlessHeld(AuditEvent, String)}, where the event held must also have {@code value} (text) under
   * {@code detail} in its details: where no object names the action alone (a pipeline run is named by its run key).
   */
  default boolean recordUnlessHeld(AuditEvent event, String object, String detail, String value) {
    return false;
  }
}
