package io.dataops.core.audit;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One thing that happened, as the audit trail records it: who did what to which objects, with what outcome. Lower
 * modules build these without knowing who keeps the trail; the actor is filled in by the sink from the session
 * when the emitter does not know it.
 *
 * @param action what happened, dotted and lower case: {@code feed.land}, {@code product.approve}, {@code command.refused}
 * @param objects what it concerns, each a typed name: {@code table:ods.x}, {@code snapshot:123}, {@code product:p@2}
 * @param outcome {@code ok}, {@code refused} or {@code failed}
 * @param details small facts (counts, snapshot ids, reasons); never a personal value
 */
public record AuditEvent(String action, List<String> objects, String outcome, Map<String, Object> details) {
  public static final String OK = "ok";
  public static final String REFUSED = "refused";
  public static final String FAILED = "failed";
  /** The longest object the trail takes, in characters: a longer name is shortened by whoever names it. */
  public static final int MAX_OBJECT_LENGTH = 500;

  public AuditEvent {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(outcome, "outcome");
    objects = List.copyOf(objects);
    details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
  }

  public static AuditEvent ok(String action, List<String> objects, Map<String, Object> details) {
    return new AuditEvent(action, objects, OK, details);
  }
}
