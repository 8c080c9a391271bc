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
   * Whether the trail holds an event of {@code action}, outcome {@link AuditEvent#OK}, naming {@code object}. An
   * action's event is recorded after the action is done: a kill or a full platform database in between leaves the
   * action without its event (and the command said it failed). A command that finds such an action done asks this,
   * and records the event late. Sinks that keep no trail answer true: there is nothing to record late.
   */
  default boolean holds(String action, String object) {
    return true;
  }

  /**
   * As {@link #holds(String, String)}, for an event whose details also have {@code value} (text) under {@code
   * detail}: where no object names the action alone (a pipeline run is named by its run key, in its details).
   */
  default boolean holds(String action, String object, String detail, String value) {
    return true;
  }
}
