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
}
