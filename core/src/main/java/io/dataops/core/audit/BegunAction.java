package io.dataops.core.audit;

import io.dataops.core.files.OutFiles;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * An action whose result reaches someone only through a last step that may fail (a file moved onto its name, an
 * object uploaded), recorded so that its event never stands for a result nobody received (a probe: a delivery whose
 * move failed was metered and billed; a statement whose move failed fixed the month's revenue shares):
 * <ul>
 *   <li>{@link #begun()}, before the step: the action's objects and details under {@code <action>.begun}, with an id
 *       ({@link #ID}) its end names. A kill after it leaves the trail saying the step may have happened;</li>
 *   <li>{@link #done()}, once the step is done: the action's own event, naming the begun one. Readers that count the
 *       action (metering, billing, the ratios a statement fixed) count only these, so a kill between the step and
 *       this record errs on the side of nothing counted;</li>
 *   <li>{@link #failed}, when the step fails: the action with outcome failed, naming the begun one and why.</li>
 * </ul>
 * A reader that must err the other way (a destruction certificate listing copies that may be outside) folds a begun
 * record with no end as done.
 *
 * @param event the action's event as it is recorded once the step is done
 * @param id what its begun record and its end both name
 */
public record BegunAction(AuditEvent event, String id) {
  /** The detail naming the begun record, in it and in its end. */
  public static final String ID = "begun";

  /** The action {@code event} begins, with a new id. */
  public static BegunAction of(AuditEvent event) {
    return new BegunAction(event, UUID.randomUUID().toString());
  }

  /** The action of the record before the step: {@code product.deliver.begun} for {@code product.deliver}. */
  public static String begun(String action) {
    return action + ".begun";
  }

  /** The record before the step. */
  public AuditEvent begun() {
    return new AuditEvent(begun(event.action()), event.objects(), AuditEvent.OK, details(null));
  }

  /** The action's event once the step is done. */
  public AuditEvent done() {
    return new AuditEvent(event.action(), event.objects(), event.outcome(), details(null));
  }

  /** The action's end when the step failed: nothing reached anyone, for {@code reason} (no personal value). */
  public AuditEvent failed(String reason) {
    return new AuditEvent(event.action(), event.objects(), AuditEvent.FAILED, details(reason));
  }

  /**
   * Records {@link #failed} through {@code audit} for the step's failure {@code why}, which the caller throws, with
   * its reason as {@link OutFiles#reason} words it (else the failure's class, never a message
   * that may name a value): a trail that cannot take it is added to {@code why}, the begun record staying without its
   * end.
   */
  public void recordFailed(AuditSink audit, Exception why) {
    String reason = (why instanceof IOException e ? OutFiles.reason(e) : Optional.<String>empty())
        .orElse(why.getClass().getSimpleName());
    try {
      audit.record(failed(reason));
    } catch (RuntimeException unrecorded) {
      why.addSuppressed(unrecorded);
    }
  }

  private Map<String, Object> details(String reason) {
    Map<String, Object> details = new LinkedHashMap<>(event.details());
    details.put(ID, id);
    if (reason != null) {
      details.put("reason", reason);
    }
    return details;
  }
}
