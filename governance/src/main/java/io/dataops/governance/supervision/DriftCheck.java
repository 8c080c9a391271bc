package io.dataops.governance.supervision;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Records kept beside the audit chain, held to it: the chain covers events, not the tables derived from them or moved
 * with them (metering records, the product registry), so whoever can write the platform database can change those
 * and every event still verifies. {@link Supervision} runs each check at the end of a scan and raises its rule once
 * per distinct drift. Modules below governance (the product registry) supply theirs through this interface.
 */
public interface DriftCheck {
  /** The alert rule raised, e.g. {@code metering-drift}. */
  String rule();

  /** The alert's subject, e.g. {@code metering:records}. */
  String subject();

  /** The drift found now, or empty when the records match their events. */
  Optional<Drift> find();

  /**
   * @param message the alert's message: what differs, naming records and fields, never values (the same message found
   *     again raises nothing)
   * @param details the alert's details (e.g. the audit events the problems name)
   */
  record Drift(String message, Map<String, Object> details) {
    public Drift {
      details = Map.copyOf(details);
    }
  }

  /** A drift message: {@code what}, then the problems, saying when the list was cut at {@code limit}. */
  static String message(String what, List<String> problems, int limit) {
    return what + ": " + String.join("; ", problems) + (problems.size() >= limit ? "; and maybe more" : "");
  }
}
